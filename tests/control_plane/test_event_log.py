"""The event log under crashes, concurrent writers and tampering, with real processes and files."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mlops_unity_pipeline.control_plane.event_log import EventLog, chain_hash
from mlops_unity_pipeline.errors import EventLogError, SpecValidationError

REPO = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("log_writer.py")
ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def _note(i: int) -> dict:
    return {"event_type": "tool_invocation", "action_id": "tool_action", "actor": "test", "payload": {"i": str(i)}}


def _writer(path: Path, name: str, count: int, *go: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(path), name, str(count), *map(str, go)],
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
    )


def test_sigkill_during_thousands_of_appends_loses_no_acknowledged_event(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    acknowledged: dict[int, tuple[str, str]] = {}
    for round_no, kill_after in enumerate((1000, 600, 800)):
        name = f"w{round_no}"
        writer = _writer(path, name, 100_000)
        for _ in range(kill_after):
            who, index, seq = writer.stdout.readline().split()
            acknowledged[int(seq)] = (who, index)
        os.kill(writer.pid, signal.SIGKILL)  # mid-append, most likely: it never stops appending
        writer.wait(timeout=10)
        writer.stdout.close()
        assert writer.returncode == -signal.SIGKILL

        report = EventLog(path).replay()
        assert report.intact, report.issues
        seen: dict[int, tuple[str, str]] = {}
        EventLog(path).replay(lambda e, seen=seen: seen.__setitem__(e["seq"], (e["actor"], e["payload"]["index"])))
        assert len(acknowledged) == sum((1000, 600, 800)[: round_no + 1])
        missing = [seq for seq, who in acknowledged.items() if seen.get(seq) != who]
        assert missing == []
        assert sorted(seen) == list(range(1, len(seen) + 1))


def test_a_torn_last_line_is_reported_left_out_and_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    log = EventLog(path)
    log.append([_note(i) for i in range(3)])
    whole = path.read_bytes()
    with open(path, "ab") as handle:  # what a crash mid-write leaves: part of a line, no newline
        handle.write(b'{"action_id":"tool_action","actor":"te')

    report = EventLog(path).replay()
    assert report.events == 3 and report.intact
    assert [issue.kind for issue in report.issues] == ["torn_tail"]
    assert report.issues[0].offset == len(whole)

    sealed = EventLog(path).append([_note(3)])[0]  # a fresh writer recovers before appending
    assert sealed["seq"] == 4
    assert (tmp_path / "events.jsonl.torn").read_bytes() == b'{"action_id":"tool_action","actor":"te\n'
    report = EventLog(path).replay()
    assert report.events == 4 and report.issues == ()
    assert path.read_bytes().startswith(whole)


def test_four_processes_append_concurrently_without_interleaving(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    per_writer = 250
    go = tmp_path / "go"
    writers = [_writer(path, f"w{i}", per_writer, go) for i in range(4)]
    for writer in writers:  # all four loaded and waiting, then released at once
        assert writer.stdout.readline() == "ready\n"
    go.touch()
    outputs = [writer.communicate(timeout=60)[0] for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0, 0, 0]

    raw = path.read_bytes()
    assert raw.endswith(b"\n")
    events = [json.loads(line) for line in raw.decode("ascii").splitlines()]  # every line whole JSON
    assert [e["seq"] for e in events] == list(range(1, 4 * per_writer + 1))  # unique, gap-free, in order
    for i in range(4):
        mine = [int(e["payload"]["index"]) for e in events if e["actor"] == f"w{i}"]
        assert mine == list(range(per_writer))
        acks = [line.split() for line in outputs[i].splitlines()]
        assert [int(seq) for _, _, seq in acks] == [e["seq"] for e in events if e["actor"] == f"w{i}"]
    switches = sum(a["actor"] != b["actor"] for a, b in itertools.pairwise(events))
    assert switches > 3  # they really did append at the same time
    report = EventLog(path).replay()
    assert report.events == 4 * per_writer and report.issues == ()


@pytest.fixture
def chained(tmp_path: Path) -> tuple[EventLog, Path]:
    path = tmp_path / "events.jsonl"
    log = EventLog(path)
    for i in range(10):
        log.append([_note(i)])
    return log, path


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def test_an_edited_line_in_the_middle_is_detected(chained) -> None:
    log, path = chained
    lines = _lines(path)
    lines[4] = lines[4].replace(b'"i":"4"', b'"i":"X"')
    path.write_bytes(b"".join(lines))
    report = log.replay()
    assert not report.intact and report.events == 10
    assert [(issue.kind, issue.line) for issue in report.issues] == [("hash_mismatch", 5)]


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(chained) -> None:
    log, path = chained
    lines = _lines(path)
    body = lines[4][: -len(b',"hash":"') - 64 - 3] + b"}"
    edited = body.replace(b'"i":"4"', b'"i":"X"')
    previous = json.loads(lines[3])["hash"]
    lines[4] = edited[:-1] + b',"hash":"' + chain_hash(previous, edited).encode() + b'"}\n'
    path.write_bytes(b"".join(lines))
    assert [(issue.kind, issue.line) for issue in log.replay().issues] == [("hash_mismatch", 6)]


def test_removed_and_reordered_lines_are_detected(chained) -> None:
    log, path = chained
    lines = _lines(path)
    path.write_bytes(b"".join(lines[:3] + lines[4:]))
    kinds = {issue.kind for issue in log.replay().issues}
    assert kinds == {"hash_mismatch", "sequence"}
    lines[2], lines[3] = lines[3], lines[2]
    path.write_bytes(b"".join(lines))
    assert not log.replay().intact


def test_garbage_lines_are_reported_and_block_appends(chained) -> None:
    log, path = chained
    with open(path, "ab") as handle:
        handle.write(b"not json at all\n")
    report = log.replay()
    assert [(issue.kind, issue.line) for issue in report.issues] == [("corrupt_line", 11)]
    with pytest.raises(EventLogError, match="unreadable"):
        EventLog(path).append([_note(99)])


def test_events_are_validated_before_anything_is_written(tmp_path: Path) -> None:
    log = EventLog(tmp_path / "events.jsonl")
    with pytest.raises(SpecValidationError) as caught:
        log.append(
            [
                {"event_type": "tool_invocation", "seq": 7},
                {"event_type": "approval", "transition": "promote"},
                {"event_type": "mystery"},
                {"event_type": "tool_invocation", "payload": {"x": float("nan")}},
            ]
        )
    text = str(caught.value)
    assert "events[0].seq: is assigned by the log" in text
    assert "events[1].approver: is required" in text
    assert "events[2].event_type: 'mystery' is not one of" in text
    assert "events[3].payload.x: nan is not a JSON number" in text
    assert not (tmp_path / "events.jsonl").exists()


def test_a_replay_from_a_position_reads_only_what_follows(chained) -> None:
    log, _ = chained
    head = log.replay().position
    log.append([_note(10), _note(11)])
    seen: list[int] = []
    report = log.replay(lambda e: seen.append(e["seq"]), start=head)
    assert seen == [11, 12] and report.issues == () and report.position.seq == 12


def test_appends_are_fsynced_before_returning(tmp_path: Path, monkeypatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    log = EventLog(tmp_path / "new" / "events.jsonl")
    started = time.monotonic()
    log.append([_note(0)])
    assert len(synced) == 2  # the file, then (it was created) its directory
    log.append([_note(1)])
    assert len(synced) == 3 and time.monotonic() - started < 5


def test_the_raw_bytes_fast_path_agrees_with_full_parsing(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    log = EventLog(path)
    tricky = {
        "event_type": "tool_invocation",
        "action_id": "tool_action",
        "actor": "a",
        "payload": {"event_type": "approval", "seq": 999, "nested": {',"seq":': '"event_type":"'}},
    }
    log.append(
        [
            _note(0),
            tricky,
            {
                "event_type": "transition",
                "transition": "train",
                "from": "idle",
                "to": "trained",
                "subject": None,
                "facts": {"seq": 5},
                "cleared": [],
            },
            {"event_type": "approval_requested", "transition": "promote", "subject": "m@1", "actor": "bot"},
            {"event_type": "approval", "transition": "promote", "subject": "m@1", "approver": "alice"},
            tricky,
        ]
    )
    everything: list[dict] = []
    full = log.replay(everything.append)
    chosen: list[dict] = []
    fast = log.replay(chosen.append, kinds=("transition", "approval"))
    assert full == fast and full.issues == () and full.events == 6
    assert [e["seq"] for e in chosen] == [3, 5]
    assert chosen == [e for e in everything if e["event_type"] in ("transition", "approval")]


def test_a_sealed_line_with_a_wrong_seq_is_caught_on_the_fast_path(tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    log = EventLog(path)
    head = log.append([_note(0)])[0]
    body = json.dumps({**_note(1), "seq": 5, "ts": head["ts"]}, sort_keys=True, separators=(",", ":")).encode()
    with open(path, "ab") as handle:  # a buggy writer: the chain is right, the sequence is not
        handle.write(body[:-1] + b',"hash":"' + chain_hash(head["hash"], body).encode() + b'"}\n')
    report = log.replay(kinds=("transition",))
    assert [(issue.kind, issue.line) for issue in report.issues] == [("sequence", 2)]
