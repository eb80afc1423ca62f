"""Deriving a :class:`BehaviorSpec` from a :class:`UnityAssetSpec` (done once, in codegen)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import Problem
from .actions import DEFAULT_ACTION_SPACE, action_layout, layout_problems
from .naming import agent_class_from, behavior_name_from
from .observations import REQUIRED_BY_TASK, describe_group
from .spec import ActionSpace, BehaviorSpec, ObservationGroup
from .tasks import EPISODE_STEPS, GOAL_TASKS, TaskChoice, default_world, infer_tasks, reward_terms

if TYPE_CHECKING:  # specs checks an asset with derivation_problems, so it cannot be imported here
    from ..specs import UnityAssetSpec

#: Continuous actions when the asset spec gives none: one per planar axis.
DEFAULT_CONTINUOUS_SIZE = DEFAULT_ACTION_SPACE["size"]


def choose_tasks(asset: UnityAssetSpec) -> TaskChoice:
    """The explicit ``task`` field wins over the description (goal tasks first)."""
    if asset.task is None:
        return infer_tasks(asset.description)
    requested = [asset.task] if isinstance(asset.task, str) else list(asset.task)
    goals = [task for task in requested if task in GOAL_TASKS]
    ordered = tuple(goals + [task for task in requested if task not in GOAL_TASKS])
    return TaskChoice(ordered, "given by the asset spec's task field")


def derivation_problems(asset: UnityAssetSpec) -> list[Problem]:
    """What a schema cannot see but a behaviour cannot be derived with; part of the asset spec's own check.

    A name that loses letters as a C# identifier, more than one goal task, a goal direction with no
    goal, and action meanings that do not fit the axes or branches.
    """
    problems = []
    try:
        behavior_name_from(asset.name)
    except ValueError as exc:
        problems.append(Problem("name", f"{asset.name!r} {exc}"))
    choice = choose_tasks(asset)
    goals = [task for task in choice.tasks if task in GOAL_TASKS]
    if len(goals) > 1:
        problems.append(
            Problem(
                "task",
                f"{list(choice.tasks)} names {len(goals)} goal tasks; combine at most one of "
                f"{', '.join(GOAL_TASKS)} with 'avoid'",
            )
        )
    elif "target_direction" in asset.observation_space and not goals:
        problems.append(
            Problem(
                "observation_space.target_direction",
                f"the task {'+'.join(choice.tasks)} has no goal to point at; remove it or add one "
                f"of {', '.join(GOAL_TASKS)}",
            )
        )
    branches = tuple(asset.action_space.get("branches", ()))
    continuous_size = 0 if branches else int(asset.action_space.get("size", DEFAULT_CONTINUOUS_SIZE))
    meanings = asset.action_space.get("meanings")
    if meanings is not None:
        problems += [
            Problem("action_space.meanings", problem)
            for problem in layout_problems(continuous_size, branches, tuple(meanings))
        ]
    else:
        try:
            action_layout(continuous_size, branches)
        except ValueError as exc:
            problems.append(Problem("action_space", f"{exc}; give action_space.meanings"))
    return problems


def derive_behavior(asset: UnityAssetSpec) -> BehaviorSpec:
    """Derive the behaviour; observation groups a task needs but the spec lacks are added, with a note."""
    asset.check()  # includes derivation_problems: nothing below can fail on the asset's content
    behavior_name = behavior_name_from(asset.name)
    choice = choose_tasks(asset)
    notes = [f"task {'+'.join(choice.tasks)}: {choice.reason}"]
    branches = tuple(asset.action_space.get("branches", ()))
    continuous_size = 0 if branches else int(asset.action_space.get("size", DEFAULT_CONTINUOUS_SIZE))
    layout = action_layout(continuous_size, branches, tuple(asset.action_space.get("meanings", ())))
    actions = ActionSpace(
        continuous_size=continuous_size,
        discrete_branches=branches,
        meanings=layout.continuous or tuple(branch.meaning for branch in layout.branches),
        meaning=layout.meaning,
    )
    groups = [
        ObservationGroup(name, size, describe_group(name, size, layout.oriented), "declared")
        for name, size in asset.observation_space.items()
    ]
    for task in choice.tasks:
        for name, size in REQUIRED_BY_TASK[task].items():
            if all(group.name != name for group in groups):
                groups.append(ObservationGroup(name, size, describe_group(name, size, layout.oriented), "added"))
                notes.append(f"observation group {name!r} (size {size}) added: the {task!r} task needs it")
    goal = next((task for task in choice.tasks if task in GOAL_TASKS), "avoid")
    max_episode_steps = asset.max_episode_steps or EPISODE_STEPS[goal]
    return BehaviorSpec(
        behavior_name=behavior_name,
        agent_class=agent_class_from(behavior_name),
        asset_id=asset.asset_id,
        description=asset.description,
        tasks=choice.tasks,
        observations=tuple(groups),
        actions=actions,
        rewards=reward_terms(choice.tasks, max_episode_steps),
        max_episode_steps=max_episode_steps,
        world=default_world(choice.tasks, turning=layout.turns),
        notes=tuple(notes),
    )
