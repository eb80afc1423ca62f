"""The one cron grammar of the project, and cron arithmetic in a time zone.

``TrainingSchedule``, ``TrainingScheduler`` and the pipelines' schedules all read cron through
:func:`parse_cron`: standard cron of 5 fields (numbers, month and weekday names, ``*``, ranges,
steps, lists), a macro such as ``@daily``, either optionally after ``TZ=<zone> ``. Extensions
some schedulers know and others do not (``L``, ``#``, ``?``, ``H``, seconds) are refused, and so
is an expression no date matches (``0 0 30 2 *``), each as a :class:`SpecValidationError`
naming the field, the value and why.

When clocks go back, the hour from 02:00 to 03:00 happens twice and croniter yields a daily
``30 2 * * *`` at both 02:30s. Like classic cron, a fixed wall-clock time runs once here: a
candidate whose local wall time is not after the previous fire's is skipped. When clocks go
forward, a time that does not exist fires at the first instant after the gap (croniter's own
behaviour), so nothing is silently lost.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter
from croniter.croniter import CroniterBadCronError, CroniterBadDateError

from .errors import Problem, SpecValidationError
from .validation import format_path

#: The macros, as the 5-field expressions they stand for.
MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
TZ_PREFIXES = ("TZ=", "CRON_TZ=")
FIELD_NAMES = ("minute", "hour", "day-of-month", "month", "day-of-week")
#: The numbers each field may hold (day-of-week 7 is Sunday, as 0 is).
FIELD_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))
#: What a valid expression looks like, for error messages.
GRAMMAR_HINT = (
    "expected 5 fields (minute hour day-of-month month day-of-week) of numbers, names (jan, mon), '*', "
    "ranges (1-5), steps (*/15, 1-30/5) and lists (1,15), e.g. '0 2 * * *', or a macro: " + ", ".join(MACROS)
)


def _field_pattern(names: str | None) -> re.Pattern[str]:
    value = rf"(?:\d+|{names})" if names else r"\d+"
    item = rf"(?:\*(?:/\d+)?|{value}(?:-{value}(?:/\d+)?)?)"
    return re.compile(rf"{item}(?:,{item})*", re.IGNORECASE)


_FIELD_PATTERNS = (
    _field_pattern(None),
    _field_pattern(None),
    _field_pattern(None),
    _field_pattern("jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"),
    _field_pattern("sun|mon|tue|wed|thu|fri|sat"),
)
#: Where the search for a first fire starts when checking that an expression fires at all;
#: 2000 is a leap year, so 29 February is found in the first two months.
_FIRES_CHECK_FROM = datetime(2000, 1, 1)


@dataclass(frozen=True)
class CronSchedule:
    """A cron expression in the grammar (macros expanded) and the time zone it is read in."""

    fields: tuple[str, str, str, str, str]
    timezone: str = "UTC"

    @property
    def expression(self) -> str:
        return " ".join(self.fields)

    def next_fire(self, after: datetime) -> datetime:
        """The first fire strictly after ``after`` (aware), as an aware time in the schedule's zone."""
        local_after = after.astimezone(ZoneInfo(self.timezone))
        iterator = croniter(self.expression, local_after)
        while True:
            candidate: datetime = iterator.get_next(datetime)
            if candidate.replace(tzinfo=None) > local_after.replace(tzinfo=None):
                return candidate

    def fires_between(self, start: datetime, end: datetime) -> list[datetime]:
        """Every fire in ``(start, end]``, in order."""
        fires = []
        current = self.next_fire(start)
        while current <= end:
            fires.append(current)
            current = self.next_fire(current)
        return fires


def is_time_zone(name: str) -> bool:
    """True for an IANA time zone name such as ``UTC`` or ``Europe/Berlin``."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def parse_cron(expression: str, timezone: str | None = None, *, at: Sequence[str | int] = ()) -> CronSchedule:
    """Validate ``expression`` and its time zone; a ``TZ=`` prefix and ``timezone`` must agree (default UTC).

    Problems are reported at ``<at>.cron_expression`` and ``<at>.timezone``.
    """
    cron_path, zone_path = format_path([*at, "cron_expression"]), format_path([*at, "timezone"])
    text = expression.strip()
    prefix_zone = None
    for prefix in TZ_PREFIXES:
        if text.startswith(prefix):
            prefix_zone, _, text = text[len(prefix) :].partition(" ")
            text = text.strip()
    problems = []
    if prefix_zone and timezone and prefix_zone != timezone:
        problems.append(
            Problem(cron_path, f"{expression!r} names time zone {prefix_zone!r} but the time zone is {timezone!r}")
        )
    zone = prefix_zone or timezone or "UTC"
    if not is_time_zone(zone):
        problems.append(
            Problem(
                cron_path if prefix_zone else zone_path,
                f"{zone!r} is not an IANA time zone, e.g. 'UTC' or 'Europe/Berlin'",
            )
        )
    text = MACROS.get(text.lower(), text)
    why = _grammar_problem(text)
    if why:
        problems.append(Problem(cron_path, f"{expression!r} {why}"))
    if problems:
        raise SpecValidationError(problems)
    minute, hour, day, month, weekday = text.split()
    return CronSchedule(fields=(minute, hour, day, month, weekday), timezone=zone)


def _grammar_problem(text: str) -> str | None:
    """Why ``text`` (macros already expanded) is outside the grammar or never fires; ``None`` if it is fine."""
    if text.startswith("@"):
        return f"is not a known macro; {GRAMMAR_HINT}"
    fields = text.split()
    if len(fields) != len(FIELD_NAMES):
        return f"has {len(fields)} field(s); {GRAMMAR_HINT}"
    for name, value, pattern, (low, high) in zip(FIELD_NAMES, fields, _FIELD_PATTERNS, FIELD_RANGES):
        if not pattern.fullmatch(value):
            return f"has {name} {value!r}, which is not standard cron; {GRAMMAR_HINT}"
        for item in value.split(","):
            span, _, step = item.partition("/")
            numbers = [int(number) for number in re.findall(r"\d+", span)]
            if any(not low <= number <= high for number in numbers) or (step and int(step) == 0):
                return f"has {name} {value!r}: values must be {low}-{high}, steps at least 1"
            if re.fullmatch(r"\d+-\d+", span) and numbers[0] > numbers[1]:
                return f"has {name} {value!r}: a range runs from low to high"
    try:
        croniter(text, _FIRES_CHECK_FROM).get_next(datetime)
    except CroniterBadDateError:
        return "never fires: none of its months has that day-of-month (e.g. 30 February)"
    except CroniterBadCronError as exc:
        return f"is not valid cron ({exc}); {GRAMMAR_HINT}"
    return None
