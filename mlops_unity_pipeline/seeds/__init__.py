"""Several training seeds per asset: how many, which mlagents seeds they train with, and which one the gate sees.

Reinforcement learning runs of the same configuration differ by their seed, sometimes a lot.
Training an asset with several seeds and choosing one (the best, or the median for a typical
run) on evaluation episodes of its own, then gating the chosen one on fresh episodes, gives
a candidate that is neither a lucky nor an unlucky draw. Only :mod:`.settings` is imported
eagerly; :mod:`.selection` evaluates policies.
"""

from .settings import (
    DEFAULT_SELECTION_RULE,
    DEFAULT_TRAINING_SEEDS,
    MAX_TRAINING_SEEDS,
    SELECTION_RULES,
    SeedSettings,
    config_seed,
    training_seeds,
)

__all__ = [
    "DEFAULT_SELECTION_RULE",
    "DEFAULT_TRAINING_SEEDS",
    "MAX_TRAINING_SEEDS",
    "SELECTION_RULES",
    "SeedSettings",
    "config_seed",
    "training_seeds",
]
