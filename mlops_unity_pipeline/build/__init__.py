"""The build stage: generated code → a headless player that ``mlagents-learn --env`` accepts.

Two backends: ``unity`` (the Editor in batchmode) and ``standin`` (a launcher for the stand-in
player); ``auto`` picks unity when Unity is configured. Builds are cached by their inputs.
"""

from .stage import BuildResult, build

__all__ = ["BuildResult", "build"]
