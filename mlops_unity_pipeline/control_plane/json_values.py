"""Checking that an arbitrary Python value is plain JSON before any schema looks at it.

Tool payloads arrive from outside (an MCP client, an orchestrator, a test generating values
at random). JSON Schema validators assume JSON-shaped input; a set, a tuple, a non-string
key, NaN or a structure nested thousands deep would otherwise crash them or slip through.
The walk is iterative, so depth cannot exhaust the Python stack.
"""

from __future__ import annotations

import math
from typing import Any

from ..errors import Problem
from ..validation import format_path

#: Deeper payloads are refused: no action of a control plane needs more.
MAX_DEPTH = 64


def json_problems(value: Any, prefix: tuple[str | int, ...] = ()) -> list[Problem]:
    """Every place where ``value`` is not plain JSON (dict with str keys, list, str, finite number, bool, None)."""
    problems: list[Problem] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, prefix)]
    while stack:
        node, path = stack.pop()
        if len(path) - len(prefix) > MAX_DEPTH:
            problems.append(Problem(format_path(path), f"nested deeper than {MAX_DEPTH} levels"))
        elif isinstance(node, dict):
            for key, item in node.items():
                if isinstance(key, str):
                    stack.append((item, (*path, key)))
                else:
                    problems.append(Problem(format_path(path), f"key {key!r} is not a string"))
        elif isinstance(node, list):
            stack.extend((item, (*path, index)) for index, item in enumerate(node))
        elif isinstance(node, float):
            if not math.isfinite(node):
                problems.append(Problem(format_path(path), f"{node!r} is not a JSON number"))
        elif not (node is None or isinstance(node, (str, bool, int))):
            problems.append(Problem(format_path(path), f"a {type(node).__name__} is not a JSON value"))
    return sorted(set(problems), key=lambda p: (p.path, p.message))
