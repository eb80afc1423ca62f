"""The exceptions a user of the library or its command line can meet.

Every error the project raises on purpose derives from :class:`MLOpsError`, so the command
line can print it as one clear message instead of a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class MLOpsError(Exception):
    """Base class of every error the project reports to its users."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is, what was given, what is allowed."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class SpecValidationError(MLOpsError, ValueError):
    """An input document broke its schema; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem], source: str | None = None) -> None:
        self.problems = list(problems)
        self.source = source
        where = f" in {source}" if source else ""
        lines = [f"invalid input{where} ({len(self.problems)} problem(s)):"]
        lines += [f"  - {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))
