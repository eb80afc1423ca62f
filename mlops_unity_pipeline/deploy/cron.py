"""Cron converted for the two pipeline schedulers: Vertex AI and Kubeflow Pipelines.

The expression arrives parsed in the project's one grammar (:func:`mlops_unity_pipeline.cron.parse_cron`:
5 fields or a macro, and an IANA time zone). Vertex AI schedules take the 5 fields with a
``TZ=Area/City `` prefix. Kubeflow Pipelines recurring runs parse cron with robfig/cron's
6-field format (seconds first), evaluate it in UTC, and accept day-of-week 0-6 only. Nothing is
passed through unconverted.
"""

from __future__ import annotations

from croniter import croniter

from ..cron import CronSchedule
from ..errors import CronError

_UTC_NAMES = {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/GMT", "GMT", "Zulu", "Etc/Zulu"}


def for_vertex(schedule: CronSchedule) -> str:
    """Vertex AI's form: ``TZ=<zone> m h dom mon dow`` (Sunday as 0)."""
    minute, hour, day, month, weekday = schedule.fields
    return f"TZ={schedule.timezone} " + " ".join([minute, hour, day, month, _sunday_as_zero(weekday)])


def for_kfp(schedule: CronSchedule) -> str:
    """Kubeflow Pipelines' form: ``0 m h dom mon dow`` (seconds first, Sunday as 0), in UTC only."""
    if schedule.timezone not in _UTC_NAMES:
        raise CronError(
            f"Kubeflow Pipelines evaluates recurring-run cron in UTC, so {schedule.expression!r} in "
            f"{schedule.timezone} cannot be converted exactly (daylight-saving shifts); give the schedule in UTC"
        )
    minute, hour, day, month, weekday = schedule.fields
    return " ".join(["0", minute, hour, day, month, _sunday_as_zero(weekday)])


def _sunday_as_zero(weekday: str) -> str:
    """robfig/cron takes day-of-week 0-6; standard cron also allows 7 for Sunday.

    A field that mentions 7 is rewritten as the explicit list of days it matches, so ranges and
    steps through 7 ("5-7", "5-7/2") keep their meaning.
    """
    if "7" not in weekday:
        return weekday
    days = croniter.expand(f"0 0 * * {weekday}")[0][4]
    return "*" if days == ["*"] or len(days) == 7 else ",".join(str(day) for day in days)
