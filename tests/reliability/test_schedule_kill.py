"""``kill -9`` of the ``schedule`` service while a fire trains: nothing stays alive, and the next
start resumes the interrupted fire. Real scheduler, real clock, real training. The schedule
catches up missed fires and its state says the last fire was minutes ago, so the scheduler fires
as it starts instead of at the next minute."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone

import pytest
import yaml

from mlops_unity_pipeline import RLTrainingConfig, TrainingSchedule, UnityAssetSpec

from .conftest import REPO_ROOT, processes_mentioning, wait_until

pytestmark = [pytest.mark.trainer, pytest.mark.slow]


def _start(schedules, work, state, cache):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mlops_unity_pipeline",
            "schedule",
            str(schedules),
            "--work-dir",
            str(work),
            "--state",
            str(state),
            "--registry-dir",
            str(work / "registry"),
            "--eval-episodes",
            "2",
            "--backend",
            "standin",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), "MLOPS_BUILD_CACHE": str(cache)},
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True).start()
    return process, lines


def test_kill_9_of_schedule_mid_fire_leaves_nothing_and_the_fire_resumes(tmp_path, trainer_env):
    schedule = TrainingSchedule(
        schedule_id="minutely",
        cron_expression="* * * * *",
        asset_specs=[UnityAssetSpec(asset_id="s-1", name="SimpleAgent", description="Reach target position")],
        rl_config=RLTrainingConfig(max_steps=50_000, num_envs=1),
        catch_up=True,
    )
    schedules = tmp_path / "schedules.yaml"
    schedules.write_text(yaml.safe_dump({"schedules": [schedule.to_dict()]}))
    work, state, cache = tmp_path / "work", tmp_path / "state.json", tmp_path / "cache"
    missed_since = datetime.now(timezone.utc) - timedelta(minutes=3)
    state.write_text(json.dumps({"last_fire": {"minutely": missed_since.isoformat()}, "running": {}}))

    process, lines = _start(schedules, work, state, cache)
    try:
        assert wait_until(lambda: any("standin.player" in p for p in processes_mentioning(str(work))), 150), "".join(
            lines
        )
        running = json.loads(state.read_text())["running"]
        assert list(running) == ["minutely"], "the fire is recorded as running while it trains"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert wait_until(lambda: not processes_mentioning(str(tmp_path)), 60), processes_mentioning(str(tmp_path))
    assert json.loads(state.read_text())["running"] == running, "the record outlives the killed scheduler"

    again, lines = _start(schedules, work, state, cache)
    try:
        assert wait_until(lambda: any("was interrupted" in line and "resuming it" in line for line in lines), 60), (
            "".join(lines)
        )
    finally:
        again.send_signal(signal.SIGKILL)
        again.wait()
    assert wait_until(lambda: not processes_mentioning(str(tmp_path)), 60), processes_mentioning(str(tmp_path))
