"""Evaluation against the stand-in: the ONNX policy drives :class:`TaskWorld` in-process, no gRPC.

Areas run in parallel, but area ``i`` is given a fixed quota of episodes up front (``N // A``,
plus one for the first ``N % A`` areas) instead of "the first N episodes to finish", which
would favour short episodes. Same seed, same policy → the same episodes, in the same order.
"""

from __future__ import annotations

import numpy as np

from ..behavior import BehaviorSpec
from ..standin.world import TaskWorld
from .policy import OnnxPolicy
from .report import Episode

#: Enough parallel areas to amortise one onnxruntime call per decision, few enough to stay quick.
MAX_AREAS = 16


def run_standin_episodes(spec: BehaviorSpec, policy: OnnxPolicy, episodes: int, seed: int) -> list[Episode]:
    """Run ``episodes`` complete episodes; returned in (area, episode) order."""
    areas = min(episodes, MAX_AREAS)
    quota = np.array([episodes // areas + (i < episodes % areas) for i in range(areas)])
    world = TaskWorld(spec, num_areas=areas, seed=seed)
    observations = world.reset()
    returns = np.zeros(areas)
    finished: list[list[Episode]] = [[] for _ in range(areas)]
    while any(len(done) < want for done, want in zip(finished, quota, strict=True)):
        actions = policy.act(observations)
        step = world.step(actions.continuous if actions.continuous is not None else actions.discrete)
        returns += step.rewards
        for area in np.flatnonzero(step.done):
            if len(finished[area]) < quota[area]:
                finished[area].append(
                    Episode(float(returns[area]), int(step.episode_steps[area]), bool(step.success[area]))
                )
        returns[step.done] = 0.0
        observations = world.reset_areas(step.done)
    return [episode for area in finished for episode in area]
