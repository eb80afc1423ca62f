"""The observation groups an asset can declare, what each value means, and what tasks need.

The meanings are written into ``behavior.json`` and into comments of the generated Agent, and
the stand-in player computes exactly these values.
"""

from __future__ import annotations

from .layout import GOAL_DISTANCE_SCALE

#: What an asset sees when its spec declares nothing: eight rays and its own planar velocity.
DEFAULT_OBSERVATION_SPACE: dict[str, int] = {"raycast": 8, "velocity": 2}

#: Group name → what its values are (``{size}`` is filled in), for an agent without a heading.
GROUP_MEANINGS: dict[str, str] = {
    "raycast": (
        "{size} rays in the horizontal plane, ray i at i*360/{size} degrees clockwise from +z; each value is "
        "the distance to the nearest wall or obstacle divided by ray_length, 1 when nothing is hit"
    ),
    "velocity": "the agent's last velocity (x, z{y}) divided by move_speed",
    "position": "the agent's position in its area (x, z{y}) divided by arena_half_size",
    "target_direction": (
        "the vector from the agent to its current goal (target, next waypoint or nearest item) (x, z{y}) "
        f"divided by {GOAL_DISTANCE_SCALE:g}*arena_half_size"
    ),
}

#: The same for an agent with a heading (it turns or moves relative to it): it observes relative to it.
ORIENTED_GROUP_MEANINGS: dict[str, str] = {
    **GROUP_MEANINGS,
    "raycast": (
        "{size} rays in the horizontal plane, ray i at i*360/{size} degrees clockwise from the agent's heading; each "
        "value is the distance to the nearest wall or obstacle divided by ray_length, 1 when nothing is hit"
    ),
    "velocity": "the agent's last velocity relative to its heading (right, forward{y}) divided by move_speed",
    "target_direction": (
        "the vector from the agent to its current goal (target, next waypoint or nearest item) relative to its "
        f"heading (right, forward{{y}}) divided by {GOAL_DISTANCE_SCALE:g}*arena_half_size"
    ),
}

#: Observation groups a task cannot be learnt without, with the size added when missing.
REQUIRED_BY_TASK: dict[str, dict[str, int]] = {
    "reach": {"target_direction": 2},
    "patrol": {"target_direction": 2},
    "collect": {"target_direction": 2},
    "avoid": {"raycast": 8},
}


def describe_group(name: str, size: int, oriented: bool = False) -> str:
    """The meaning of a group of the given size; 3-wide vectors carry a y of 0 in the middle."""
    return (ORIENTED_GROUP_MEANINGS if oriented else GROUP_MEANINGS)[name].format(
        size=size, y=", with y=0 between them" if size == 3 else ""
    )
