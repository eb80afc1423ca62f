"""How many players a training run starts: no more than the machine's cores can serve.

Each mlagents-learn player is two busy processes (the player and mlagents' env worker that
talks to it) beside the trainer, which needs about one core of its own for inference and
policy updates. On 2 cores, 8 players of 8 areas ran the quick start's 20k steps in 44-45 s,
2 players of 32 areas in 27.9 s and 1 player of 64 areas in 25-29 s: the same 64 agents, the
fewest players fastest (docs/benchmarks.md, ``bench/bench_players.py``). So a run starts at
most one player per core beyond the trainer's, and gives each player more areas, keeping the
agents the user asked for (``num_envs × num_areas``); ``fit_players_to_cores: false`` in the
RL config keeps exactly ``num_envs`` players.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The cgroup v2 CPU quota of this container ("max 100000" when unlimited).
CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")
#: Cores the trainer process keeps busy by itself (inference and policy updates).
TRAINER_CORES = 1


def usable_cores() -> int:
    """CPUs this process may run on: its affinity, capped by a container's CPU quota."""
    cores = len(os.sched_getaffinity(0))
    try:
        quota, period = CGROUP_CPU_MAX.read_text().split()
        if quota != "max":
            cores = min(cores, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return cores


def max_players(cores: int) -> int:
    """The most players ``cores`` serve: one core each beyond the trainer's, at least one."""
    return max(1, cores - TRAINER_CORES)


@dataclass(frozen=True)
class PlayerLayout:
    """Players and areas per player a run starts, and what the config asked for."""

    num_envs: int
    num_areas: int
    requested_num_envs: int
    requested_num_areas: int
    cores: int

    @property
    def fitted(self) -> bool:
        return self.num_envs != self.requested_num_envs

    def note(self) -> str:
        return (
            f"{self.requested_num_envs} players of {self.requested_num_areas} areas are more than {self.cores} cores "
            f"serve; training {self.num_envs} player(s) of {self.num_areas} areas instead (the same "
            f"{self.num_envs * self.num_areas} agents); set fit_players_to_cores: false in the RL config "
            "to start exactly num_envs players"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "num_envs": self.num_envs,
            "num_areas": self.num_areas,
            "requested_num_envs": self.requested_num_envs,
            "requested_num_areas": self.requested_num_areas,
            "cores": self.cores,
            "fitted": self.fitted,
        }


def fit_players(num_envs: int, num_areas: int, cores: int, enabled: bool = True) -> PlayerLayout:
    """The layout for ``num_envs`` players of ``num_areas`` areas on ``cores`` cores.

    With more players than :func:`max_players`, the most players that still divide the agents
    evenly (``num_envs × num_areas``) among them, each with that share of areas.
    """
    agents = num_envs * num_areas
    players = num_envs
    if enabled and num_envs > max_players(cores):
        players = max(p for p in range(1, max_players(cores) + 1) if agents % p == 0)
    return PlayerLayout(players, agents // players, num_envs, num_areas, cores)


def apply_layout(config: dict[str, Any], enabled: bool, cores: int | None = None) -> PlayerLayout:
    """Fit the trainer config's ``env_settings`` (num_envs, num_areas) to the cores, in place."""
    settings = config.get("env_settings") or {}
    layout = fit_players(
        int(settings.get("num_envs", 1)),
        int(settings.get("num_areas", 1)),
        usable_cores() if cores is None else cores,
        enabled,
    )
    if layout.fitted:
        config["env_settings"] = {**settings, "num_envs": layout.num_envs, "num_areas": layout.num_areas}
    return layout
