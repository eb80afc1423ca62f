"""Print the TensorBoard scalars of an mlagents run as JSON (runs in the trainer environment).

``python -m mlops_unity_pipeline.train.tensorboard_scalars RUN_DIR/BEHAVIOR`` reads every
events file there (a resumed run adds one per attempt), oldest first, and prints
``{tag: [[step, value], ...]}``. Each file is a sequence of TFRecords (a little-endian 64-bit
length, a 32-bit CRC of it, the record, a 32-bit CRC of the record), each record one ``Event``
decoded with TensorBoard's own protobuf classes; mlagents writes its scalars as
``simple_value``. TensorBoard lives only in the trainer environment, so the train stage runs this
module there rather than importing TensorBoard itself. Only the protobuf classes are imported:
TensorBoard's ``EventAccumulator`` costs four times their import for the same result.

As TensorBoard does, a step at or before one already seen for a tag (a run resumed from an
earlier checkpoint) replaces that tag's points from that step on.
"""

from __future__ import annotations

import json
import struct
import sys
from collections.abc import Iterator
from pathlib import Path

#: Before each record: its length (uint64) and the length's masked CRC-32C (uint32); after it, its CRC.
_HEADER = struct.Struct("<QI")
_FOOTER_BYTES = 4


def records(path: Path) -> Iterator[bytes]:
    """The records of one TFRecord file; a record cut short (a writer killed mid-write) ends it."""
    data = path.read_bytes()
    position = 0
    while position + _HEADER.size <= len(data):
        (length, _) = _HEADER.unpack_from(data, position)
        start = position + _HEADER.size
        end = start + length
        if end + _FOOTER_BYTES > len(data):
            return
        yield data[start:end]
        position = end + _FOOTER_BYTES


def read_scalars(directory: str) -> dict[str, list[list[float]]]:
    from tensorboard.compat.proto.event_pb2 import Event

    # Each tag's points by step, kept in ascending step order: a new step either follows the last one
    # or first removes every point from its step on, so the last point is always the latest step.
    series: dict[str, dict[int, float]] = {}
    for path in sorted(Path(directory).glob("events.out.tfevents.*")):
        for record in records(path):
            event = Event.FromString(record)
            for value in event.summary.value:
                if value.WhichOneof("value") != "simple_value":
                    continue
                points = series.setdefault(value.tag, {})
                if points and event.step <= next(reversed(points)):
                    for step in [step for step in points if step >= event.step]:
                        del points[step]
                points[event.step] = value.simple_value
    return {tag: [[step, point] for step, point in points.items()] for tag, points in sorted(series.items())}


if __name__ == "__main__":
    json.dump(read_scalars(sys.argv[1]), sys.stdout)
