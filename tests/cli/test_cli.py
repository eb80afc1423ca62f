"""``run`` and ``schedule``: the orchestrator and the scheduler as command-line programs."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest
import yaml

from tests.conftest import run_cli
from tests.orchestrator.test_orchestrator import small_job


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "mlops_unity_pipeline", *args]


@pytest.mark.trainer
def test_run_trains_a_job_file_and_prints_the_result(tmp_path):
    job = tmp_path / "job.yaml"
    small_job("cli-job").dump(job)
    result = run_cli(
        "run",
        str(job),
        "--work-dir",
        str(tmp_path / "work"),
        "--registry-dir",
        str(tmp_path / "registry"),
        "--eval-episodes",
        "2",
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "TrainingJobResult cli-job: succeeded" in result.stdout
    assert "[cli-job] train done" in result.stderr
    assert json.loads((tmp_path / "work" / "cli-job" / "metrics.json").read_text())["status"] == "succeeded"


def test_run_reports_a_failed_stage_with_exit_status_1(tmp_path, monkeypatch):
    job = tmp_path / "job.yaml"
    small_job("cli-broken").dump(job)
    for variable in ("UNITY_BUILD_COMMAND", "UNITY_EDITOR_PATH"):
        monkeypatch.delenv(variable, raising=False)
    result = run_cli("run", str(job), "--work-dir", str(tmp_path), "--backend", "unity", timeout=120)
    assert result.returncode == 1
    assert "TrainingJobResult cli-broken: failed" in result.stdout and "failed stage:  build" in result.stdout
    assert "Traceback" not in result.stderr


def test_schedule_runs_as_a_service_until_sigterm(tmp_path):
    schedules = tmp_path / "schedules.yaml"
    schedules.write_text(
        yaml.safe_dump(
            {
                "schedules": [
                    {
                        "schedule_id": "nightly",
                        "cron_expression": "0 2 * * *",
                        "timezone": "Europe/Berlin",
                        "asset_specs": [{"asset_id": "patrol-001", "name": "PatrolAgent"}],
                    }
                ]
            }
        )
    )
    process = subprocess.Popen(
        cli("schedule", str(schedules), "--work-dir", str(tmp_path)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not (tmp_path / "scheduler_state.json").exists() and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1]
        time.sleep(0.2)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    assert any("first start; next fire at" in line["message"] for line in lines)
    assert any("received SIGTERM" in line["message"] for line in lines)


def test_schedule_refuses_a_bad_file_without_a_traceback(tmp_path):
    schedules = tmp_path / "schedules.yaml"
    schedules.write_text(
        yaml.safe_dump({"schedules": [{"schedule_id": "s", "cron_expression": "every day", "asset_specs": []}]})
    )
    result = run_cli("schedule", str(schedules), timeout=60)
    assert result.returncode == 2
    assert "schedules[0]" in result.stderr and "asset_specs" in result.stderr
    assert "Traceback" not in result.stderr


def test_train_ends_at_once_with_its_status_and_its_error(tmp_path):
    """``train`` ends without the interpreter's teardown: with its status and its whole error, no traceback.

    (Its output on success, through a pipe, is checked by the train stage's resume test.)
    """
    missing = str(tmp_path / "nothing")
    result = run_cli("train", "--build", missing, "--generated", missing, "--out", "out", timeout=60, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and "nothing" in result.stderr
    assert "Traceback" not in result.stderr
