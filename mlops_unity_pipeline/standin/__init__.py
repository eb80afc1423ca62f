"""The stand-in Unity player: the Unity side of the ML-Agents protocol, with the task simulated.

:mod:`.world` (pure numpy) simulates a BehaviorSpec's task and is reused in-process by
evaluation; :mod:`.protocol`, :mod:`.side_channels`, :mod:`.session` and :mod:`.player` speak to
mlagents-learn and need the trainer environment (mlagents_envs, grpcio). Nothing is imported
here, so importing the package costs nothing.
"""
