"""TrainingScheduler driven by an injected clock: fire times across DST, no overlap, restarts.

The orchestrator here is a recording stand-in that returns at once (or when released): these
tests are about when the scheduler fires, not about training, which the orchestrator's own
end-to-end tests cover with real stages.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mlops_unity_pipeline import RLTrainingConfig, TrainingSchedule, UnityAssetSpec
from mlops_unity_pipeline.scheduler import SchedulerError, TrainingScheduler

BERLIN = ZoneInfo("Europe/Berlin")


class FakeClock:
    """Jumps straight to each requested wake-up time; past ``end`` it stops the scheduler."""

    def __init__(self, start: datetime, end: datetime) -> None:
        self.current, self.end = start, end
        self.scheduler: TrainingScheduler | None = None

    def now(self) -> datetime:
        return self.current

    async def sleep_until(self, when: datetime, wake: asyncio.Event) -> None:
        await asyncio.sleep(0)
        if wake.is_set():
            return
        if when > self.end:
            self.current = self.end
            self.scheduler.stop()
            return
        self.current = max(self.current, when)


class RecordingOrchestrator:
    def __init__(self, tmp_path, hold_first: bool = False) -> None:
        self.work_dir = tmp_path
        self.jobs: list[tuple[str, datetime]] = []
        self.release = asyncio.Event()
        self.hold_first = hold_first
        self.stop_requested = False
        self.clock: FakeClock | None = None

    async def execute_training_job(self, job):
        self.jobs.append((job.job_id, self.clock.now()))
        if self.hold_first and len(self.jobs) == 1:
            await self.release.wait()
        return job.job_id

    def request_stop(self) -> None:
        self.stop_requested = True
        self.release.set()


def schedule(cron: str = "30 2 * * *", catch_up: bool = False, assets: int = 1) -> TrainingSchedule:
    return TrainingSchedule(
        schedule_id="nightly",
        cron_expression=cron,
        timezone="Europe/Berlin",
        catch_up=catch_up,
        asset_specs=[UnityAssetSpec(asset_id=f"patrol-00{i}", name="PatrolAgent") for i in range(assets)],
        rl_config=RLTrainingConfig(max_steps=3000),
    )


def run(tmp_path, start, end, schedules, hold_first=False, state_dir=None):
    orchestrator = RecordingOrchestrator(tmp_path, hold_first=hold_first)
    clock = FakeClock(start, end)
    orchestrator.clock = clock
    scheduler = TrainingScheduler(orchestrator, state_path=(state_dir or tmp_path) / "state.json", clock=clock)
    clock.scheduler = scheduler
    for item in schedules:
        scheduler.add_schedule(item)
    asyncio.run(asyncio.wait_for(scheduler.run_forever(), timeout=10))
    return orchestrator, scheduler


def local_fire_times(orchestrator):
    return [moment.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M %Z") for _, moment in orchestrator.jobs]


def test_daily_fires_across_the_spring_dst_change(tmp_path):
    orchestrator, _ = run(
        tmp_path, datetime(2027, 3, 26, 12, tzinfo=BERLIN), datetime(2027, 3, 30, 12, tzinfo=BERLIN), [schedule()]
    )
    assert local_fire_times(orchestrator) == [
        "2027-03-27 02:30 CET",
        "2027-03-28 03:00 CEST",  # 02:30 does not exist that night: the first instant after the gap
        "2027-03-29 02:30 CEST",
        "2027-03-30 02:30 CEST",
    ]


def test_daily_fires_once_when_the_clock_goes_back(tmp_path):
    orchestrator, _ = run(
        tmp_path, datetime(2027, 10, 29, 12, tzinfo=BERLIN), datetime(2027, 11, 1, 12, tzinfo=BERLIN), [schedule()]
    )
    assert local_fire_times(orchestrator) == ["2027-10-30 02:30 CEST", "2027-10-31 02:30 CEST", "2027-11-01 02:30 CET"]


def test_every_asset_of_a_fire_is_trained_with_a_distinct_job_id(tmp_path):
    orchestrator, scheduler = run(
        tmp_path, datetime(2027, 5, 1, 12, tzinfo=BERLIN), datetime(2027, 5, 2, 12, tzinfo=BERLIN), [schedule(assets=3)]
    )
    ids = [job_id for job_id, _ in orchestrator.jobs]
    assert len(ids) == 3 and len(set(ids)) == 3
    assert ids[0] == "nightly-patrol-000-20270502T0030Z"
    assert [len(run.results) for run in scheduler.history] == [3]


def test_a_schedule_never_overlaps_itself(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    orchestrator, scheduler = run(
        tmp_path,
        datetime(2027, 5, 1, 10, 0, tzinfo=BERLIN),
        datetime(2027, 5, 1, 10, 59, tzinfo=BERLIN),
        [schedule(cron="*/15 * * * *")],
        hold_first=True,
    )
    # The 10:15 run never ends before the clock has passed 10:30 and 10:45: both are skipped.
    assert local_fire_times(orchestrator) == ["2027-05-01 10:15 CEST"]
    skipped = [r.message for r in caplog.records if "previous run is still going" in r.message]
    assert len(skipped) == 2
    assert orchestrator.stop_requested and len(scheduler.history) == 1


def test_a_restart_neither_repeats_nor_silently_skips(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    first, _ = run(
        tmp_path, datetime(2027, 5, 1, 12, tzinfo=BERLIN), datetime(2027, 5, 3, 12, tzinfo=BERLIN), [schedule()]
    )
    assert local_fire_times(first) == ["2027-05-02 02:30 CEST", "2027-05-03 02:30 CEST"]
    # Restarted at the same moment: nothing is repeated.
    again, _ = run(
        tmp_path, datetime(2027, 5, 3, 12, tzinfo=BERLIN), datetime(2027, 5, 3, 23, tzinfo=BERLIN), [schedule()]
    )
    assert again.jobs == []
    # Down for two nights: the missed fires are reported, not run, and the next one runs.
    caplog.clear()
    later, _ = run(
        tmp_path, datetime(2027, 5, 5, 12, tzinfo=BERLIN), datetime(2027, 5, 6, 12, tzinfo=BERLIN), [schedule()]
    )
    assert local_fire_times(later) == ["2027-05-06 02:30 CEST"]
    assert any("skipped 2 fire(s) missed while stopped" in r.message for r in caplog.records)


def test_catch_up_runs_missed_fires_once(tmp_path):
    run(
        tmp_path,
        datetime(2027, 5, 1, 12, tzinfo=BERLIN),
        datetime(2027, 5, 2, 12, tzinfo=BERLIN),
        [schedule(catch_up=True)],
    )
    later, _ = run(
        tmp_path,
        datetime(2027, 5, 5, 12, tzinfo=BERLIN),
        datetime(2027, 5, 5, 13, tzinfo=BERLIN),
        [schedule(catch_up=True)],
    )
    assert [job_id for job_id, _ in later.jobs] == ["nightly-patrol-000-20270505T0030Z"]


def test_adding_removing_and_validating_schedules(tmp_path):
    orchestrator = RecordingOrchestrator(tmp_path)
    scheduler = TrainingScheduler(orchestrator, state_path=tmp_path / "s.json")
    scheduler.add_schedule(schedule())
    with pytest.raises(SchedulerError, match="already scheduled"):
        scheduler.add_schedule(schedule())
    assert scheduler.next_fire_time("nightly") > datetime.now(BERLIN) - timedelta(days=1)
    assert scheduler.remove_schedule("nightly").schedule_id == "nightly"
    with pytest.raises(SchedulerError, match="no schedule 'nightly'; scheduled: none"):
        scheduler.remove_schedule("nightly")


def test_unreadable_state_is_a_clear_error(tmp_path):
    (tmp_path / "s.json").write_text("{not json")
    with pytest.raises(SchedulerError, match="unreadable"):
        TrainingScheduler(RecordingOrchestrator(tmp_path), state_path=tmp_path / "s.json")
