"""The tasks a generated agent can learn, and how a task is read from a description.

A task names a goal (reach a target, patrol waypoints, collect items) and/or a hazard
(avoid obstacles). Each task contributes reward terms and needs certain observations; the
constants here are the defaults a BehaviorSpec is derived with, and are written into
``behavior.json`` so nothing downstream repeats them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .layout import GOAL_DISTANCE_SCALE
from .spec import RewardTerm, World

GOAL_TASKS = ("reach", "patrol", "collect")
#: Used when neither the description nor the ``task`` field names a task.
DEFAULT_TASK = "reach"

#: Words that name each task in a free-text description (matched case-insensitively).
TASK_KEYWORDS: dict[str, str] = {
    "reach": r"\b(reach\w*|targets?|goals?|destinations?|navigat\w*)\b",
    "avoid": r"\b(avoid\w*|obstacles?|collisions?|collid\w*|dodg\w*|hazards?)\b",
    "patrol": r"\b(patrol\w*|waypoints?)\b",
    "collect": r"\b(collect\w*|gather\w*|pick(?:s|ing)? up|items?|coins?|pickups?)\b",
}

#: Episode length (decisions) for each goal task, and for an agent that only avoids.
EPISODE_STEPS = {"reach": 200, "patrol": 400, "collect": 500, "avoid": 400}


@dataclass(frozen=True)
class TaskChoice:
    """The tasks chosen for an asset and a sentence saying how they were chosen."""

    tasks: tuple[str, ...]
    reason: str


def infer_tasks(description: str) -> TaskChoice:
    """Read the tasks from a description: at most one goal (the first mentioned) plus avoid."""
    found: dict[str, int] = {}
    for task, pattern in TASK_KEYWORDS.items():
        match = re.search(pattern, description, flags=re.IGNORECASE)
        if match:
            found[task] = match.start()
    goals = sorted((pos, task) for task, pos in found.items() if task in GOAL_TASKS)
    tasks: list[str] = [goals[0][1]] if goals else []
    if "avoid" in found:
        tasks.append("avoid")
    if not tasks:
        return TaskChoice((DEFAULT_TASK,), f"no task words in the description; defaulted to {DEFAULT_TASK!r}")
    words = ", ".join(repr(t) for t in tasks)
    return TaskChoice(tuple(tasks), f"inferred from the description: {words}")


#: Degrees per second an agent that turns turns at level 1: 18 degrees per decision.
TURN_SPEED = 180.0


def default_world(tasks: tuple[str, ...], turning: bool = False) -> World:
    """Arena, kinematics and object counts for a task combination (``turning``: the agent has turn actions)."""
    avoid_only = tasks == ("avoid",)
    return World(
        arena_half_size=4.0,
        agent_radius=0.5,
        move_speed=3.0,
        sprint_multiplier=2.0,
        decision_dt=0.1,
        ray_length=12.0,
        goal_radius=0.5,
        # Two obstacles beside a goal: eight rays 45 degrees apart still see them in time
        # (docs/benchmarks.md, quick start); an agent that only avoids faces four moving ones.
        obstacle_count=(4 if avoid_only else 2) if "avoid" in tasks else 0,
        obstacle_radius=0.6,
        # An agent that only avoids must face moving obstacles, or standing still would solve it.
        obstacle_speed=1.5 if avoid_only else 0.0,
        waypoint_count=4 if "patrol" in tasks else 0,
        waypoint_inset=1.5,
        item_count=5 if "collect" in tasks else 0,
        spawn_separation=1.5,
        # Obstacles keep this much free space around goals, so no goal is unreachable.
        goal_clearance=0.5,
        # Rejection sampling of spawn points gives up (keeping the last draw) after this many tries.
        spawn_attempts=100,
        turn_speed=TURN_SPEED if turning else None,
    )


#: How each reward term is given: every decision (``per_step``), as its value times the distance
#: closed to the current goal divided by GOAL_DISTANCE_SCALE·arena_half_size (``goal_progress``),
#: or when its event happens (``event``; its ``ends_episode`` and ``success`` flags say what follows).
PER_STEP, GOAL_PROGRESS, EVENT = "per_step", "goal_progress", "event"
REWARD_KINDS: dict[str, str] = {
    "target_reached": EVENT,
    "waypoint_reached": EVENT,
    "route_completed": EVENT,
    "item_collected": EVENT,
    "all_items_collected": EVENT,
    "collision": EVENT,
    "step_penalty": PER_STEP,
    "goal_progress": GOAL_PROGRESS,
    "survival_bonus": PER_STEP,
}


def reward_terms(tasks: tuple[str, ...], max_episode_steps: int) -> tuple[RewardTerm, ...]:
    """The reward terms of a task combination, each with its constant and its trigger."""
    terms: list[RewardTerm] = []
    if "reach" in tasks:
        terms.append(RewardTerm("target_reached", 1.0, "the agent touches the target", ends_episode=True, success=True))
    if "patrol" in tasks:
        terms.append(RewardTerm("waypoint_reached", 0.25, "the agent touches the next waypoint of the route"))
        terms.append(
            RewardTerm(
                "route_completed", 0.5, "the agent has touched every waypoint in order", ends_episode=True, success=True
            )
        )
    if "collect" in tasks:
        terms.append(RewardTerm("item_collected", 0.25, "the agent touches an item, which disappears"))
        terms.append(RewardTerm("all_items_collected", 0.5, "no item is left", ends_episode=True, success=True))
    if "avoid" in tasks:
        terms.append(RewardTerm("collision", -1.0, "the agent touches an obstacle", ends_episode=True))
    if any(task in GOAL_TASKS for task in tasks):
        terms.append(RewardTerm("step_penalty", round(-1.0 / max_episode_steps, 8), "every decision, to favour speed"))
        # Potential-based shaping: it leaves the best policy unchanged and makes it far quicker to find.
        terms.append(
            RewardTerm(
                "goal_progress",
                1.0,
                "every decision, this value times the distance closed to the current goal divided by "
                f"{GOAL_DISTANCE_SCALE:g}*arena_half_size",
            )
        )
    else:
        # Survival is the only goal: reward staying alive; reaching the episode end is success.
        terms.append(
            RewardTerm("survival_bonus", round(1.0 / max_episode_steps, 8), "every decision without a collision")
        )
    return tuple(terms)
