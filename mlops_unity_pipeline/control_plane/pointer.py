"""RFC 6901 JSON pointers, the bundle's way of naming a value inside an action's payload."""

from __future__ import annotations

from typing import Any

#: Returned by :func:`resolve` when the pointer names nothing in the document.
MISSING: Any = object()


def resolve(document: Any, pointer: str) -> Any:
    """The value ``pointer`` names in ``document``, or :data:`MISSING`; never raises."""
    if pointer == "":
        return document
    current = document
    for token in pointer[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(current, dict):
            if token not in current:
                return MISSING
            current = current[token]
        elif isinstance(current, list) and token.isdigit() and (token == "0" or not token.startswith("0")):
            index = int(token)
            if index >= len(current):
                return MISSING
            current = current[index]
        else:
            return MISSING
    return current
