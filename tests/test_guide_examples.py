"""The setup guide's examples (docs/setup-guide.md), copied verbatim into examples/, run as written."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.setup_guide import guide_block

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("heading", "example"), [("## Quick start", "quickstart.py"), ("## Scheduling jobs (24/7)", "scheduling.py")]
)
def test_examples_hold_the_guide_code_verbatim(heading, example):
    assert guide_block(heading) in (REPO / "examples" / example).read_text()


@pytest.mark.trainer
def test_quick_start_runs_as_written(tmp_path):
    env = {**os.environ, "MLOPS_REGISTRY_DIR": str(tmp_path / "registry")}
    result = subprocess.run(
        [sys.executable, str(REPO / "examples" / "quickstart.py")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "TrainingJobResult smoke-test-job: succeeded" in result.stdout
    assert f"model URI:     file://{tmp_path / 'registry'}/SimpleAgent/versions/1" in result.stdout
    metrics = json.loads((tmp_path / "runs" / "smoke-test-job" / "metrics.json").read_text())
    assert metrics["metrics"]["steps"] == 100_000


def test_scheduling_example_runs_until_sigterm(tmp_path):
    process = subprocess.Popen(
        [sys.executable, str(REPO / "examples" / "scheduling.py")],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    state = tmp_path / "runs" / "scheduler_state.json"
    deadline = time.monotonic() + 60
    while not state.exists() and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1]
        time.sleep(0.2)
    assert "nightly" in json.loads(state.read_text())["last_fire"]
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
