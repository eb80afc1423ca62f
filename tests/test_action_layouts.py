"""Action layouts are data (behavior/actions.py): the schema, velocities and heuristic choices follow the table."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from mlops_unity_pipeline.behavior.actions import ACTION_LAYOUTS, action_layout, closest_values, velocities

SCHEMAS = [Path(__file__).resolve().parents[1] / "schemas" / "asset_spec.schema.json",
           Path(__file__).resolve().parents[1] / "mlops_unity_pipeline" / "schemas" / "asset_spec.schema.json"]


@pytest.mark.parametrize("schema", SCHEMAS, ids=["schemas", "package"])
def test_the_asset_schema_offers_exactly_the_layouts_of_the_table(schema):
    action_space = json.loads(schema.read_text())["properties"]["action_space"]["properties"]
    assert sorted(map(tuple, action_space["branches"]["enum"])) == sorted(sizes for sizes in ACTION_LAYOUTS if sizes)
    assert action_space["size"]["enum"] == [ACTION_LAYOUTS[()].continuous_size]


def test_every_layout_names_its_branch_sizes_and_says_what_values_do():
    for sizes, layout in ACTION_LAYOUTS.items():
        assert layout.branch_sizes == sizes
        assert layout.meaning.startswith("continuous" if not sizes else "discrete")


def test_move_branches_add_up_and_speed_branches_multiply():
    layout = action_layout((3, 3, 2))
    constants = {"move_speed": np.array([3.0, 3.0, 2.0]), "sprint_multiplier": np.array([2.0, 2.0, 1.5])}
    speeds = velocities(layout, np.array([[1, 2, 0], [2, 1, 1], [0, 0, 1]]), constants)
    np.testing.assert_allclose(speeds, [[3.0, -3.0], [-6.0, 6.0], [0.0, 0.0]])


def test_continuous_actions_are_clipped():
    speeds = velocities(action_layout(()), np.array([[2.0, -0.5]]), {"move_speed": np.array([3.0])})
    np.testing.assert_allclose(speeds, [[3.0, -1.5]])


def test_the_heuristic_picks_the_first_best_aligned_value_and_stays_otherwise():
    wanted = np.array([[1.0, 1.0], [0.0, -1.0], [0.0, 0.0]])
    assert closest_values(action_layout((5,)), wanted).tolist() == [[1], [4], [0]]
    assert closest_values(action_layout((3, 3, 2)), wanted).tolist() == [[1, 1, 0], [0, 2, 0], [0, 0, 0]]


def test_an_unknown_layout_is_named_with_the_known_ones():
    with pytest.raises(KeyError, match=r"\[4\] are not one of \[\[5\], \[3, 3\], \[3, 3, 2\]\]"):
        action_layout((4,))
