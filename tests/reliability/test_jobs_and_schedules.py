"""Finished jobs keep their record; a killed scheduler's fire is resumed at the next start."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import datetime, timezone

import pytest

from mlops_unity_pipeline import RLTrainingConfig, TrainingJob, TrainingSchedule, UnityAssetSpec
from mlops_unity_pipeline.orchestrator import JobAlreadySucceededError, UnityMLOpsOrchestrator
from mlops_unity_pipeline.scheduler import TrainingScheduler
from tests.conftest import run_cli

from .conftest import REPO_ROOT, assert_clear_error

SUCCEEDED_RECORD = {"job_id": "done-job", "status": "succeeded", "model_uri": "file:///registry/SimpleAgent/versions/1"}


def _job(job_id: str) -> TrainingJob:
    asset = UnityAssetSpec(asset_id="test-001", name="SimpleAgent", description="Reach target position")
    return TrainingJob(job_id=job_id, asset_spec=asset, rl_config=RLTrainingConfig(max_steps=3000, num_envs=1))


def test_a_finished_job_is_not_run_again_and_keeps_its_metrics(tmp_path):
    """The re-run would fail (no Unity Editor); it must not get as far as replacing metrics.json."""
    run_dir = tmp_path / "work" / "done-job"
    run_dir.mkdir(parents=True)
    (run_dir / "metrics.json").write_text(json.dumps(SUCCEEDED_RECORD))
    job_file = tmp_path / "job.yaml"
    _job("done-job").dump(job_file)
    result = run_cli(
        "run",
        job_file,
        "--work-dir",
        tmp_path / "work",
        "--backend",
        "unity",
        env={"UNITY_BUILD_COMMAND": "", "UNITY_EDITOR_PATH": ""},
    )
    assert_clear_error(result, "job_id 'done-job' already succeeded", "another job_id", str(run_dir))
    assert json.loads((run_dir / "metrics.json").read_text()) == SUCCEEDED_RECORD
    assert sorted(p.name for p in run_dir.iterdir()) == ["metrics.json"]


def test_a_failed_job_can_be_run_again(tmp_path):
    orchestrator = UnityMLOpsOrchestrator(work_dir=tmp_path, build_backend="unity")
    run_dir = tmp_path / "again"
    run_dir.mkdir()
    (run_dir / "metrics.json").write_text(json.dumps({"status": "failed"}))
    result = asyncio.run(orchestrator.execute_training_job(_job("again")))
    assert result.failed_stage == "build"
    with pytest.raises(JobAlreadySucceededError):
        (run_dir / "metrics.json").write_text(json.dumps({"status": "succeeded"}))
        asyncio.run(orchestrator.execute_training_job(_job("again")))


SCHEDULER_SCRIPT = textwrap.dedent('''
    import asyncio, sys
    from datetime import datetime, timezone
    from mlops_unity_pipeline import TrainingSchedule
    from mlops_unity_pipeline.scheduler import TrainingScheduler

    class Clock:
        """Starts just before the first fire, jumps to it, then never wakes again (until killed)."""
        current = datetime(2027, 5, 1, 11, 59, 59, tzinfo=timezone.utc)
        def now(self):
            return self.current
        async def sleep_until(self, when, wake):
            if self.current < when and when.hour == 12:
                self.current = when
            else:
                await asyncio.Event().wait()

    class BlockingOrchestrator:
        work_dir = "."
        async def execute_training_job(self, job):
            print("started", job.job_id, flush=True)
            await asyncio.Event().wait()

    scheduler = TrainingScheduler(BlockingOrchestrator(), state_path=sys.argv[1], clock=Clock())
    scheduler.add_schedule(TrainingSchedule.load(sys.argv[2]))
    asyncio.run(scheduler.run_forever())
''')


def _schedule() -> TrainingSchedule:
    return TrainingSchedule(
        schedule_id="hourly",
        cron_expression="0 * * * *",
        asset_specs=[UnityAssetSpec(asset_id="a", name="Alpha"), UnityAssetSpec(asset_id="b", name="Beta")],
        rl_config=RLTrainingConfig(max_steps=3000),
    )


class RecordingOrchestrator:
    def __init__(self, work_dir, done: set[str]) -> None:
        self.work_dir, self.done, self.jobs = work_dir, done, []

    async def execute_training_job(self, job):
        self.jobs.append(job.job_id)
        if job.job_id in self.done:
            raise JobAlreadySucceededError(f"{job.job_id} already succeeded")
        return job.job_id

    def request_stop(self) -> None:
        pass


class HalfPastTwelve:
    """A clock at 12:30 that lets the first running fire finish, then stops the scheduler."""

    scheduler: TrainingScheduler

    def now(self):
        return datetime(2027, 5, 1, 12, 30, tzinfo=timezone.utc)

    async def sleep_until(self, when, wake):
        if self.scheduler._running and not all(task.done() for task in self.scheduler._running.values()):
            await wake.wait()
        else:
            self.scheduler.stop()


def test_a_fire_interrupted_by_kill_9_is_recorded_and_resumed_at_the_next_start(tmp_path, caplog):
    state, schedule_file = tmp_path / "state.json", tmp_path / "schedule.yaml"
    _schedule().dump(schedule_file)
    process = subprocess.Popen(
        [sys.executable, "-c", SCHEDULER_SCRIPT, str(state), str(schedule_file)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    try:
        assert process.stdout.readline().split() == ["started", "hourly-a-20270501T1200Z"]
        recorded = json.loads(state.read_text())
        assert recorded["running"] == {"hourly": "2027-05-01T12:00:00+00:00"}, "recorded before the job started"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert json.loads(state.read_text())["running"] == {"hourly": "2027-05-01T12:00:00+00:00"}

    orchestrator = RecordingOrchestrator(tmp_path, done={"hourly-a-20270501T1200Z"})

    scheduler = TrainingScheduler(orchestrator, state_path=state, clock=HalfPastTwelve())
    scheduler.clock.scheduler = scheduler
    scheduler.add_schedule(_schedule())
    with caplog.at_level("WARNING"):
        asyncio.run(asyncio.wait_for(scheduler.run_forever(), timeout=10))
    assert "the fire at 2027-05-01T12:00:00+00:00 was interrupted" in caplog.text
    assert orchestrator.jobs == ["hourly-a-20270501T1200Z", "hourly-b-20270501T1200Z"]
    assert json.loads(state.read_text())["running"] == {}, "the resumed fire finished"


def test_an_interrupted_fire_of_a_schedule_no_longer_listed_is_reported(tmp_path, caplog):
    state = tmp_path / "state.json"
    state.write_text(
        json.dumps(
            {"last_fire": {"gone": "2027-05-01T12:00:00+00:00"}, "running": {"gone": "2027-05-01T12:00:00+00:00"}}
        )
    )
    orchestrator = RecordingOrchestrator(tmp_path, done=set())

    scheduler = TrainingScheduler(orchestrator, state_path=state, clock=HalfPastTwelve())
    scheduler.clock.scheduler = scheduler
    scheduler.add_schedule(_schedule())
    with caplog.at_level("WARNING"):
        asyncio.run(asyncio.wait_for(scheduler.run_forever(), timeout=10))
    assert "schedule gone: the fire at 2027-05-01T12:00:00+00:00 was interrupted and is not resumed" in caplog.text
    assert orchestrator.jobs == [] and json.loads(state.read_text())["running"] == {}
