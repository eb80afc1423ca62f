"""The scripted expert: what a competent player would do in each generated task.

It sees the world's state directly (positions of the goal and obstacles), heads for the
current goal and steers around obstacles with a short-range repulsion; an agent that only
avoids flees nearby obstacles and keeps off the walls. Its actions use the behaviour's own action space, so the
demonstrations it produces can teach the policy being trained.
"""

from __future__ import annotations

import numpy as np

from ..behavior.actions import action_layout
from ..behavior.motion import Steering, axis_values, closest_values, to_heading_frame
from ..standin.world import TaskWorld

#: Obstacles closer than this (beyond touching distance) push the expert away.
AVOID_RANGE = 1.0
#: A component smaller than this fraction of the largest one is not worth a move.
DISCRETE_DEADBAND = 0.35
#: An agent that turns turns towards where it wants to go while that is more than this far off.
TURN_DEADBAND_DEGREES = 10.0
#: An agent that turns moves forward only while where it wants to go is within this of its heading.
FORWARD_CONE_DEGREES = 60.0


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
    """Actions in the behaviour's action space: continuous axes or discrete branch values.

    The expert wants to move along :func:`desired_direction`: in world axes for world moves,
    relative to its heading for forward and strafe; it turns towards that direction while it is
    more than :data:`TURN_DEADBAND_DEGREES` off, and an agent that turns moves forward only once it
    faces within :data:`FORWARD_CONE_DEGREES`. Discrete values are those the generated heuristic
    would pick for the same wishes, after components below the dead band are dropped.
    """
    spec = world.spec.actions
    layout = action_layout(spec.continuous_size, spec.discrete_branches, spec.meanings)
    direction = desired_direction(world)
    local = to_heading_frame(direction, world.heading)
    discrete = bool(layout.branches)
    planar, relative = _full_speed(direction, discrete), _full_speed(local, discrete)
    off_heading = np.degrees(np.arctan2(local[:, 0], local[:, 1]))
    turn = np.where(np.abs(off_heading) > TURN_DEADBAND_DEGREES, np.sign(off_heading), 0.0)
    forward = relative[:, 1]
    if layout.turns:
        forward = np.where(np.abs(off_heading) < FORWARD_CONE_DEGREES, forward, 0.0)
    steering = Steering(move_x=planar[:, 0], move_z=planar[:, 1], forward=forward, strafe=relative[:, 0], turn=turn)
    if layout.continuous:
        return axis_values(layout, steering)
    return closest_values(layout, steering)


def _full_speed(direction: np.ndarray, discrete: bool) -> np.ndarray:
    """The dominant component at full speed, the others scaled alike; for discrete actions those
    below the dead band are dropped."""
    largest = np.maximum(np.abs(direction).max(axis=1, keepdims=True), 1e-9)
    scaled = direction / largest
    return np.where(np.abs(scaled) > DISCRETE_DEADBAND, scaled, 0.0) if discrete else scaled
