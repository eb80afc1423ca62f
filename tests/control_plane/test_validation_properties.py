"""Property-based tests of tool-input validation: arbitrary input never crashes it, invalid never passes.

The oracles below are written by hand from the example schemas, independently of jsonschema,
so a validator that wrongly accepted (or rejected) a payload would disagree with them.
"""

from __future__ import annotations

import math
import re
import shutil
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlops_unity_pipeline.control_plane import ControlPlaneRuntime, ToolInputError

from .conftest import EXAMPLE_BUNDLE, EXAMPLE_SCHEMAS

RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
NOTE_KEY = re.compile(r"^[A-Za-z0-9_]{1,64}$")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def runtime(tmp_path_factory) -> ControlPlaneRuntime:
    root = tmp_path_factory.mktemp("validation")
    shutil.copy(EXAMPLE_BUNDLE, root / "bundle.yaml")
    shutil.copytree(EXAMPLE_SCHEMAS, root / "schemas")
    runtime = ControlPlaneRuntime(root / "bundle.yaml", root / "schemas", root / "events.jsonl")
    runtime.compile_schemas()
    return runtime


json_leaves = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
odd_leaves = (
    st.binary(max_size=5)
    | st.tuples(st.integers())
    | st.frozensets(st.integers(), max_size=2)
    | st.just(math.nan)
    | st.just(object())
)
anything = st.recursive(
    json_leaves | odd_leaves,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=10) | st.integers() | st.none(), children, max_size=4)
    ),
    max_leaves=20,
)


def _is_int(value: Any) -> bool:
    """JSON Schema's integer: any number with no fractional part (JSON does not tell 1 from 1.0)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def train_ok(payload: Any) -> bool:
    """The example's train.json, by hand."""
    return (
        isinstance(payload, dict)
        and {"run_id", "succeeded"} <= set(payload) <= {"run_id", "succeeded", "steps"}
        and isinstance(payload["run_id"], str)
        and RUN_ID.match(payload["run_id"]) is not None
        and "\n" not in payload["run_id"]
        and isinstance(payload["succeeded"], bool)
        and ("steps" not in payload or (_is_int(payload["steps"]) and payload["steps"] >= 0))
    )


def tool_action_ok(payload: Any) -> bool:
    """The example's tool_action.json, by hand."""
    return (
        isinstance(payload, dict)
        and 1 <= len(payload) <= 20
        and all(isinstance(k, str) and NOTE_KEY.match(k) and "\n" not in k for k in payload)
        and all(isinstance(v, str) and len(v) <= 2000 for v in payload.values())
    )


def _outcome(runtime: ControlPlaneRuntime, action: str, payload: Any) -> bool:
    """True if accepted; False if rejected with a ToolInputError listing at least one problem."""
    try:
        assert runtime.validate_tool_input(action, payload) is payload
        return True
    except ToolInputError as exc:
        assert exc.problems and all(str(problem) for problem in exc.problems)
        return False


near_train = st.fixed_dictionaries(
    {"run_id": st.from_regex(RUN_ID, fullmatch=True) | anything, "succeeded": st.booleans() | anything},
    optional={
        "steps": st.integers(min_value=-3, max_value=10**20) | st.booleans() | st.floats() | anything,
        "approved": st.just(True),
    },
)
near_note = st.dictionaries(
    st.from_regex(NOTE_KEY, fullmatch=True) | st.text(max_size=3), st.text(max_size=30) | anything, max_size=22
)


@SETTINGS
@given(payload=anything | near_train)
def test_train_input_accepted_exactly_when_the_schema_allows(runtime: ControlPlaneRuntime, payload: Any) -> None:
    assert _outcome(runtime, "train", payload) == train_ok(payload)


@SETTINGS
@given(payload=anything | near_note)
def test_note_input_accepted_exactly_when_the_schema_allows(runtime: ControlPlaneRuntime, payload: Any) -> None:
    assert _outcome(runtime, "tool_action", payload) == tool_action_ok(payload)


@SETTINGS
@given(action=st.sampled_from(["tool_action", "train", "evaluate", "register", "promote"]), payload=anything)
def test_no_payload_crashes_any_action(runtime: ControlPlaneRuntime, action: str, payload: Any) -> None:
    _outcome(runtime, action, payload)


@SETTINGS
@given(action=st.text(max_size=30) | st.integers() | st.none(), payload=anything)
def test_an_undeclared_action_never_passes(runtime: ControlPlaneRuntime, action: Any, payload: Any) -> None:
    if action in runtime.enumerate_action_ids():
        return
    with pytest.raises(ToolInputError, match="unknown action"):
        runtime.validate_tool_input(action, payload)


def test_deep_nesting_is_refused_not_a_recursion_error(runtime: ControlPlaneRuntime) -> None:
    payload: Any = "leaf"
    for _ in range(10_000):
        payload = {"note": payload}
    with pytest.raises(ToolInputError, match="nested deeper than 64 levels"):
        runtime.validate_tool_input("tool_action", payload)


def test_every_problem_is_listed_with_its_path(runtime: ControlPlaneRuntime) -> None:
    with pytest.raises(ToolInputError) as caught:
        runtime.validate_tool_input(
            "evaluate", {"run_id": "-bad", "metrics": {"mean_reward": "high", "extra": "x"}, "approved": True}
        )
    text = str(caught.value)
    for expected in (
        "metrics.mean_reward: 'high' is not of type number",
        "metrics.onnx_matches_behavior: is required",
        "metrics.extra: 'x' is not of type number",
        "approved: unknown field(s) 'approved'",
        "run_id: '-bad' does not match",
    ):
        assert expected in text
    assert "(5 problem(s))" in text
