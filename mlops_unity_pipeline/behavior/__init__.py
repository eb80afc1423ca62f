"""The BehaviorSpec: one description of a behaviour that every stage reads.

Only :mod:`.spec` is imported eagerly; derivation (which needs the validated input types)
lives in :mod:`.derive`.
"""

from .spec import BEHAVIOR_FILE, ActionSpace, BehaviorSpec, ObservationGroup, RewardTerm, World

__all__ = ["BEHAVIOR_FILE", "ActionSpace", "BehaviorSpec", "ObservationGroup", "RewardTerm", "World"]
