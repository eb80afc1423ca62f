"""KFP container components, one module per pipeline stage.

Each module declares one stage: its image, typed inputs and outputs, and the stage command
line it runs. The library does the work; nothing here computes anything.
"""
