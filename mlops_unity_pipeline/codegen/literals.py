"""C# literals from Python values, escaped so no input can change the meaning of generated code.

Text from a spec (a description, say) reaches C# only through :func:`cs_string` (inside a
string literal) or :func:`cs_comment_text` (inside a ``//`` comment). Both produce a single
line of printable ASCII: every quote, backslash, line terminator (including U+0085, U+2028,
U+2029) and non-ASCII character becomes an escape sequence, so ``"``, ``*/``, a newline
followed by ``#if``, or a ``"; System.IO.File.Delete(...); //`` stays inert text.
"""

from __future__ import annotations

import math

_SIMPLE_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "'": "\\'",
    "\0": "\\0",
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
}


def _escape_char(char: str, quotes: bool) -> str:
    if char in _SIMPLE_ESCAPES and (quotes or char not in "\\\"'"):
        return _SIMPLE_ESCAPES[char]
    code = ord(char)
    if 0x20 <= code < 0x7F:
        return char
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def escape_text(text: str, quotes: bool = True) -> str:
    """``text`` as one line of printable ASCII, with C# escape sequences for everything else.

    With ``quotes=False`` quotes and backslashes stay as they are (they mean nothing in a comment).
    """
    return "".join(_escape_char(char, quotes) for char in text)


def cs_string(text: str) -> str:
    """A C# regular string literal holding exactly ``text``."""
    return f'"{escape_text(text)}"'


def cs_comment_text(text: str) -> str:
    """``text`` made safe to follow ``//`` on one line (it cannot end the comment or the line)."""
    return escape_text(text, quotes=False)


def cs_float(value: float) -> str:
    """A C# ``float`` literal: the shortest decimal that round-trips, with an ``f`` suffix."""
    if not math.isfinite(value):
        raise ValueError(f"cannot write {value!r} as a C# float literal")
    text = repr(float(value))
    return f"{text}f"


def cs_bool(value: bool) -> str:
    return "true" if value else "false"
