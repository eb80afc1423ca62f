"""The TensorBoard scalars of an mlagents run, read in the train stage's own process.

A run's folder holds one events file per attempt (a resumed run adds one). Each file is a
sequence of TFRecords (a little-endian 64-bit length, a 32-bit CRC of it, the record, a 32-bit
CRC of the record), each record one TensorBoard ``Event``; mlagents writes its scalars as
``simple_value``. The records are decoded by protobuf with the few fields of TensorBoard's
``event.proto`` and ``summary.proto`` that scalars use, declared here with their field numbers
(protobuf skips the rest): TensorBoard itself is not a dependency of the stage, and importing
it, or running it in the trainer environment, would cost the stage more than reading does.

As TensorBoard does, a step at or before one already seen for a tag (a run resumed from an
earlier checkpoint) replaces that tag's points from that step on.
"""

from __future__ import annotations

import functools
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: Before each record: its length (uint64) and the length's masked CRC-32C (uint32); after it, its CRC.
_HEADER = struct.Struct("<QI")
_FOOTER_BYTES = 4
_PACKAGE = "unity_mlops.tensorboard"


@functools.cache
def _event_class() -> Any:
    """TensorBoard's ``Event`` { step = 2; summary = 5 } with ``Summary`` { repeated value = 1 } and
    ``Summary.Value`` { tag = 1; simple_value = 2 }, declared as proto2 (so that
    ``HasField`` tells a scalar from the other kinds of value: text, histograms, tensors) in a
    descriptor pool of its own. protobuf is imported here, when a run is read, not when the stage starts.
    """
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    field = descriptor_pb2.FieldDescriptorProto

    def declare(name: str, number: int, kind: int, message: str | None = None, repeated: bool = False) -> Any:
        label = field.LABEL_REPEATED if repeated else field.LABEL_OPTIONAL
        type_name = f".{_PACKAGE}.{message}" if message else None
        return field(name=name, number=number, type=kind, label=label, type_name=type_name)

    schema = descriptor_pb2.FileDescriptorProto(
        name="unity_mlops/tensorboard_scalars.proto",
        package=_PACKAGE,
        syntax="proto2",
        message_type=[
            descriptor_pb2.DescriptorProto(
                name="Value",
                field=[declare("tag", 1, field.TYPE_STRING), declare("simple_value", 2, field.TYPE_FLOAT)],
            ),
            descriptor_pb2.DescriptorProto(
                name="Summary", field=[declare("value", 1, field.TYPE_MESSAGE, "Value", repeated=True)]
            ),
            descriptor_pb2.DescriptorProto(
                name="Event",
                field=[declare("step", 2, field.TYPE_INT64), declare("summary", 5, field.TYPE_MESSAGE, "Summary")],
            ),
        ],
    )
    pool = descriptor_pool.DescriptorPool()
    pool.AddSerializedFile(schema.SerializeToString())
    descriptor = pool.FindMessageTypeByName(f"{_PACKAGE}.Event")
    get_message_class = getattr(message_factory, "GetMessageClass", None)  # protobuf 4.21 and later
    if get_message_class is None:  # the trainer environment's protobuf 3.20
        return message_factory.MessageFactory(pool).GetPrototype(descriptor)
    return get_message_class(descriptor)


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


def read_scalars(directory: Path) -> dict[str, list[list[float]]]:
    """``{tag: [[step, value], ...]}`` of every events file in ``directory``, oldest first (empty if none)."""
    event_class = _event_class()
    # Each tag's points by step, kept in ascending step order: a new step either follows the last one
    # or first removes every point from its step on, so the last point is always the latest step.
    series: dict[str, dict[int, float]] = {}
    for path in sorted(directory.glob("events.out.tfevents.*")):
        for record in records(path):
            event = event_class.FromString(record)
            for value in event.summary.value:
                if not value.HasField("simple_value"):
                    continue
                points = series.setdefault(value.tag, {})
                if points and event.step <= next(reversed(points)):
                    for step in [step for step in points if step >= event.step]:
                        del points[step]
                points[event.step] = value.simple_value
    return {tag: [[step, point] for step, point in points.items()] for tag, points in sorted(series.items())}
