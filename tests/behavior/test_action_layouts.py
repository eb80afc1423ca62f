"""Action layouts are data (behavior/actions.py): meanings, their tables, the schema and the heuristic's picks."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from mlops_unity_pipeline import UnityAssetSpec
from mlops_unity_pipeline.behavior.actions import (
    MEANINGS,
    SIGNED,
    action_layout,
    allowed_meanings,
    default_meanings,
    planar_directions,
    signed_levels,
)
from mlops_unity_pipeline.behavior.derive import derive_behavior
from mlops_unity_pipeline.behavior.motion import Steering, axis_values, closest_values, motion
from mlops_unity_pipeline.errors import SpecValidationError

SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "asset_spec.schema.json"


def constants(areas: int = 1, **values: float) -> dict[str, np.ndarray]:
    base = {"move_speed": 3.0, "sprint_multiplier": 2.0, "turn_speed": 180.0, "decision_dt": 0.1, **values}
    return {name: np.full(areas, value) for name, value in base.items()}


def test_the_asset_schema_offers_exactly_the_vocabulary():
    action_space = json.loads(SCHEMA.read_text())["properties"]["action_space"]["properties"]
    assert action_space["meanings"]["items"]["enum"] == allowed_meanings(continuous=False)
    assert set(allowed_meanings(continuous=False)) == set(MEANINGS) | {"-" + name for name in SIGNED}


def test_meanings_default_by_position_as_the_original_layouts_had_them():
    assert default_meanings(2, ()) == ("move_x", "move_z")
    assert default_meanings(0, (5,)) == ("move",)
    assert default_meanings(0, (3, 3, 2)) == ("move_x", "move_z", "sprint")
    assert default_meanings(0, (2, 2, 2, 2)) == ("move_x", "move_z", "sprint", "noop")
    assert default_meanings(1, ()) == ("move_x",)


def test_signed_levels_and_compass_directions_grow_with_the_branch():
    assert signed_levels(3) == (0.0, 1.0, -1.0)
    assert signed_levels(2) == (0.0, 1.0)
    assert signed_levels(5) == (0.0, 0.5, -0.5, 1.0, -1.0)
    assert planar_directions(5) == ((0, 0), (1, 0), (-1, 0), (0, 1), (0, -1))
    nine = np.array(planar_directions(9)[1:])
    np.testing.assert_allclose(np.linalg.norm(nine, axis=1), 1.0)
    assert len({tuple(np.round(d, 6)) for d in nine}) == 8


def test_move_branches_add_up_and_sprint_branches_multiply():
    layout = action_layout(0, (3, 3, 2))
    areas = constants(3, move_speed=3.0)
    areas["move_speed"] = np.array([3.0, 3.0, 2.0])
    areas["sprint_multiplier"] = np.array([2.0, 2.0, 1.5])
    _, speeds = motion(layout, np.array([[1, 2, 0], [2, 1, 1], [0, 0, 1]]), areas, np.zeros(3))
    np.testing.assert_allclose(speeds, [[3.0, -3.0], [-6.0, 6.0], [0.0, 0.0]])


def test_an_agent_turns_first_then_moves_along_its_new_heading():
    layout = action_layout(0, (3, 2), ("turn", "forward"))
    heading, velocity = motion(layout, np.array([[1, 1], [2, 0], [0, 1]]), constants(3), np.array([0.0, 90.0, 90.0]))
    np.testing.assert_allclose(heading, [18.0, 72.0, 90.0])
    np.testing.assert_allclose(
        velocity, [[3 * np.sin(np.radians(18)), 3 * np.cos(np.radians(18))], [0, 0], [3, 0]], atol=1e-12
    )


def test_reversed_meanings_and_continuous_axes_clip():
    layout = action_layout(3, (), ("-move_z", "strafe", "sprint"))
    _, velocity = motion(layout, np.array([[2.0, -0.5, 0.5]]), constants(), np.zeros(1))
    np.testing.assert_allclose(velocity, [[-0.5 * 3 * 1.5, -1.0 * 3 * 1.5]])


def test_the_heuristic_picks_the_first_best_aligned_value_and_stays_otherwise():
    keys = Steering.from_keys(np.array([1.0, 0.0, 0.0]), np.array([1.0, -1.0, 0.0]))
    assert closest_values(action_layout(0, (5,)), keys).tolist() == [[1], [4], [0]]
    assert closest_values(action_layout(0, (3, 3, 2)), keys).tolist() == [[1, 1, 0], [0, 2, 0], [0, 0, 0]]
    # Vertical drives forward and Horizontal turns; a reversed branch answers the opposite key.
    four_keys = action_layout(0, (2, 2, 2, 2), ("forward", "-forward", "turn", "-turn"))
    assert closest_values(four_keys, keys).tolist() == [[1, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]]
    sprinting = action_layout(2, (), ("turn", "sprint"))
    np.testing.assert_allclose(axis_values(sprinting, keys, sprint=np.array([1.0, 0.0, 1.0])), [[1, 1], [0, 0], [0, 1]])


@pytest.mark.parametrize(
    ("action_space", "message"),
    [
        (
            {"type": "discrete", "branches": [3, 2], "meanings": ["turn"]},
            "action_space.meanings: ['turn'] gives 1 meanings for 2 branches; give exactly 2",
        ),
        (
            {"type": "continuous", "size": 2, "meanings": ["move", "turn"]},
            "action_space.meanings: 'move' (item 0) is not one of move_x, move_z, forward, strafe, turn, sprint, noop",
        ),
        (
            {"type": "discrete", "branches": [3], "meanings": ["jump"]},
            "action_space.meanings[0]: 'jump' is not one of move_x, move_z, forward, strafe, turn, move, sprint, noop, -move_x",
        ),
        ({"type": "discrete", "branches": [3, 0]}, "action_space.branches[1]: 0 is not allowed; must be >= 1"),
        ({"type": "discrete", "branches": []}, "action_space.branches"),
        ({"type": "continuous", "size": 0}, "action_space.size: 0 is not allowed; must be >= 1"),
    ],
)
def test_bad_layouts_name_the_field_the_value_and_what_is_allowed(action_space, message):
    with pytest.raises(SpecValidationError) as caught:
        UnityAssetSpec(asset_id="a", name="A", action_space=action_space)
    assert message in str(caught.value)


def test_the_behavior_spec_records_the_meanings_and_turn_speed_only_for_turning_agents():
    turning = derive_behavior(
        UnityAssetSpec(
            asset_id="a",
            name="A",
            action_space={"type": "discrete", "branches": [3, 2], "meanings": ["turn", "forward"]},
        )
    )
    assert turning.actions.meanings == ("turn", "forward")
    assert turning.world.turn_speed > 0
    assert "heading" in turning.observations[0].meaning
    still = derive_behavior(UnityAssetSpec(asset_id="a", name="A"))
    assert still.actions.meanings == ("move_x", "move_z")
    assert still.world.turn_speed is None and "turn_speed" not in still.to_dict()["world"]
