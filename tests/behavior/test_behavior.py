"""Deriving the BehaviorSpec: tasks, observation groups, actions, rewards, names."""

from __future__ import annotations

import pytest

from mlops_unity_pipeline import BehaviorSpec, SpecValidationError, UnityAssetSpec
from mlops_unity_pipeline.behavior.derive import derive_behavior
from mlops_unity_pipeline.behavior.naming import behavior_name_from


def derive(**fields) -> BehaviorSpec:
    return derive_behavior(UnityAssetSpec(asset_id="a-1", **{"name": "Agent", **fields}))


@pytest.mark.parametrize(
    ("description", "tasks"),
    [
        ("Reach target position while avoiding obstacles", ("reach", "avoid")),
        ("Patrol between waypoints and avoid collisions", ("patrol", "avoid")),
        ("Collect all the coins", ("collect",)),
        ("Dodge the moving hazards", ("avoid",)),
        ("Navigate to the goal", ("reach",)),
        ("Pick up items, then reach the exit target", ("collect",)),
        ("Be a good agent", ("reach",)),
        ("", ("reach",)),
    ],
)
def test_tasks_are_read_from_the_description(description, tasks):
    spec = derive(description=description)
    assert spec.tasks == tasks
    assert spec.notes[0].startswith(f"task {'+'.join(tasks)}:")


def test_an_explicit_task_overrides_the_description():
    spec = derive(description="Reach the target", task=["avoid", "collect"])
    assert spec.tasks == ("collect", "avoid")
    assert "given by the asset spec's task field" in spec.notes[0]


def test_two_goal_tasks_are_refused():
    with pytest.raises(SpecValidationError, match="combine at most one of reach, patrol, collect"):
        derive(task=["reach", "patrol"])


def test_declared_groups_keep_order_and_size_and_missing_ones_are_added_with_a_note():
    spec = derive(
        description="Reach the target while avoiding obstacles", observation_space={"velocity": 3, "position": 2}
    )
    assert [(g.name, g.size, g.source) for g in spec.observations] == [
        ("velocity", 3, "declared"),
        ("position", 2, "declared"),
        ("target_direction", 2, "added"),
        ("raycast", 8, "added"),
    ]
    assert spec.observation_size == 15
    assert any("'target_direction' (size 2) added: the 'reach' task needs it" in note for note in spec.notes)
    assert any("'raycast' (size 8) added: the 'avoid' task needs it" in note for note in spec.notes)
    assert spec.observation_offsets()["raycast"] == slice(7, 15)


def test_a_goal_direction_without_a_goal_is_refused():
    with pytest.raises(SpecValidationError, match="observation_space.target_direction: the task avoid has no goal"):
        derive(description="avoid obstacles", observation_space={"raycast": 8, "target_direction": 2})


@pytest.mark.parametrize(
    ("action_space", "continuous", "branches"),
    [
        ({"type": "continuous", "size": 2}, 2, ()),
        ({"type": "discrete", "branches": [5]}, 0, (5,)),
        ({"type": "discrete", "branches": [3, 3, 2]}, 0, (3, 3, 2)),
    ],
)
def test_action_space(action_space, continuous, branches):
    spec = derive(action_space=action_space)
    assert (spec.actions.continuous_size, spec.actions.discrete_branches) == (continuous, branches)


def test_rewards_and_episode_length_follow_the_task():
    reach = derive(description="reach the target")
    assert [t.name for t in reach.rewards] == ["target_reached", "step_penalty", "goal_progress"]
    assert reach.reward("step_penalty").value == pytest.approx(-1 / reach.max_episode_steps)
    survive = derive(description="avoid obstacles", max_episode_steps=250)
    assert [t.name for t in survive.rewards] == ["collision", "survival_bonus"]
    assert survive.max_episode_steps == 250
    assert survive.world.obstacle_speed > 0 and reach.world.obstacle_count == 0


@pytest.mark.parametrize(
    ("name", "identifier"),
    [
        ("SimpleAgent", "SimpleAgent"),
        ("simple agent #2", "SimpleAgent2"),
        ("3d walker", "Agent3dWalker"),
        ("class", "ClassBehavior"),
        ('Evil"; System.IO.File.Delete("x"); //', "EvilSystemIOFileDeleteX"),
    ],
)
def test_behavior_names_are_safe_csharp_identifiers(name, identifier):
    assert behavior_name_from(name) == identifier


def test_a_name_without_letters_or_digits_is_a_validation_error():
    with pytest.raises(SpecValidationError, match="name"):
        derive(name="$$$ !!!")


def test_behavior_json_round_trips(tmp_path):
    spec = derive(
        description="Collect items and avoid obstacles", action_space={"type": "discrete", "branches": [3, 3]}
    )
    (tmp_path / "behavior.json").write_text(spec.to_json())
    assert BehaviorSpec.load(tmp_path) == spec


def test_a_spec_round_trips_through_its_own_dict():
    """``from_dict`` takes what ``to_dict`` gives (tuples where JSON has lists), not only the JSON document."""
    spec = derive(
        description="Collect items and avoid obstacles", action_space={"type": "discrete", "branches": [3, 3]}
    )
    assert BehaviorSpec.from_dict(spec.to_dict()) == spec
