"""The setup guide's "Minimal control-plane API surface loop" sketch, run exactly as written."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

from mlops_unity_pipeline import ControlPlaneRuntime


async def _guide_sketch() -> None:
    runtime = ControlPlaneRuntime(
        bundle_path="bundle.yaml",
        schemas_dir="schemas",
        events_path="runtime/events.jsonl",
    )

    bundle = runtime.load_bundle()
    action_ids = runtime.enumerate_action_ids(bundle)
    stubs = runtime.generate_mcp_stub_tools(action_ids)
    _ = stubs

    runtime.compile_schemas()
    runtime.validate_tool_input("tool_action", {"example": "payload"})

    await runtime.append_event({"event_type": "tool_invocation", "action_id": "tool_action"})
    state = runtime.replay_events()
    decision = runtime.evaluate_transition_requirements(["guardrails_ok"], state)
    decision = runtime.enforce_guardrails_and_hitl(decision, state)
    print(decision)


def test_the_guide_sketch_runs_as_written(workdir: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(workdir)
    asyncio.run(_guide_sketch())

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
