"""Every stage command runs under ``--timeout``: a hung stage ends with status 124, a finished one keeps its status.

Real subprocesses throughout: the serving command stands in for a hung stage, since it runs until stopped.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mlops_unity_pipeline.deadline import DeadlineError, parse_seconds

REPO_ROOT = Path(__file__).resolve().parents[2]
MODEL_DIR = REPO_ROOT / "tests" / "serving" / "data" / "simple_agent_trained"


def stage(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "mlops_unity_pipeline", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def test_a_stage_past_its_timeout_is_stopped_with_status_124(tmp_path: Path) -> None:
    started = time.monotonic()
    result = stage("--timeout", "3s", "serve", "--model-dir", str(MODEL_DIR), "--host", "127.0.0.1", "--port", "0")
    assert result.returncode == 124, result.stderr
    assert "serve ran past its 3 s timeout and was stopped" in result.stderr
    assert time.monotonic() - started < 60


def test_a_stage_within_its_timeout_keeps_its_own_status_and_output(tmp_path: Path) -> None:
    ok = stage("--timeout=600", "models", "list", "--registry", str(tmp_path / "registry"))
    assert ok.returncode == 0, ok.stderr
    failed = stage("--timeout", "600", "models", "get", "no-such-model", "--registry", str(tmp_path / "registry"))
    assert failed.returncode == 2 and "error:" in failed.stderr and "Traceback" not in failed.stderr


@pytest.mark.parametrize("text", ["0", "-5", "an hour", "5m"])
def test_a_timeout_must_be_seconds(text: str) -> None:
    with pytest.raises(DeadlineError, match="is not a positive number of seconds"):
        parse_seconds(text)
    assert parse_seconds("86400s") == 86400.0


def test_train_uses_the_checkpoint_folder_only_where_it_is_a_folder() -> None:
    from mlops_unity_pipeline.train.stage import training_folder

    assert training_folder("/gcs/b/root/checkpoints/run/a", "/out") == ("/gcs/b/root/checkpoints/run/a", None)
    assert training_folder(None, "/out") == ("/out", None)
    folder, note = training_folder("minio://mlpipeline/v2/artifacts/checkpoints/run/a", "/out")
    assert folder == "/out" and "is not a folder here; training in /out, where a retry cannot resume" in note
