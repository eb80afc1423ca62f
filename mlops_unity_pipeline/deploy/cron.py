"""Cron expressions converted for the two schedulers: Vertex AI and Kubeflow Pipelines.

Users write standard 5-field cron (minute hour day-of-month month day-of-week) and an IANA
time zone. Vertex AI schedules take exactly that, with an optional ``TZ=Area/City `` prefix.
Kubeflow Pipelines recurring runs parse cron with robfig/cron's 6-field format (seconds
first), evaluate it in UTC, and accept day-of-week 0-6 only. Nothing is passed through
unconverted.
"""

from __future__ import annotations

from dataclasses import dataclass

from croniter import croniter

from ..cron import FIVE_FIELDS_HINT, is_five_field_cron, is_time_zone
from .errors import CronError

#: The shorthands both schedulers would otherwise disagree on, as 5-field expressions.
MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_TZ_PREFIXES = ("TZ=", "CRON_TZ=")
_UTC_NAMES = {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/GMT", "GMT", "Zulu", "Etc/Zulu"}


@dataclass(frozen=True)
class CronSchedule:
    """A validated standard cron expression (5 fields) and the time zone it is read in."""

    fields: tuple[str, str, str, str, str]
    timezone: str = "UTC"

    @property
    def expression(self) -> str:
        return " ".join(self.fields)

    def for_vertex(self) -> str:
        """Vertex AI's form: ``TZ=<zone> m h dom mon dow`` (Sunday as 0)."""
        minute, hour, day, month, weekday = self.fields
        return f"TZ={self.timezone} " + " ".join([minute, hour, day, month, _sunday_as_zero(weekday)])

    def for_kfp(self) -> str:
        """Kubeflow Pipelines' form: ``0 m h dom mon dow`` (seconds first, Sunday as 0), in UTC."""
        if self.timezone not in _UTC_NAMES:
            raise CronError(
                f"Kubeflow Pipelines evaluates recurring-run cron in UTC, so {self.expression!r} in "
                f"{self.timezone} cannot be converted exactly (daylight-saving shifts); give the schedule in UTC"
            )
        minute, hour, day, month, weekday = self.fields
        return " ".join(["0", minute, hour, day, month, _sunday_as_zero(weekday)])


def parse_cron(expression: str, timezone: str | None = None) -> CronSchedule:
    """Validate ``expression`` (5 fields, a macro such as ``@daily``, or either after ``TZ=<zone> ``).

    A ``TZ=`` prefix and ``timezone`` must agree; without either the zone is UTC.
    """
    text = expression.strip()
    prefix_zone = None
    for prefix in _TZ_PREFIXES:
        if text.startswith(prefix):
            prefix_zone, _, text = text[len(prefix) :].partition(" ")
            text = text.strip()
    if prefix_zone and timezone and prefix_zone != timezone:
        raise CronError(f"cron {expression!r} names time zone {prefix_zone} but the schedule's time zone is {timezone}")
    zone = prefix_zone or timezone or "UTC"
    _check_zone(zone)
    text = MACROS.get(text.lower(), text)
    fields = text.split()
    if not is_five_field_cron(text):
        raise CronError(f"{expression!r} is not a valid cron expression; {FIVE_FIELDS_HINT}, or a macro such as '@daily'")
    return CronSchedule(fields=(fields[0], fields[1], fields[2], fields[3], fields[4]), timezone=zone)


def _check_zone(zone: str) -> None:
    if not is_time_zone(zone):
        raise CronError(f"{zone!r} is not an IANA time zone, e.g. 'UTC' or 'Europe/Berlin'")


def _sunday_as_zero(weekday: str) -> str:
    """robfig/cron takes day-of-week 0-6; standard cron also allows 7 for Sunday.

    A field that mentions 7 is rewritten as the explicit list of days it matches, so ranges and
    steps through 7 ("5-7", "5-7/2") keep their meaning.
    """
    if "7" not in weekday:
        return weekday
    days = croniter.expand(f"0 0 * * {weekday}")[0][4]
    return "*" if days == ["*"] or len(days) == 7 else ",".join(str(day) for day in days)
