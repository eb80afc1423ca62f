"""Deriving a :class:`BehaviorSpec` from a :class:`UnityAssetSpec` (done once, in codegen)."""

from __future__ import annotations

from ..errors import Problem, SpecValidationError
from ..specs import DEFAULT_ACTION_SPACE, UnityAssetSpec
from .actions import action_layout
from .naming import agent_class_from, behavior_name_from
from .observations import REQUIRED_BY_TASK, describe_group
from .spec import ActionSpace, BehaviorSpec, ObservationGroup
from .tasks import EPISODE_STEPS, GOAL_TASKS, TaskChoice, default_world, infer_tasks, reward_terms

#: Continuous actions when the asset spec gives none: one per planar axis.
DEFAULT_CONTINUOUS_SIZE = DEFAULT_ACTION_SPACE["size"]


def choose_tasks(asset: UnityAssetSpec) -> TaskChoice:
    """The explicit ``task`` field wins over the description; at most one goal task plus avoid."""
    if asset.task is None:
        return infer_tasks(asset.description)
    requested = [asset.task] if isinstance(asset.task, str) else list(asset.task)
    goals = [task for task in requested if task in GOAL_TASKS]
    if len(goals) > 1:
        raise SpecValidationError(
            [Problem("task", f"{requested} names {len(goals)} goal tasks; combine at most one of "
                             f"{', '.join(GOAL_TASKS)} with 'avoid'")]
        )
    ordered = tuple(goals + [task for task in requested if task not in GOAL_TASKS])
    return TaskChoice(ordered, "given by the asset spec's task field")


def derive_behavior(asset: UnityAssetSpec) -> BehaviorSpec:
    """Derive the behaviour; observation groups a task needs but the spec lacks are added, with a note."""
    asset.check()
    try:
        behavior_name = behavior_name_from(asset.name)
    except ValueError as exc:
        raise SpecValidationError([Problem("name", f"{asset.name!r} {exc}")]) from None
    choice = choose_tasks(asset)
    notes = [f"task {'+'.join(choice.tasks)}: {choice.reason}"]

    if "target_direction" in asset.observation_space and not any(t in GOAL_TASKS for t in choice.tasks):
        raise SpecValidationError(
            [Problem("observation_space.target_direction",
                     f"the task {'+'.join(choice.tasks)} has no goal to point at; remove it or add one of "
                     f"{', '.join(GOAL_TASKS)}")]
        )
    branches = tuple(asset.action_space.get("branches", ()))
    continuous_size = 0 if branches else int(asset.action_space.get("size", DEFAULT_CONTINUOUS_SIZE))
    try:
        layout = action_layout(continuous_size, branches, tuple(asset.action_space.get("meanings", ())))
    except ValueError as exc:
        raise SpecValidationError([Problem("action_space.meanings", str(exc))]) from None
    actions = ActionSpace(
        continuous_size=continuous_size,
        discrete_branches=branches,
        meanings=layout.continuous or tuple(branch.meaning for branch in layout.branches),
        meaning=layout.meaning,
    )
    groups = [ObservationGroup(name, size, describe_group(name, size, layout.oriented), "declared")
              for name, size in asset.observation_space.items()]
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
