"""Driving the example workflow through the runtime: requirements, guardrails, HITL approvals."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_unity_pipeline.control_plane import ApprovalError, ApprovalTimeout, ControlPlaneRuntime, Verdict

REPO = Path(__file__).resolve().parents[2]
ROBOT = "orchestrator"


async def _candidate(runtime: ControlPlaneRuntime, *, reward: float = 0.9, version: str = "walker@3") -> None:
    """Train, evaluate and register one candidate, as the orchestrator would report it."""
    for action, payload in [
        ("train", {"run_id": "run-1", "succeeded": True}),
        ("evaluate", {"run_id": "run-1", "metrics": {"mean_reward": reward, "onnx_matches_behavior": True}}),
        ("register", {"run_id": "run-1", "model_version": version, "uri": f"registry/{version}"}),
    ]:
        result = await runtime.invoke(action, payload, actor=ROBOT)
        assert result.applied, result.decision


def _approve_cli(workdir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mlops_unity_pipeline",
            "approve",
            "--bundle",
            str(workdir / "bundle.yaml"),
            "--schemas",
            str(workdir / "schemas"),
            "--events",
            str(workdir / "runtime" / "events.jsonl"),
            *args,
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def test_transitions_follow_the_declared_requirements(runtime: ControlPlaneRuntime) -> None:
    async def scenario() -> None:
        evaluate = {"run_id": "run-1", "metrics": {"mean_reward": 0.9, "onnx_matches_behavior": True}}
        early = await runtime.invoke("evaluate", evaluate, actor=ROBOT)
        assert early.decision.verdict is Verdict.BLOCKED
        assert early.decision.missing == ("training_succeeded",)
        assert "state 'idle'" in early.decision.reasons[0]

        failed = await runtime.invoke("train", {"run_id": "run-1", "succeeded": False}, actor=ROBOT)
        assert failed.applied  # a failed run is recorded: it starts a candidate that cannot advance
        blocked = await runtime.invoke("evaluate", evaluate, actor=ROBOT)
        assert blocked.decision.verdict is Verdict.BLOCKED and blocked.decision.missing == ("training_succeeded",)

        await runtime.invoke("train", {"run_id": "run-1", "succeeded": True}, actor=ROBOT)
        assert (await runtime.invoke("evaluate", evaluate, actor=ROBOT)).applied

    asyncio.run(scenario())
    state = runtime.replay_events()
    assert state.workflow_state == "evaluated"
    assert state.facts["mean_reward"] == 0.9 and state.facts["guardrails_ok"] is True


def test_a_failed_guardrail_halts_promotion_even_with_approval(runtime: ControlPlaneRuntime) -> None:
    async def scenario() -> None:
        await _candidate(runtime, reward=0.1)
        await runtime.approve("promote", approver="alice", subject="walker@3")
        result = await runtime.invoke("promote", {"model_version": "walker@3"}, actor=ROBOT)
        assert result.decision.verdict is Verdict.HALT and not result.decision.awaiting_approval
        assert any("min_mean_reward" in reason and ">= 0.5" in reason for reason in result.decision.reasons)

    asyncio.run(scenario())
    assert runtime.replay_events().workflow_state == "registered"


def test_promotion_waits_for_a_human_approval_recorded_by_the_cli(runtime: ControlPlaneRuntime, workdir: Path) -> None:
    async def scenario() -> None:
        await _candidate(runtime)
        waiting = asyncio.create_task(
            runtime.invoke_when_approved(
                "promote", {"model_version": "walker@3"}, actor=ROBOT, timeout=20, poll_interval=0.05
            )
        )
        for _ in range(200):  # until the halted promotion has asked for an approval
            if runtime.replay_events().pending_approvals:
                break
            await asyncio.sleep(0.05)
        assert not waiting.done()

        listed = await asyncio.to_thread(_approve_cli, workdir, "--list")
        assert json.loads(listed.stdout)["subject"] == "walker@3"
        # The requester cannot approve its own request.
        own = await asyncio.to_thread(_approve_cli, workdir, "--approver", ROBOT)
        assert own.returncode == 2 and "cannot also approve" in own.stderr
        approved = await asyncio.to_thread(_approve_cli, workdir, "--approver", "alice", "--note", "reviewed evals")
        assert approved.returncode == 0, approved.stderr
        assert "approved promote of walker@3 by alice" in approved.stdout

        result = await waiting
        assert result.applied, result.decision

    asyncio.run(scenario())
    state = runtime.replay_events()
    assert state.workflow_state == "champion" and state.facts["champion"] == "walker@3"
    assert state.approvals == () and state.pending_approvals == ()  # the approval was used up
    events = [json.loads(line) for line in runtime.events_path.read_text().splitlines()]
    approval = next(e for e in events if e["event_type"] == "approval")
    assert (approval["approver"], approval["subject"], approval["note"]) == ("alice", "walker@3", "reviewed evals")


def test_an_approval_covers_only_its_subject_and_one_promotion(runtime: ControlPlaneRuntime) -> None:
    async def scenario() -> None:
        await _candidate(runtime, version="walker@3")
        with pytest.raises(
            ApprovalError, match="no promote of 'walker@2' was requested and it is no current candidate"
        ):
            await runtime.approve("promote", approver="alice", subject="walker@2")
        other = await runtime.request_promotion({"model_version": "walker@3"}, actor=ROBOT)
        assert other.decision.verdict is Verdict.HALT and other.decision.awaiting_approval
        await runtime.approve("promote", approver="alice")  # the pending subject
        state = runtime.replay_events()
        assert runtime.is_transition_allowed("promote", state, "walker@3", {"model_version": "walker@3"}).allowed
        # walker@2 is not the registered candidate: promoting it stays blocked.
        other = runtime.is_transition_allowed("promote", state, "walker@2", {"model_version": "walker@2"})
        assert other.verdict is Verdict.BLOCKED
        assert "/model_version is 'walker@2'; it must equal fact model_version ('walker@3')" in other.reasons[0]
        assert not runtime.is_transition_allowed("promote", state, "walker@3").allowed  # no payload, no match
        assert (await runtime.invoke("promote", {"model_version": "walker@3"}, actor=ROBOT)).applied

        await _candidate(runtime, version="walker@4")
        again = await runtime.invoke("promote", {"model_version": "walker@4"}, actor=ROBOT)
        assert again.decision.awaiting_approval

    asyncio.run(scenario())


def test_approvals_are_refused_when_they_make_no_sense(runtime: ControlPlaneRuntime) -> None:
    async def scenario() -> None:
        with pytest.raises(ApprovalError, match="unknown transition"):
            await runtime.approve("deploy", approver="alice")
        with pytest.raises(ApprovalError, match="needs no approval"):
            await runtime.approve("train", approver="alice")
        with pytest.raises(ApprovalError, match="approver"):
            await runtime.approve("promote", approver="  ", subject="walker@3")
        with pytest.raises(ApprovalError, match="pending for promote: none"):
            await runtime.approve("promote", approver="alice")
        with pytest.raises(ApprovalTimeout):
            await runtime.wait_for_approval("promote", "walker@3", timeout=0.2, poll_interval=0.05)

    asyncio.run(scenario())


def test_a_damaged_log_halts_every_action(runtime: ControlPlaneRuntime) -> None:
    async def scenario() -> None:
        await _candidate(runtime)
        lines = runtime.events_path.read_text().splitlines(keepends=True)
        lines[0] = lines[0].replace('"succeeded":true', '"succeeded":false')
        assert "false" in lines[0]
        runtime.events_path.write_text("".join(lines))
        result = await runtime.invoke("tool_action", {"note": "anything"}, actor=ROBOT)
        assert result.decision.verdict is Verdict.HALT
        assert "hash_mismatch" in result.decision.reasons[0]

    asyncio.run(scenario())


def test_status_command_reports_state_and_verification(runtime: ControlPlaneRuntime, workdir: Path) -> None:
    asyncio.run(_candidate(runtime))
    command = [
        sys.executable,
        "-m",
        "mlops_unity_pipeline",
        "control-plane-status",
        "--bundle",
        str(workdir / "bundle.yaml"),
        "--events",
        str(runtime.events_path),
    ]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    ok = subprocess.run(command, check=False, capture_output=True, text=True, timeout=30, env=env)
    assert ok.returncode == 0 and json.loads(ok.stdout)["workflow_state"] == "registered"

    text = runtime.events_path.read_text()
    runtime.events_path.write_text(text.replace('"mean_reward":0.9', '"mean_reward":0.99', 1))
    broken = subprocess.run(command, check=False, capture_output=True, text=True, timeout=30, env=env)
    report = json.loads(broken.stdout)
    assert broken.returncode == 1 and not report["intact"]
    assert len(report["issues"]) == 1 and report["issues"][0].startswith("line 3 ")
    assert "hash_mismatch" in report["issues"][0]
