"""``metrics.json`` of a training run, from mlagents' own outputs, never re-estimated.

- rewards: the summary lines mlagents logs (mean and std per summary; see :mod:`.summaries`);
- steps, episodes, success rate, losses: the run's TensorBoard scalars;
- wall time and the time spent waiting for the environment: ``run_logs/timers.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..behavior.stats import EPISODES, SUCCESS_RATE
from .summaries import Summary

#: timers.json nodes whose total is time the trainer waited for players to step.
ENV_TIMER_NAMES = ("env_step",)


def _find_timer(node: dict[str, Any], name: str) -> float:
    """Sum of ``total`` over every timer node called ``name`` in mlagents' timing tree."""
    total = 0.0
    for child_name, child in node.get("children", {}).items():
        if child_name == name:
            total += float(child.get("total", 0.0))
        else:
            total += _find_timer(child, name)
    return total


def read_timers(path: Path) -> dict[str, float]:
    """Wall time and environment-step time of the last attempt, from mlagents' ``timers.json`` at ``path``."""
    if not path.exists():
        return {}
    tree = json.loads(path.read_text())
    wall = float(tree.get("total", 0.0))
    env = sum(_find_timer(tree, name) for name in ENV_TIMER_NAMES)
    return {"wall_time_s": wall, "env_step_time_s": env, "env_time_share": env / wall if wall else 0.0}


def reward_curve(summaries: list[Summary]) -> list[dict[str, Any]]:
    """``metrics.json``'s ``reward_curve``: step, mean and std of every summary with a mean reward."""
    return [
        {"step": s.step, "mean_reward": s.mean_reward, "std_reward": s.std_reward}
        for s in summaries
        if s.mean_reward is not None
    ]


def _last(series: list[list[float]] | None) -> float | None:
    return series[-1][1] if series else None


def build_metrics(
    behavior: str,
    trainer_type: str,
    device: str,
    max_steps: int,
    summaries: list[Summary],
    scalars: dict[str, list[list[float]]],
    timers: dict[str, float],
    wall_time_s: float,
    attempts: int,
    players: dict[str, Any],
) -> dict[str, Any]:
    """Assemble the metrics document; ``wall_time_s`` covers every attempt of the run.

    ``players`` is the player layout the run started (:class:`.players.PlayerLayout`).
    """
    rewarded = [s for s in summaries if s.mean_reward is not None]
    final = rewarded[-1] if rewarded else None
    best = max(rewarded, key=lambda s: s.mean_reward) if rewarded else None
    steps = max([s.step for s in summaries] + [int(p[0]) for series in scalars.values() for p in series[-1:]] or [0])
    episodes = sum(value for _, value in scalars.get(EPISODES, []))
    return {
        "behavior_name": behavior,
        "trainer_type": trainer_type,
        "device": device,
        "max_steps": max_steps,
        "steps": steps,
        "episodes": int(episodes),
        "final_mean_reward": final.mean_reward if final else None,
        "final_std_reward": final.std_reward if final else None,
        "best_mean_reward": best.mean_reward if best else None,
        "best_std_reward": best.std_reward if best else None,
        "best_step": best.step if best else None,
        "final_success_rate": _last(scalars.get(SUCCESS_RATE)),
        "final_episode_length": _last(scalars.get("Environment/Episode Length")),
        "final_losses": {tag: _last(series) for tag, series in sorted(scalars.items()) if tag.startswith("Losses/")},
        "wall_time_s": round(wall_time_s, 3),
        "steps_per_second": round(steps / wall_time_s, 1) if wall_time_s else None,
        "attempts": attempts,
        "players": players,
        "last_attempt_timers": timers,
        "reward_curve": reward_curve(summaries),
    }
