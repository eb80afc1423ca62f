"""The exceptions a user of the library or its command line can meet.

Every error the project raises on purpose derives from :class:`MLOpsError`, so the command
line can print it as one clear message instead of a traceback.
"""

from __future__ import annotations

import errno
import os
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


#: What to do about a file-system error, by its errno; the message names the path too.
_OS_ERROR_ADVICE = {
    errno.ENOENT: "does not exist; check the path",
    errno.EACCES: "permission denied; make it accessible to this user or choose another path",
    errno.EPERM: "operation not permitted; make it accessible to this user or choose another path",
    errno.EROFS: "is on a read-only file system; choose a writable path",
    errno.ENOTDIR: "a file stands where a folder is expected; give a folder (or a new path)",
    errno.EISDIR: "is a folder where a file is expected; give a file",
    errno.EEXIST: "already exists; remove it or choose another path",
    errno.ENOSPC: "no space left on the device; free some space or choose another path",
    errno.ENAMETOOLONG: "the name is too long; choose a shorter path",
}


def describe_os_error(exc: OSError) -> str:
    """One line for a file-system error: the path(s), what went wrong and what to do."""
    paths = " -> ".join(str(name) for name in (exc.filename, exc.filename2) if name is not None)
    code = exc.errno or 0
    if code == errno.EEXIST and exc.filename is not None and os.path.isfile(exc.filename):
        code = errno.ENOTDIR  # mkdir(exist_ok=True) met a file: the folder cannot be made there
    advice = _OS_ERROR_ADVICE.get(code, exc.strerror or str(exc))
    return f"{paths}: {advice}" if paths else f"{advice} ({exc})"
