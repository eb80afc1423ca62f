"""Turning a free-form asset name into safe C# identifiers."""

from __future__ import annotations

import re

#: C# keywords (reserved and contextual ones a type name must avoid).
CSHARP_KEYWORDS = frozenset(
    """abstract as base bool break byte case catch char checked class const continue decimal default delegate do
    double else enum event explicit extern false finally fixed float for foreach goto if implicit in int interface
    internal is lock long namespace new null object operator out override params private protected public readonly
    ref return sbyte sealed short sizeof stackalloc static string struct switch this throw true try typeof uint ulong
    unchecked unsafe ushort using virtual void volatile while var dynamic record""".split()  # noqa: SIM905
)


def behavior_name_from(name: str) -> str:
    """``"simple agent #2"`` → ``SimpleAgent2``: letters and digits only, PascalCase, never a keyword.

    Raises ``ValueError`` when nothing usable is left, or when the name holds a letter or digit
    outside ASCII: dropping it would make different names one behaviour (``Ägent``, ``Øgent``
    and ``gent`` would all be ``Gent``, sharing a registry model).
    """
    foreign = sorted({char for char in name if char.isalnum() and not char.isascii()})
    if foreign:
        raise ValueError(
            f"has letters or digits outside ASCII ({', '.join(map(repr, foreign))}) that a C# identifier here cannot "
            "hold; spell the name with A-Z, a-z and 0-9 (spaces and punctuation separate words)"
        )
    words = re.findall(r"[A-Za-z0-9]+", name)
    if not words:
        raise ValueError("needs at least one ASCII letter or digit to derive a C# identifier from")
    identifier = "".join(word[0].upper() + word[1:] for word in words)
    if identifier[0].isdigit():
        identifier = "Agent" + identifier
    if identifier.lower() in CSHARP_KEYWORDS:
        identifier += "Behavior"
    return identifier[:64]


def agent_class_from(behavior_name: str) -> str:
    """The Agent subclass name: the behaviour name, with ``Agent`` appended unless it ends so."""
    return behavior_name if behavior_name.endswith("Agent") else behavior_name + "Agent"
