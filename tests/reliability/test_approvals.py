"""``approve`` refuses what was never asked for, and any log that fails verification."""

from __future__ import annotations

import asyncio
import json

import pytest

from mlops_unity_pipeline import ControlPlaneRuntime
from tests.conftest import run_cli

from .conftest import REPO_ROOT, assert_clear_error

BUNDLE = REPO_ROOT / "examples" / "control_plane" / "bundle.yaml"
SCHEMAS = REPO_ROOT / "schemas" / "control_plane"


@pytest.fixture
def events(tmp_path):
    """A log with a registered candidate, SimpleAgent@2."""
    path = tmp_path / "events.jsonl"
    runtime = ControlPlaneRuntime(bundle_path=BUNDLE, schemas_dir=SCHEMAS, events_path=path)

    async def candidate() -> None:
        await runtime.invoke("train", {"run_id": "run-1", "succeeded": True, "steps": 3000}, actor="robot")
        await runtime.invoke(
            "evaluate",
            {"run_id": "run-1", "metrics": {"mean_reward": 0.9, "success_rate": 1.0, "onnx_matches_behavior": True}},
            actor="robot",
        )
        await runtime.invoke(
            "register",
            {"run_id": "run-1", "model_version": "SimpleAgent@2", "uri": "file:///registry/SimpleAgent/versions/2"},
            actor="robot",
        )

    asyncio.run(candidate())
    return path


def _approve(events, *extra):
    return run_cli(
        "approve", "--bundle", BUNDLE, "--schemas", SCHEMAS, "--events", events, "--approver", "alice", *extra
    )


def test_a_subject_that_was_never_requested_is_refused(events):
    before = events.read_bytes()
    result = _approve(events, "--subject", "Bar@9")
    assert_clear_error(
        result, "no promote of 'Bar@9' was requested and it is no current candidate", "nothing was approved"
    )
    assert events.read_bytes() == before


def test_the_registered_candidate_can_be_approved(events):
    result = _approve(events, "--subject", "SimpleAgent@2")
    assert result.returncode == 0, result.stderr
    assert "approved promote of SimpleAgent@2 by alice" in result.stdout


@pytest.mark.parametrize("tamper", ["edit a payload", "drop a line"])
def test_a_log_that_fails_verification_is_refused_with_a_non_zero_exit(tamper, events):
    lines = events.read_text().splitlines()
    if tamper == "edit a payload":
        event = json.loads(lines[1])
        event["payload"] = {**event.get("payload", {}), "metrics": {"mean_reward": 99.0}}
        lines[1] = json.dumps(event)
    else:
        del lines[1]
    events.write_text("\n".join(lines) + "\n")
    before = events.read_bytes()
    result = _approve(events, "--subject", "SimpleAgent@2")
    assert_clear_error(result, "fails verification", "nothing was approved")
    assert events.read_bytes() == before
    status = run_cli("control-plane-status", "--bundle", BUNDLE, "--schemas", SCHEMAS, "--events", events)
    assert status.returncode == 1 and json.loads(status.stdout)["intact"] is False
