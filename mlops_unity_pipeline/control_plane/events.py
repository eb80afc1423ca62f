"""What an event may contain before the log seals it, checked in plain Python.

The log appends up to hundreds of thousands of events in a batch, and a generic JSON Schema
validator costs tens of microseconds per event; these few checks cost one or two. Every
field is declared once, in :data:`FIELDS`; an unknown field is an error, so replay can rely
on the layout of a sealed line (see :mod:`.event_log`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..errors import Problem
from ..validation import format_path
from .json_values import json_problems

EVENT_TYPES = ("tool_invocation", "transition", "approval_requested", "approval")
DECISIONS = ("allowed", "blocked", "halt", "rejected")
#: Fields the log assigns; an event handed to it must not carry them.
RESERVED_FIELDS = ("seq", "ts", "hash")
_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]{0,63}")

Check = Callable[[Any], "str | None"]


def _text(max_length: int, *, nullable: bool = False) -> Check:
    def check(value: Any) -> str | None:
        if value is None and nullable:
            return None
        if not isinstance(value, str) or not 1 <= len(value) <= max_length:
            return f"must be a string of 1 to {max_length} characters" + (" or null" if nullable else "")
        return None

    return check


def _identifier(value: Any) -> str | None:
    if isinstance(value, str) and _IDENTIFIER.fullmatch(value):
        return None
    return "must be an identifier (lower-case letters, digits, '_', starting with a letter)"


def _one_of(choices: tuple[str, ...]) -> Check:
    return lambda value: None if value in choices else f"{value!r} is not one of {', '.join(choices)}"


def _object(value: Any) -> str | None:
    return None if isinstance(value, dict) else "must be an object"


def _list_of(item: Check) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, list):
            return "must be a list"
        return next((f"[{i}] {why}" for i, v in enumerate(value) if (why := item(v))), None)

    return check


FIELDS: dict[str, Check] = {
    "event_type": _one_of(EVENT_TYPES),
    "action_id": _text(200),
    "actor": _text(200),
    "approver": _text(200),
    "note": _text(2000),
    "payload": _object,
    "facts": _object,
    "decision": _one_of(DECISIONS),
    "reasons": _list_of(_text(100_000)),
    "missing": _list_of(_text(200)),
    "cleared": _list_of(_identifier),
    "transition": _identifier,
    "from": _identifier,
    "to": _identifier,
    "subject": _text(500, nullable=True),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "tool_invocation": (),
    "transition": ("transition", "from", "to"),
    "approval_requested": ("transition", "subject", "actor"),
    "approval": ("transition", "subject", "approver"),
}


def event_problems(event: Any, prefix: tuple[str | int, ...] = ()) -> list[Problem]:
    """Why ``event`` cannot be appended: not plain JSON, a reserved or unknown field, a bad value."""
    problems = json_problems(event, prefix)
    if problems:
        return problems
    if not isinstance(event, dict):
        return [Problem(format_path(prefix), "an event must be an object")]
    for key, value in event.items():
        if key in RESERVED_FIELDS:
            problems.append(Problem(format_path([*prefix, key]), "is assigned by the log; leave it out"))
        elif key not in FIELDS:
            problems.append(Problem(format_path([*prefix, key]), f"unknown field; allowed: {', '.join(FIELDS)}"))
        elif why := FIELDS[key](value):
            problems.append(Problem(format_path([*prefix, key]), why))
    kind = event.get("event_type")
    if kind is None:
        problems.append(Problem(format_path([*prefix, "event_type"]), "is required"))
    for key in REQUIRED.get(kind, ()) if isinstance(kind, str) else ():
        if key not in event:
            problems.append(Problem(format_path([*prefix, key]), "is required"))
    return sorted(set(problems), key=lambda p: (p.path, p.message))
