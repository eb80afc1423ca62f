"""The control plane's memory: an append-only, hash-chained JSONL file.

Why each property holds:

- Durable: an append returns only after ``os.fsync`` of the file (and of its directory when
  the append created it), so an acknowledged event survives a crash of the process or the host.
- Safe with several writers: every append holds an exclusive ``flock`` (``filelock``) on a
  lock file beside the log while it reads the tail, writes and syncs, so sequence numbers are
  unique and gap-free and lines never interleave, across processes as well as threads.
- Tamper-evident: each line carries ``hash = sha256(previous hash, newline, the event's
  canonical JSON without its hash)``, the canonical JSON being sorted keys, no spaces, ASCII.
  The hash is the line's last field, so a reader verifies the chain on the raw bytes, which
  keeps replay fast. An edited line, a removed line or a reordered one breaks the chain.
- Crash-tolerant: a crash mid-append can leave a torn last line (no newline). Replay reports
  it and leaves it out; the next append moves the torn bytes to ``<log>.torn`` and truncates
  them away before writing, so no acknowledged event is ever lost or glued to garbage.

A chain proves nothing against someone who rewrites every later hash too; keep
:attr:`ReplayReport.position` (sequence number and hash) somewhere else to anchor it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timezone
from pathlib import Path
from typing import Any

from filelock import FileLock

from ..clock import Clock, SystemClock
from ..errors import EventLogError, SpecValidationError
from .events import event_problems

logger = logging.getLogger(__name__)

#: The "previous hash" of the first event.
GENESIS_HASH = "0" * 64

_HASH_FIELD = b',"hash":"'
_SUFFIX_LENGTH = len(_HASH_FIELD) + 64 + 2  # ,"hash":"<64 hex digits>"}
_READ_CHUNK = 16 * 1024 * 1024
_TAIL_CHUNK = 64 * 1024


@dataclass(frozen=True)
class LogPosition:
    """Just after the last complete line read: byte offset, its sequence number and hash."""

    offset: int
    seq: int
    hash: str


START = LogPosition(offset=0, seq=0, hash=GENESIS_HASH)


@dataclass(frozen=True)
class LogIssue:
    """Something wrong found while replaying: a torn tail, an unreadable line, a broken chain or sequence."""

    kind: str  # "torn_tail" | "corrupt_line" | "hash_mismatch" | "sequence"
    line: int
    offset: int
    detail: str

    def __str__(self) -> str:
        return f"line {self.line} (byte {self.offset}): {self.kind}: {self.detail}"


@dataclass(frozen=True)
class ReplayReport:
    """What a replay read: how many events, where it stopped, and every issue found."""

    events: int
    position: LogPosition
    issues: tuple[LogIssue, ...]

    @property
    def intact(self) -> bool:
        """True when nothing but (at most) a torn tail from a crash was found."""
        return all(issue.kind == "torn_tail" for issue in self.issues)


def canonical_json(event: Mapping[str, Any]) -> str:
    """The one text an event hashes as: sorted keys, no spaces, ASCII only, no NaN."""
    return json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)


def chain_hash(previous: str, body: bytes) -> str:
    """The hash of a line whose canonical JSON (without hash) is ``body``."""
    return hashlib.sha256(previous.encode("ascii") + b"\n" + body).hexdigest()


class EventLog:
    """One JSONL event log file, its lock file beside it (``<log>.lock``)."""

    def __init__(self, path: str | os.PathLike[str], *, clock: Clock | None = None) -> None:
        self.path = Path(path)
        self._clock = clock or SystemClock()
        self._file_lock = FileLock(f"{self.path}.lock", thread_local=False)
        self._thread_lock = threading.RLock()
        self._tail: tuple[int, int, LogPosition] | None = None  # (inode, size, position) after our last append

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the log exclusively (re-entrant): read state and append with no writer in between."""
        with self._thread_lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._file_lock:
                yield

    def append(self, events: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Seal and append ``events`` in one write and one fsync; return them with seq, ts and hash."""
        problems = [
            problem
            for index, event in enumerate(events)
            for problem in event_problems(event, ("events", index) if len(events) > 1 else ())
        ]
        if problems:
            raise SpecValidationError(problems, source="control-plane event")
        if not events:
            return []
        with self.locked():
            created = not self.path.exists()
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
            try:
                position = self._tail_position(fd)
                sealed, data, position = self._seal(events, position)
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
                self._tail = (os.fstat(fd).st_ino, position.offset, position)
            finally:
                os.close(fd)
            if created:
                _fsync_directory(self.path.parent)
        return sealed

    def _seal(
        self, events: Sequence[Mapping[str, Any]], position: LogPosition
    ) -> tuple[list[dict[str, Any]], bytes, LogPosition]:
        stamp = self._clock.now().astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        sealed: list[dict[str, Any]] = []
        lines: list[bytes] = []
        seq, previous, offset = position.seq, position.hash, position.offset
        for event in events:
            seq += 1
            record = {**event, "seq": seq, "ts": stamp}
            body = canonical_json(record).encode("ascii")
            previous = chain_hash(previous, body)
            line = body[:-1] + _HASH_FIELD + previous.encode("ascii") + b'"}\n'
            offset += len(line)
            lines.append(line)
            sealed.append({**record, "hash": previous})
        return sealed, b"".join(lines), LogPosition(offset, seq, previous)

    def _tail_position(self, fd: int) -> LogPosition:
        """Where the next line goes; a torn tail is moved aside and cut off first."""
        stat = os.fstat(fd)
        if self._tail is not None and self._tail[:2] == (stat.st_ino, stat.st_size):
            return self._tail[2]
        size = stat.st_size
        end = _last_newline_end(fd, size)
        if end < size:
            torn = os.pread(fd, size - end, end)
            with open(f"{self.path}.torn", "ab") as keep:
                keep.write(torn + b"\n")
                keep.flush()
                os.fsync(keep.fileno())
            os.ftruncate(fd, end)
            os.fsync(fd)
            logger.warning("%s: moved a torn last line (%d bytes) to %s.torn", self.path, size - end, self.path)
        if end == 0:
            return START
        start = _last_newline_end(fd, end - 1)
        line = os.pread(fd, end - 1 - start, start)
        try:
            if line[-_SUFFIX_LENGTH:-66] != _HASH_FIELD:
                raise ValueError("no hash field at the end")
            seq = json.loads(line[:-_SUFFIX_LENGTH] + b"}")["seq"]
            if not isinstance(seq, int):
                raise ValueError("seq is not an integer")  # noqa: TRY004 (caught below as an unreadable line)
        except (ValueError, KeyError, TypeError) as exc:
            raise EventLogError(
                f"{self.path}: the last line (byte {start}) is unreadable ({exc}); "
                "refusing to append; run replay to see every issue"
            ) from None
        return LogPosition(end, seq, line[-66:-2].decode("ascii"))

    def size(self) -> int:
        """The log's size with every append so far complete (taken under the lock)."""
        with self.locked():
            try:
                return self.path.stat().st_size
            except FileNotFoundError:
                return 0

    def replay(
        self,
        apply: Callable[[dict[str, Any]], None] | None = None,
        start: LogPosition = START,
        kinds: Collection[str] | None = None,
    ) -> ReplayReport:
        """Verify every line from ``start`` and hand each readable event to ``apply`` in order.

        Nothing is raised for a damaged log: every issue is reported, and events after an
        issue are still read (so an edited line hides nothing that follows it). A torn last
        line is reported and not applied. With ``kinds``, only events of those types are
        parsed and applied; the others are verified (hash and sequence) on their raw bytes.
        """
        size = self.size()
        if size <= start.offset:
            return ReplayReport(0, start, ())
        scan = _Scan(start, apply, None if kinds is None else {kind.encode("ascii") for kind in kinds})
        with open(self.path, "rb") as handle:
            handle.seek(start.offset)
            remaining = size - start.offset
            carry = b""
            while remaining:
                chunk = handle.read(min(_READ_CHUNK, remaining))
                if not chunk:
                    break
                remaining -= len(chunk)
                lines = (carry + chunk).split(b"\n")
                carry = lines.pop()
                scan.lines(lines)
        if carry:
            scan.issue(
                "torn_tail",
                scan.line_no + 1,
                scan.offset,
                f"{len(carry)} bytes with no newline, left out (a crash mid-append)",
            )
        return ReplayReport(
            scan.count, LogPosition(scan.offset, scan.last_seq, scan.previous.decode("ascii")), tuple(scan.issues)
        )


class _Scan:
    """The running state of one replay: chain, sequence, position and issues so far.

    Speed matters here (a million events in a few seconds), hence the raw-bytes checks. They
    rely on the layout the writer guarantees for a line whose hash verifies: canonical JSON
    with sorted keys, the hash last, ``ts`` (fixed width) just before it, and only string or
    identifier-list fields sorting before ``event_type`` or after ``seq`` (see
    :data:`.events.FIELDS`), so the first ``"event_type":"`` and the last ``,"seq":`` are the
    top-level ones. A line whose hash does not verify is always parsed in full.
    """

    def __init__(
        self, start: LogPosition, apply: Callable[[dict[str, Any]], None] | None, kinds: set[bytes] | None
    ) -> None:
        self.apply = apply
        self.kinds = kinds
        self.previous = start.hash.encode("ascii")
        self.expected = start.seq + 1
        self.last_seq = start.seq
        self.offset = start.offset
        self.line_no = start.seq
        self.count = 0
        self.issues: list[LogIssue] = []

    def issue(self, kind: str, line: int, offset: int, detail: str) -> None:
        self.issues.append(LogIssue(kind, line, offset, detail))

    def lines(self, lines: list[bytes]) -> None:
        # The running values live in locals and are written back once, sparing an attribute
        # look-up per value per line in the hottest loop of a replay.
        sha256, loads, kinds, apply = hashlib.sha256, json.loads, self.kinds, self.apply
        previous, expected, offset, line_no = self.previous, self.expected, self.offset, self.line_no
        for line in lines:
            line_no += 1
            here = offset
            offset += len(line) + 1
            stored = line[-66:-2]
            if line[-_SUFFIX_LENGTH:-66] != _HASH_FIELD or line[-2:] != b'"}':
                self.issue("corrupt_line", line_no, here, "not a sealed event (no hash field)")
                continue
            body = line[:-_SUFFIX_LENGTH] + b"}"
            verified = sha256(previous + b"\n" + body).hexdigest().encode("ascii") == stored
            if not verified:
                self.issue("hash_mismatch", line_no, here, "line edited, or a line before it removed or moved")
            previous = stored
            event = None
            begin = body.find(b'"event_type":"') + 14 if verified and kinds is not None else 0
            at = body.rfind(b',"seq":') + 7 if begin >= 14 and body[begin : body.find(b'"', begin)] not in kinds else 0
            seq: Any = None
            if at >= 7:
                try:
                    seq = int(body[at : body.find(b",", at)])
                except ValueError:  # not the writer's layout after all: parse it properly
                    at = 0
            if at < 7:
                try:
                    event = loads(body)
                    seq = event["seq"]
                except (ValueError, KeyError, TypeError):
                    self.issue("corrupt_line", line_no, here, "not a JSON event with a seq")
                    continue
            if seq != expected:
                self.issue("sequence", line_no, here, f"seq {seq!r}, expected {expected}")
            if isinstance(seq, int):
                expected = seq + 1
                self.last_seq = seq
            self.count += 1
            if event is not None and apply is not None:
                event["hash"] = stored.decode("ascii")
                apply(event)
        self.previous, self.expected, self.offset, self.line_no = previous, expected, offset, line_no


def _last_newline_end(fd: int, size: int) -> int:
    """The offset just after the last ``\\n`` in the first ``size`` bytes (0 if none)."""
    end = size
    while end > 0:
        begin = max(0, end - _TAIL_CHUNK)
        chunk = os.pread(fd, end - begin, begin)
        index = chunk.rfind(b"\n")
        if index >= 0:
            return begin + index + 1
        end = begin
    return 0


def _fsync_directory(directory: Path) -> None:
    """Make a newly created file's directory entry durable too."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
