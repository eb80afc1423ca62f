"""One cron grammar: TrainingSchedule, TrainingScheduler and the pipelines' schedules read the same table alike.

Each accepted expression is listed with the 5 fields it stands for; each refused one with what
the error must say. The pipelines are checked through ``plan_schedule``, the step
``compile.py --schedule`` and ``--training-schedule`` take before any request is sent.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from croniter import croniter

from mlops_unity_pipeline import RLTrainingConfig, SpecValidationError, TrainingSchedule, UnityAssetSpec
from mlops_unity_pipeline.deploy import deployment
from mlops_unity_pipeline.deploy.cron import for_kfp, for_vertex
from mlops_unity_pipeline.deploy.kubeflow import KubeflowSettings
from mlops_unity_pipeline.deploy.vertex import VertexSettings
from mlops_unity_pipeline.scheduler import TrainingScheduler

#: (as written, the 5 fields it means)
ACCEPTED = [
    ("@yearly", "0 0 1 1 *"),
    ("@annually", "0 0 1 1 *"),
    ("@monthly", "0 0 1 * *"),
    ("@weekly", "0 0 * * 0"),
    ("@daily", "0 0 * * *"),
    ("@midnight", "0 0 * * *"),
    ("@hourly", "0 * * * *"),
    ("@DAILY", "0 0 * * *"),
    ("0 2 * * *", "0 2 * * *"),
    ("*/15 9-17 * * 1-5", "*/15 9-17 * * 1-5"),
    ("0 8-18/2 1,15 * *", "0 8-18/2 1,15 * *"),
    ("30 6 * jan,jul mon-fri", "30 6 * jan,jul mon-fri"),
    ("0 6 * * 5-7", "0 6 * * 5-7"),
    ("0 0 29 2 *", "0 0 29 2 *"),  # every leap year
    ("  0 3 * * sun  ", "0 3 * * sun"),
]
#: (as written, what the error says about it)
REFUSED = [
    ("0 0 30 2 *", "never fires: none of its months has that day-of-month"),
    ("0 0 31 4,6,9,11 *", "never fires"),
    ("0 0 2 * * *", "has 6 field(s); expected 5 fields"),
    ("0 2 * *", "has 4 field(s)"),
    ("@fortnightly", "is not a known macro"),
    ("@reboot", "is not a known macro"),
    ("61 * * * *", "has minute '61': values must be 0-59"),
    ("0 24 * * *", "has hour '24': values must be 0-23"),
    ("0 0 0 * *", "has day-of-month '0': values must be 1-31"),
    ("0 0 * 13 *", "has month '13': values must be 1-12"),
    ("0 0 * * 8", "has day-of-week '8': values must be 0-7"),
    ("*/0 * * * *", "steps at least 1"),
    ("5-1 * * * *", "a range runs from low to high"),
    ("0 0 L * *", "has day-of-month 'L', which is not standard cron"),
    ("0 0 * * 5#3", "has day-of-week '5#3', which is not standard cron"),
    ("0 0 ? * *", "which is not standard cron"),
    ("every day", "has 2 field(s)"),
]

START = datetime(2027, 1, 1, tzinfo=timezone.utc)


def _schedule(cron: str) -> TrainingSchedule:
    return TrainingSchedule(
        schedule_id="nightly",
        cron_expression=cron,
        asset_specs=[UnityAssetSpec(asset_id="a-1", name="A")],
        rl_config=RLTrainingConfig(max_steps=4096),
    )


def _fires(expression: str, count: int = 12) -> list[datetime]:
    iterator = croniter(expression, START)
    return [iterator.get_next(datetime) for _ in range(count)]


class _Orchestrator:
    def __init__(self, work_dir: Path) -> None:
        self.work_dir = work_dir


class _StoppedClock:
    """Always ``START``: the scheduler's next fire is then the first one after it."""

    def now(self) -> datetime:
        return START


@pytest.mark.parametrize(("written", "fields"), ACCEPTED)
def test_a_training_schedule_accepts_it(written: str, fields: str) -> None:
    assert _schedule(written).cron().expression == fields


@pytest.mark.parametrize(("written", "fields"), ACCEPTED)
def test_the_scheduler_fires_on_it(written: str, fields: str, tmp_path: Path) -> None:
    scheduler = TrainingScheduler(_Orchestrator(tmp_path), state_path=tmp_path / "state.json", clock=_StoppedClock())
    scheduler.add_schedule(_schedule(written))
    assert scheduler.next_fire_time("nightly") == _fires(fields, 1)[0]


@pytest.mark.parametrize(("written", "fields"), ACCEPTED)
def test_the_pipelines_schedule_it(written: str, fields: str) -> None:
    vertex = deployment.plan_schedule("nightly", {}, VertexSettings("p", "us-central1", "gs://b/root"), written)
    kubeflow = deployment.plan_schedule("nightly", {}, KubeflowSettings(host="http://127.0.0.1:1"), written)
    assert vertex.cron.expression == kubeflow.cron.expression == fields
    # Converted, they fire when the expression does (Kubeflow's seconds field dropped).
    assert for_vertex(vertex.cron).startswith("TZ=UTC ")
    assert _fires(for_vertex(vertex.cron).removeprefix("TZ=UTC ")) == _fires(fields)
    seconds, *rest = for_kfp(kubeflow.cron).split()
    assert seconds == "0" and _fires(" ".join(rest)) == _fires(fields)


@pytest.mark.parametrize(("written", "says"), REFUSED)
def test_a_training_schedule_refuses_it(written: str, says: str) -> None:
    with pytest.raises(SpecValidationError) as caught:
        _schedule(written)
    (problem,) = caught.value.problems
    assert problem.path == "cron_expression"
    assert problem.message.startswith(repr(written)) and says in problem.message


@pytest.mark.parametrize(("written", "says"), REFUSED)
def test_the_scheduler_refuses_it(written: str, says: str, tmp_path: Path) -> None:
    schedule = _schedule("0 2 * * *")
    schedule.cron_expression = written  # changed after it was checked
    scheduler = TrainingScheduler(_Orchestrator(tmp_path), state_path=tmp_path / "state.json")
    with pytest.raises(SpecValidationError, match=f"cron_expression: .*{re.escape(says)}"):
        scheduler.add_schedule(schedule)
    assert scheduler.schedules == []


@pytest.mark.parametrize(("written", "says"), REFUSED)
def test_the_pipelines_refuse_it(written: str, says: str) -> None:
    for settings in (VertexSettings("p", "us-central1", "gs://b/root"), KubeflowSettings(host="http://127.0.0.1:1")):
        with pytest.raises(SpecValidationError, match=f"cron_expression: .*{re.escape(says)}"):
            deployment.plan_schedule("nightly", {}, settings, written)


def test_time_zones_are_checked_the_same_way() -> None:
    with pytest.raises(SpecValidationError, match="timezone: 'Mars/Olympus' is not an IANA time zone"):
        TrainingSchedule(
            schedule_id="s",
            cron_expression="@daily",
            timezone="Mars/Olympus",
            asset_specs=[UnityAssetSpec(asset_id="a-1", name="A")],
        )
    with pytest.raises(
        SpecValidationError, match="names time zone 'Europe/Paris' but the time zone is 'Europe/Berlin'"
    ):
        deployment.plan_schedule(
            "s", {}, VertexSettings("p", "us-central1", "gs://b/root"), "TZ=Europe/Paris 0 2 * * *", "Europe/Berlin"
        )
    assert _schedule("TZ=UTC @hourly").cron().expression == "0 * * * *"
