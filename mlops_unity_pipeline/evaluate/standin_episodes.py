"""Evaluation against the stand-in: the ONNX policy drives :class:`TaskWorld` in-process, no gRPC.

Episodes run side by side in one vectorised world, one episode per area, in batches of at most
:data:`MAX_AREAS`: batch ``k`` is a fresh world seeded with ``(seed, k)``, so episode ``i``
starts from a state that depends only on ``seed``, ``i`` and the number of episodes, never on
the policy. Two policies evaluated with the same seed and count therefore meet exactly the
same start states, episode by episode, which is what a paired comparison needs. An area whose
episode has ended is left alone (its further steps are ignored) until the batch is done.
"""

from __future__ import annotations

import numpy as np

from ..behavior import BehaviorSpec
from ..evaluation_report import Episode
from ..onnx_policy import OnnxPolicy
from ..standin.world import TaskWorld

#: Areas per world: one onnxruntime call per decision serves them all; more only costs memory.
MAX_AREAS = 256


def run_standin_episodes(spec: BehaviorSpec, policy: OnnxPolicy, episodes: int, seed: int) -> list[Episode]:
    """Run ``episodes`` complete episodes; episode ``i`` always starts from the same state for a given seed."""
    batches = -(-episodes // MAX_AREAS)
    sizes = [episodes // batches + (k < episodes % batches) for k in range(batches)]
    found: list[Episode] = []
    for batch, size in enumerate(sizes):
        found.extend(_run_batch(spec, policy, size, [seed, batch]))
    return found


def _run_batch(spec: BehaviorSpec, policy: OnnxPolicy, areas: int, seed: list[int]) -> list[Episode]:
    world = TaskWorld(spec, num_areas=areas, seed=np.random.SeedSequence(seed))
    observations = world.reset()
    returns = np.zeros(areas)
    running = np.ones(areas, dtype=bool)
    finished: list[Episode | None] = [None] * areas
    while running.any():
        actions = policy.act(observations)
        step = world.step(actions.continuous if actions.continuous is not None else actions.discrete)
        returns[running] += step.rewards[running]
        for area in np.flatnonzero(step.done & running):
            finished[area] = Episode(float(returns[area]), int(step.episode_steps[area]), bool(step.success[area]))
        running &= ~step.done
        observations = step.observations
    return [episode for episode in finished if episode is not None]
