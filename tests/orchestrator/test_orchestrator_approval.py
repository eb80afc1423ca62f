"""Promotion through the control plane: the orchestrator reports every stage to a real
ControlPlaneRuntime and makes a version champion only after a person approves it with the
``approve`` command (run as a real subprocess, as an operator would)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mlops_unity_pipeline import ControlPlaneRuntime, UnityMLOpsOrchestrator
from mlops_unity_pipeline.registry import FileRegistry

from .test_orchestrator import small_job

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.trainer


@pytest.fixture
def control_plane_files(tmp_path):
    """The example bundle, with a guardrail a 3000-step policy can meet."""
    bundle = yaml.safe_load((REPO / "examples" / "control_plane" / "bundle.yaml").read_text())
    for guardrail in bundle["guardrails"]:
        if guardrail["id"] == "min_mean_reward":
            guardrail["min"] = -10.0
    path = tmp_path / "bundle.yaml"
    path.write_text(yaml.safe_dump(bundle))
    return path, REPO / "schemas" / "control_plane", tmp_path / "events.jsonl"


def test_promotion_waits_for_a_human_approval(tmp_path, control_plane_files):
    bundle, schemas, events = control_plane_files
    runtime = ControlPlaneRuntime(bundle_path=str(bundle), schemas_dir=str(schemas), events_path=str(events))
    runtime.load_bundle()
    runtime.compile_schemas()
    orchestrator = UnityMLOpsOrchestrator(
        work_dir=tmp_path / "work",
        registry_dir=tmp_path / "registry",
        eval_episodes=4,
        control_plane=runtime,
        approval_timeout_s=300,
    )
    approve = [
        sys.executable,
        "-m",
        "mlops_unity_pipeline",
        "approve",
        "--bundle",
        str(bundle),
        "--schemas",
        str(schemas),
        "--events",
        str(events),
    ]

    async def operator(job: asyncio.Task) -> str:
        """Wait until the promotion is pending, check nothing was promoted yet, then approve it."""
        while True:
            assert not job.done(), f"the job ended without asking for approval: {job.result()}"
            listed = await asyncio.to_thread(subprocess.run, approve + ["--list"], capture_output=True, text=True)
            if "SimpleAgent@1" in listed.stdout:
                break
            await asyncio.sleep(0.5)
        assert "champion" not in FileRegistry(tmp_path / "registry").get("SimpleAgent", 1).aliases
        done = await asyncio.to_thread(
            subprocess.run, approve + ["--approver", "alice"], capture_output=True, text=True, check=True
        )
        return done.stdout

    async def main():
        job = asyncio.create_task(orchestrator.execute_training_job(small_job("approved-job")))
        approval = await operator(job)
        return await job, approval

    result, approval = asyncio.run(main())
    assert result.status == "succeeded", result.error
    assert "approved promote of SimpleAgent@1 by alice" in approval
    assert result.promoted and "promote" in result.stage_durations_s
    assert "champion" in FileRegistry(tmp_path / "registry").get("SimpleAgent", 1).aliases
    state = runtime.replay_events()
    assert state.facts["champion"] == "SimpleAgent@1"
