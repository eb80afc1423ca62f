"""Cron arithmetic in a time zone, with one rule croniter lacks: a wall-clock time fires once.

When clocks go back, the hour from 02:00 to 03:00 happens twice and croniter yields a daily
``30 2 * * *`` at both 02:30s. Like classic cron, a fixed wall-clock time runs once here: a
candidate whose local wall time is not after the previous fire's is skipped. When clocks go
forward, a time that does not exist fires at the first instant after the gap (croniter's own
behaviour), so nothing is silently lost.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

#: What a valid expression looks like, for error messages.
FIVE_FIELDS_HINT = "expected 5 fields (minute hour day-of-month month day-of-week), e.g. '0 2 * * *'"


def is_five_field_cron(expression: str) -> bool:
    """True for a standard cron expression of exactly five fields."""
    return len(expression.split()) == 5 and croniter.is_valid(expression)


def is_time_zone(name: str) -> bool:
    """True for an IANA time zone name such as ``UTC`` or ``Europe/Berlin``."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def next_fire(expression: str, timezone: str, after: datetime) -> datetime:
    """The first fire of ``expression`` (5 fields, in ``timezone``) strictly after ``after`` (aware)."""
    zone = ZoneInfo(timezone)
    local_after = after.astimezone(zone)
    iterator = croniter(expression, local_after)
    while True:
        candidate: datetime = iterator.get_next(datetime)
        if candidate.replace(tzinfo=None) > local_after.replace(tzinfo=None):
            return candidate


def fires_between(expression: str, timezone: str, start: datetime, end: datetime) -> list[datetime]:
    """Every fire in ``(start, end]``, in order."""
    fires = []
    current = next_fire(expression, timezone, start)
    while current <= end:
        fires.append(current)
        current = next_fire(expression, timezone, current)
    return fires
