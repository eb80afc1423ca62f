"""CPU seconds of everything a benchmark run starts, in total and by kind of process.

On a machine that other work keeps busy, a run's wall time follows its share of the cores; its
CPU time shows what the run itself costs. ``getrusage(RUSAGE_CHILDREN)`` alone misses a process
whose parent did not wait for it (it is re-parented to PID 1, whose children it then counts), so
this process becomes a child subreaper: every process a run starts stays its descendant, and is
reaped here at the end of the run. The split by kind comes from sampling ``/proc`` while the run
goes on (a process's last sampling interval is missed); the total is exact, less the sampling's
own CPU (a few milliseconds every :data:`SAMPLE_EVERY_S`).
"""

from __future__ import annotations

import ctypes
import os
import resource
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing_extensions import Self

PR_SET_CHILD_SUBREAPER = 36
SAMPLE_EVERY_S = 0.2
TICKS_PER_S = os.sysconf("SC_CLK_TCK")

#: The kinds a training run's processes fall into, by a word of their command line (first match).
TRAINING_KINDS: tuple[tuple[str, str], ...] = (
    ("mlops_unity_pipeline train", "train stage"),
    ("process_tree.py", "train stage"),
    ("standin.player", "players"),
    ("mlagents-learn", "mlagents-learn"),
)


def _own_and_children_s() -> tuple[float, float]:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _children(pid: int) -> list[int]:
    """The children of every thread of ``pid`` (``/proc/PID/task/TID/children``)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _descendants(root: int) -> list[int]:
    found, queue = [], [root]
    while queue:
        try:
            children = _children(queue.pop())
        except OSError:
            continue
        found += children
        queue += children
    return found


def _cpu_s(pid: int) -> float:
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / TICKS_PER_S


def _kind(pid: int, kinds: tuple[tuple[str, str], ...]) -> str:
    command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    return next((kind for word, kind in kinds if word in command), "other")


class TreeCPU:
    """A context manager: wall and CPU seconds of this process and everything started inside the block.

    ``wall_s`` and ``total_s`` are exact; ``by_kind`` splits the descendants' share by ``kinds`` (sampled), and
    ``this_process_s`` is what this process's own threads used.
    """

    def __init__(self, kinds: tuple[tuple[str, str], ...] = TRAINING_KINDS) -> None:
        self.kinds = kinds
        self.wall_s = 0.0
        self.total_s = 0.0
        self.this_process_s = 0.0
        self.by_kind: dict[str, float] = {}
        self._seen: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._sampling_s = 0.0
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1)

    def __enter__(self) -> Self:
        self._before = _own_and_children_s()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()
        self._started = time.monotonic()
        return self

    def __exit__(self, *_: object) -> None:
        self.wall_s = time.monotonic() - self._started
        self._stop.set()
        self._sampler.join()
        _reap_orphans()
        own, children = _own_and_children_s()
        self.this_process_s = own - self._before[0] - self._sampling_s
        self.total_s = self.this_process_s + children - self._before[1]
        for kind, seconds in self._seen.values():
            self.by_kind[kind] = self.by_kind.get(kind, 0.0) + seconds

    def _sample(self) -> None:
        me, started = os.getpid(), time.thread_time()
        while not self._stop.wait(SAMPLE_EVERY_S):
            for pid in _descendants(me):
                try:
                    kind = self._seen[pid][0] if pid in self._seen else _kind(pid, self.kinds)
                    self._seen[pid] = (kind, _cpu_s(pid))
                except (OSError, ValueError, IndexError):
                    continue
            self._sampling_s = time.thread_time() - started


def _reap_orphans(wait_s: float = 5.0) -> None:
    """Wait for the processes re-parented to this one (a run's leftovers), so their CPU is counted."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.05)
