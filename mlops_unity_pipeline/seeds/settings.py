"""The training-seed settings: how many seeds an asset trains with, and the rule that picks one.

Seed ``k`` (``0 <= k < count``) trains with mlagents' seed ``base + k``, where ``base`` is the
trainer config's own ``env_settings.seed``: seed 0 is exactly the training a single-seed run
does, so ``count: 1`` (the default) changes nothing. A base of ``-1`` (mlagents: a random seed
per run) stays ``-1`` for every seed, each then random.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import Problem, SpecValidationError

DEFAULT_TRAINING_SEEDS = 1
#: Each seed is a full training run (on the pipeline, a GPU machine of its own); more than this
#: buys little over the noise of the selection episodes themselves.
MAX_TRAINING_SEEDS = 16
#: ``best``: the seed with the highest gate metric; ``median``: the middle one (lower middle for an even count).
SELECTION_RULES = ("best", "median")
DEFAULT_SELECTION_RULE = "best"
#: mlagents' seed when a trainer config sets none: a random one.
RANDOM_SEED = -1
#: mlagents takes seeds up to this value (schemas/rl_config.schema.json).
MAX_SEED = 2**31 - 1


@dataclass(frozen=True)
class SeedSettings:
    """How many seeds each asset trains with (``count``) and how one is chosen for the gate (``rule``)."""

    count: int = DEFAULT_TRAINING_SEEDS
    rule: str = DEFAULT_SELECTION_RULE

    def problems(self, count_field: str = "training_seeds", rule_field: str = "seed_selection") -> list[Problem]:
        """What is wrong, each problem under the field name its caller uses."""
        problems = []
        if isinstance(self.count, bool) or not isinstance(self.count, int) or not 1 <= self.count <= MAX_TRAINING_SEEDS:
            problems.append(
                Problem(
                    count_field, f"{self.count!r} is not allowed; give a whole number from 1 to {MAX_TRAINING_SEEDS}"
                )
            )
        if self.rule not in SELECTION_RULES:
            problems.append(Problem(rule_field, f"{self.rule!r} is not one of {', '.join(SELECTION_RULES)}"))
        return problems

    def checked(self) -> SeedSettings:
        """These settings, or a :class:`SpecValidationError` naming each bad one and what is allowed."""
        problems = self.problems()
        if problems:
            raise SpecValidationError(problems, source="training seeds")
        return self


def config_seed(trainer_config: Mapping[str, Any]) -> int:
    """The seed an mlagents-learn config trains with (``env_settings.seed``; mlagents' default is random)."""
    seed = (trainer_config.get("env_settings") or {}).get("seed", RANDOM_SEED)
    return RANDOM_SEED if seed is None else int(seed)


def training_seeds(base: int, count: int) -> list[int]:
    """The mlagents seeds of ``count`` training runs from a config whose seed is ``base``; see the module docstring."""
    SeedSettings(count).checked()
    if base == RANDOM_SEED:
        return [RANDOM_SEED] * count
    return [(base + index) % (MAX_SEED + 1) for index in range(count)]
