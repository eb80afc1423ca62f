"""A separate writer process for the event-log tests: appends events and acknowledges each.

``python log_writer.py LOG WRITER COUNT [GO]`` appends COUNT events, one durable append each,
and prints ``WRITER INDEX SEQ`` after each append returns, so the parent knows exactly which
events were acknowledged before it kills this process. With GO, it prints ``ready`` and waits
for that file to exist before its first append, so several writers start together.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from mlops_unity_pipeline.control_plane.event_log import EventLog


def main(path: str, writer: str, count: int, go: str | None) -> None:
    log = EventLog(path)
    if go is not None:
        print("ready", flush=True)
        while not Path(go).exists():
            time.sleep(0.005)
    for index in range(count):
        event = {
            "event_type": "tool_invocation",
            "action_id": "tool_action",
            "actor": writer,
            "payload": {"index": str(index), "filler": "x" * (index % 97)},
        }
        sealed = log.append([event])[0]
        print(writer, index, sealed["seq"], flush=True)
        time.sleep(0.001)  # leave the lock to the other writers, so concurrent writers interleave on any machine


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else None)
