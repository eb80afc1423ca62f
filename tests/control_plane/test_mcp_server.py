"""The MCP server, driven by the official SDK's own client over stdio (a real subprocess)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from mlops_unity_pipeline.control_plane import ControlPlaneRuntime

REPO = Path(__file__).resolve().parents[2]


def _server(workdir: Path) -> StdioServerParameters:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return StdioServerParameters(
        command=sys.executable,
        args=[
            "-m",
            "mlops_unity_pipeline",
            "mcp-serve",
            "--bundle",
            str(workdir / "bundle.yaml"),
            "--schemas",
            str(workdir / "schemas"),
            "--events",
            str(workdir / "runtime" / "events.jsonl"),
        ],
        env=env,
        cwd=str(workdir),
    )


async def _session_calls(workdir: Path) -> dict:
    results: dict = {}
    async with stdio_client(_server(workdir)) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        listed = await session.list_tools()
        results["tools"] = {tool.name: tool for tool in listed.tools}
        results["invalid"] = await session.call_tool("train", {"run_id": "r1", "succeeded": "yes", "approved": True})
        results["unknown"] = await session.call_tool("self_approve", {})
        results["promote_early"] = await session.call_tool("promote", {"model_version": "walker@1"})
        results["train"] = await session.call_tool("train", {"run_id": "r1", "succeeded": True, "steps": 5000})
        results["evaluate"] = await session.call_tool(
            "evaluate", {"run_id": "r1", "metrics": {"mean_reward": 0.9, "onnx_matches_behavior": True}}
        )
        results["register"] = await session.call_tool(
            "register", {"run_id": "r1", "model_version": "walker@1", "uri": "registry/walker/1"}
        )
        results["promote"] = await session.call_tool("promote", {"model_version": "walker@1"})
    return results


def _body(result) -> dict:
    return json.loads(result.content[0].text)


def test_sdk_client_lists_and_calls_tools_over_stdio(workdir: Path) -> None:
    results = asyncio.run(asyncio.wait_for(_session_calls(workdir), timeout=60))

    assert sorted(results["tools"]) == ["evaluate", "promote", "register", "tool_action", "train"]
    assert results["tools"]["train"].input_schema["required"] == ["run_id", "succeeded"]

    invalid = _body(results["invalid"])
    assert results["invalid"].is_error and invalid["verdict"] == "rejected"
    assert any(p.startswith("succeeded:") for p in invalid["problems"])
    assert any("approved" in p for p in invalid["problems"])  # a payload cannot smuggle an approval

    assert results["unknown"].is_error and "unknown action 'self_approve'" in _body(results["unknown"])["problems"][0]

    early = _body(results["promote_early"])
    assert results["promote_early"].is_error and early["verdict"] == "blocked"

    for name in ("train", "evaluate", "register"):
        assert not results[name].is_error, _body(results[name])
        assert _body(results[name])["verdict"] == "allowed"

    promote = _body(results["promote"])
    assert results["promote"].is_error and promote["verdict"] == "halt"
    assert promote["awaiting_approval"] and promote["subject"] == "walker@1"

    # Every call, valid or not, is in the log; the state moved only through allowed ones.
    runtime = ControlPlaneRuntime(workdir / "bundle.yaml", workdir / "schemas", workdir / "runtime" / "events.jsonl")
    state = runtime.replay_events()
    assert state.intact and state.workflow_state == "registered"
    assert state.facts["guardrails_ok"] is True and state.facts["model_version"] == "walker@1"
    assert [(r.transition, r.subject) for r in state.pending_approvals] == [("promote", "walker@1")]
    assert state.pending_approvals[0].requested_by.startswith("mcp:")
    lines = [json.loads(line) for line in (workdir / "runtime" / "events.jsonl").read_text().splitlines()]
    invocations = [e for e in lines if e["event_type"] == "tool_invocation"]
    assert [e["decision"] for e in invocations] == [
        "rejected",
        "rejected",
        "blocked",
        "allowed",
        "allowed",
        "allowed",
        "halt",
    ]
    assert not any(e["event_type"] == "approval" for e in lines)


def test_the_server_refuses_to_start_on_a_broken_schema(workdir: Path) -> None:
    (workdir / "schemas" / "promote.json").unlink()
    params = _server(workdir)
    started = subprocess.run(
        [params.command, *params.args],
        input="",
        capture_output=True,
        text=True,
        timeout=30,
        env=params.env,
        cwd=params.cwd,
        check=False,
    )
    assert started.returncode == 2 and started.stdout == ""
    assert "promote.json (action promote): schema file not found" in started.stderr
    assert not (workdir / "runtime" / "events.jsonl").exists()
