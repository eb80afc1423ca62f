"""The setup guide's "Minimal control-plane API surface loop" sketch, run exactly as written there.

The sketch is read from docs/setup-guide.md and executed unchanged (its top-level ``await``
included) in a directory laid out as it expects: ``bundle.yaml``, ``schemas/``, ``runtime/``.
It runs on the project's own bundle and on a bundle in the guide's minimal shape.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import json
import os
from pathlib import Path

import pytest

from mlops_unity_pipeline import ControlPlaneRuntime
from mlops_unity_pipeline.control_plane import BundleError
from tests.setup_guide import guide_block

SKETCH = guide_block("## Minimal control-plane API surface loop")


def run_the_guide_sketch(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """All eight steps of the guide's sketch, in ``workdir``, with only ``ControlPlaneRuntime`` in scope."""
    monkeypatch.chdir(workdir)
    code = compile(SKETCH, "docs/setup-guide.md", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(code, {"ControlPlaneRuntime": ControlPlaneRuntime})  # the guide's own code
    if inspect.iscoroutine(result):
        asyncio.run(result)


def test_the_sketch_holds_all_eight_steps() -> None:
    for step in (
        "load_bundle",
        "enumerate_action_ids",
        "generate_mcp_stub_tools",
        "compile_schemas",
        "validate_tool_input",
        "append_event",
        "replay_events",
        "evaluate_transition_requirements",
        "enforce_guardrails_and_hitl",
    ):
        assert f"runtime.{step}(" in SKETCH


@pytest.mark.parametrize("layout", ["workdir", "minimal_workdir"], ids=["project_bundle", "minimal_bundle"])
def test_the_guide_sketch_runs_as_written(layout: str, request, monkeypatch, capsys) -> None:
    workdir = request.getfixturevalue(layout)
    run_the_guide_sketch(workdir, monkeypatch)

    printed = capsys.readouterr().out
    # Nothing was evaluated yet, so the guardrails cannot hold: fail closed, with the reasons.
    assert printed.startswith("HALT")
    assert "guardrails_ok" in printed and "mean_reward" in printed
    lines = (workdir / "runtime" / "events.jsonl").read_text().splitlines()
    assert len(lines) == 1
    event = json.loads(lines[0])
    assert (event["event_type"], event["action_id"], event["seq"]) == ("tool_invocation", "tool_action", 1)
    assert len(event["hash"]) == 64 and event["ts"].endswith("Z")
    assert os.path.exists(workdir / "runtime" / "events.jsonl.lock")


def test_the_sketch_fails_closed_when_an_action_has_no_schema_file(minimal_workdir: Path, monkeypatch) -> None:
    (minimal_workdir / "schemas" / "promote.json").unlink()
    with pytest.raises(BundleError) as caught:
        run_the_guide_sketch(minimal_workdir, monkeypatch)
    assert [str(problem) for problem in caught.value.problems] == [
        f"promote.json (action promote): schema file not found in {Path('schemas')}"
    ]
    # Step 2 already needs every schema; nothing was validated or recorded.
    assert not (minimal_workdir / "runtime" / "events.jsonl").exists()


def test_the_sketch_stubs_describe_every_action(runtime) -> None:
    bundle = runtime.load_bundle()
    stubs = runtime.generate_mcp_stub_tools(runtime.enumerate_action_ids(bundle))
    assert [stub["name"] for stub in stubs] == ["tool_action", "train", "evaluate", "register", "promote"]
    for stub in stubs:
        assert set(stub) == {"name", "description", "inputSchema"}
        assert stub["inputSchema"]["type"] == "object"
        assert "$ref" not in json.dumps(stub["inputSchema"])  # self-contained for an MCP client
    promote = stubs[-1]
    assert "human approval" in promote["description"]
    assert promote["inputSchema"]["properties"]["model_version"]["pattern"] == "^[^\\s@]+@[0-9]+$"
