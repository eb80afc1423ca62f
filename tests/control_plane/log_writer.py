"""A separate writer process for the event-log tests: appends events and acknowledges each.

``python log_writer.py LOG WRITER COUNT`` appends COUNT events, one durable append each, and
prints ``WRITER INDEX SEQ`` after each append returns, so the parent knows exactly which
events were acknowledged before it kills this process.
"""

from __future__ import annotations

import sys

from mlops_unity_pipeline.control_plane.event_log import EventLog


def main(path: str, writer: str, count: int) -> None:
    log = EventLog(path)
    for index in range(count):
        event = {"event_type": "tool_invocation", "action_id": "tool_action", "actor": writer,
                 "payload": {"index": str(index), "filler": "x" * (index % 97)}}
        sealed = log.append([event])[0]
        print(writer, index, sealed["seq"], flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
