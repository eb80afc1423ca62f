"""The scripted expert: what a competent player would do in each generated task.

It sees the world's state directly (positions of the goal and obstacles), heads for the
current goal and steers around obstacles with a short-range repulsion; an agent that only
avoids flees nearby obstacles and keeps off the walls. Its actions use the behaviour's own action space, so the
demonstrations it produces can teach the policy being trained.
"""

from __future__ import annotations

import numpy as np

from ..behavior.actions import action_layout, closest_values
from ..standin.world import TaskWorld

#: Obstacles closer than this (beyond touching distance) push the expert away.
AVOID_RANGE = 1.0
#: A component smaller than this fraction of the largest one is not worth a discrete move.
DISCRETE_DEADBAND = 0.35


def desired_direction(world: TaskWorld) -> np.ndarray:
    """Per area, the planar direction (x, z) the expert wants to move in (not normalised)."""
    direction = np.zeros((world.num_areas, 2))
    agent_radius = world.constant("agent_radius")[:, None]
    if world.spec.goal_task is not None:
        goal = world.goal_offset()
        direction += goal / np.maximum(np.linalg.norm(goal, axis=-1, keepdims=True), 1e-9)
    if world.spec.world.obstacle_count:
        away = world.position[:, None, :] - world.obstacles
        distance = np.linalg.norm(away, axis=-1, keepdims=True)
        clearance = distance - (agent_radius + world.constant("obstacle_radius")[:, None])[:, None]
        push = np.where(clearance < AVOID_RANGE, (AVOID_RANGE - clearance) / AVOID_RANGE, 0.0)
        direction += 2.0 * (push * away / np.maximum(distance, 1e-9)).sum(axis=1)
        # Cornered against a wall there is nowhere to dodge: keep off the walls too.
        room = (world.constant("arena_half_size")[:, None] - agent_radius) - np.abs(world.position)
        direction -= np.sign(world.position) * np.clip((AVOID_RANGE - room) / AVOID_RANGE, 0.0, 1.0)
    return direction


def expert_actions(world: TaskWorld) -> np.ndarray:
    """Actions in the behaviour's action space: continuous (x, z) or discrete branch values.

    Discrete values are those the generated heuristic would pick for the same direction, after
    components below the dead band are dropped.
    """
    direction = desired_direction(world)
    largest = np.maximum(np.abs(direction).max(axis=1, keepdims=True), 1e-9)
    scaled = direction / largest  # the dominant axis at full speed
    layout = action_layout(world.spec.actions.discrete_branches)
    if layout.continuous_size:
        return scaled
    return closest_values(layout, np.where(np.abs(scaled) > DISCRETE_DEADBAND, scaled, 0.0))
