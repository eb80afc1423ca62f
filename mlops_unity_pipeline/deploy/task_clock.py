"""How long each task of a ``kfp.local`` run took, read from the orchestrator's log as it is written.

``kfp.local`` keeps no timings: it logs ``Executing task 'NAME'`` when a task's container starts
and ``Task 'NAME' finished with status ...`` when it ends, on the ``sys.stdout`` it finds when
the task begins. :class:`TaskClock` stands in for that stream, passes every line through, and
stamps those two lines with the time they arrived. Tasks of the same name (one per asset of a
loop) are paired first in, first out, so with several assets their times are approximate.
"""

from __future__ import annotations

import re
import time
from typing import TextIO

#: kfp colours task names with ANSI escapes; they are removed before matching.
ANSI = re.compile(r"\x1b\[[0-9;]*m")
STARTED = re.compile(r"Executing task '([^']+)'")
FINISHED = re.compile(r"Task '([^']+)' finished with status (\w+)")


class TaskClock:
    """A text stream that forwards to ``target`` and times the tasks whose start and end it sees."""

    def __init__(self, target: TextIO, clock=time.monotonic) -> None:
        self._target = target
        self._clock = clock
        self._pending = ""
        self._started: dict[str, list[float]] = {}
        #: (task name, seconds, final status), in the order the tasks finished.
        self.finished: list[tuple[str, float, str]] = []

    def write(self, text: str) -> int:
        self._target.write(text)
        now = self._clock()
        lines = (self._pending + text).split("\n")
        self._pending = lines.pop()
        for line in lines:
            self._read(ANSI.sub("", line), now)
        return len(text)

    def flush(self) -> None:
        self._target.flush()

    def _read(self, line: str, now: float) -> None:
        started = STARTED.search(line)
        if started:
            self._started.setdefault(started.group(1), []).append(now)
            return
        finished = FINISHED.search(line)
        if finished and self._started.get(finished.group(1)):
            name = finished.group(1)
            self.finished.append((name, now - self._started[name].pop(0), finished.group(2)))
