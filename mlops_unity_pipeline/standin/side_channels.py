"""The side channels a Unity player speaks, read and written as the C# package does.

The blob that rides along every message is a list of ``[16-byte channel UUID, little-endian
(C#'s Guid.ToByteArray)][int32 length][payload]``. The trainer sends the engine configuration
(time scale, ...), environment parameters (curricula, randomisation) and training analytics; the
player sends statistics (``StatsRecorder``). Pure standard library, so it is testable anywhere.
"""

from __future__ import annotations

import random
import re
import struct
import uuid
from dataclasses import dataclass, field
from enum import IntEnum

ENGINE_CONFIGURATION = uuid.UUID("e951342c-4f7e-11ea-b238-784f4387d1f7")
ENVIRONMENT_PARAMETERS = uuid.UUID("534c891e-810f-11ea-a9d0-822485860400")
STATS = uuid.UUID("a1d8f7b7-cec8-50f9-b78b-d3e165a78520")
TRAINING_ANALYTICS = uuid.UUID("b664a4a9-d86f-5a5f-95cb-e8353a7e8356")


class SideChannelError(ValueError):
    """A side-channel blob or message that does not follow the format."""


class EngineSetting(IntEnum):
    SCREEN_RESOLUTION = 0
    QUALITY_LEVEL = 1
    TIME_SCALE = 2
    TARGET_FRAME_RATE = 3
    CAPTURE_FRAME_RATE = 4


class StatsAggregation(IntEnum):
    AVERAGE = 0
    MOST_RECENT = 1
    SUM = 2
    HISTOGRAM = 3

    @classmethod
    def from_unity(cls, name: str) -> StatsAggregation:
        """The member for a name of ML-Agents' C# ``StatAggregationMethod`` (``MostRecent`` → MOST_RECENT)."""
        return cls[re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()]


class _Reader:
    """Little-endian reads over one message, failing clearly when it runs short."""

    def __init__(self, data: bytes, what: str) -> None:
        self.data, self.offset, self.what = data, 0, what

    def take(self, fmt: str) -> tuple:
        size = struct.calcsize(fmt)
        if self.offset + size > len(self.data):
            raise SideChannelError(f"{self.what}: message ends after {len(self.data)} bytes, inside a field")
        values = struct.unpack_from(fmt, self.data, self.offset)
        self.offset += size
        return values

    def int32(self) -> int:
        return self.take("<i")[0]

    def float32(self) -> float:
        return self.take("<f")[0]

    def string(self) -> str:
        length = self.int32()
        if length < 0 or self.offset + length > len(self.data):
            raise SideChannelError(f"{self.what}: string of {length} bytes does not fit the message")
        text = self.data[self.offset : self.offset + length].decode("ascii", errors="replace")
        self.offset += length
        return text


def split_messages(blob: bytes) -> list[tuple[uuid.UUID, bytes]]:
    """Cut a side-channel blob into ``(channel id, payload)`` pairs."""
    messages, offset = [], 0
    while offset < len(blob):
        if offset + 20 > len(blob):
            raise SideChannelError(f"side-channel data: {len(blob) - offset} trailing bytes are too few for a header")
        channel = uuid.UUID(bytes_le=bytes(blob[offset : offset + 16]))
        (length,) = struct.unpack_from("<i", blob, offset + 16)
        offset += 20
        if length < 0 or offset + length > len(blob):
            raise SideChannelError(
                f"side-channel data: message of {length} bytes on channel {channel} overruns the data"
            )
        messages.append((channel, bytes(blob[offset : offset + length])))
        offset += length
    return messages


def pack_message(channel: uuid.UUID, payload: bytes) -> bytes:
    return channel.bytes_le + struct.pack("<i", len(payload)) + payload


def pack_stat(key: str, value: float, aggregation: StatsAggregation = StatsAggregation.AVERAGE) -> bytes:
    """One ``StatsRecorder.Add`` message: mlagents-learn writes it to TensorBoard under ``key``."""
    encoded = key.encode("ascii")
    payload = struct.pack("<i", len(encoded)) + encoded + struct.pack("<fi", value, int(aggregation))
    return pack_message(STATS, payload)


@dataclass
class TrainerSettings:
    """What the trainer told the player over side channels so far.

    Environment parameters keep their latest value: a float as sent, a sampler drawn once when it
    arrives (from the sampler's own seed), as ``Academy.EnvironmentParameters`` would return it.
    """

    engine: dict[str, float] = field(default_factory=dict)
    parameters: dict[str, float] = field(default_factory=dict)
    unknown_channels: set[uuid.UUID] = field(default_factory=set)

    def apply(self, blob: bytes) -> list[str]:
        """Read one blob; returns one line per change, for the player's log."""
        changes: list[str] = []
        for channel, payload in split_messages(blob):
            if channel == ENGINE_CONFIGURATION:
                changes.append(self._engine(payload))
            elif channel == ENVIRONMENT_PARAMETERS:
                changes.append(self._parameter(payload))
            elif channel == TRAINING_ANALYTICS:
                continue  # Unity sends these to its own analytics service; a stand-in has none.
            elif channel not in self.unknown_channels:
                self.unknown_channels.add(channel)
                changes.append(f"ignoring messages on unknown side channel {channel}")
        return changes

    def _engine(self, payload: bytes) -> str:
        reader = _Reader(payload, "engine configuration")
        kind = reader.int32()
        try:
            setting = EngineSetting(kind)
        except ValueError:
            raise SideChannelError(f"engine configuration: unknown setting type {kind}") from None
        name = setting.name.lower()
        if setting == EngineSetting.SCREEN_RESOLUTION:
            self.engine["width"], self.engine["height"] = reader.int32(), reader.int32()
            return f"engine configuration: screen {self.engine['width']}x{self.engine['height']}"
        self.engine[name] = reader.float32() if setting == EngineSetting.TIME_SCALE else reader.int32()
        return f"engine configuration: {name} = {self.engine[name]:g}"

    def _parameter(self, payload: bytes) -> str:
        reader = _Reader(payload, "environment parameters")
        key = reader.string()
        kind = reader.int32()
        if kind == 0:
            self.parameters[key] = reader.float32()
        elif kind == 1:
            self.parameters[key] = _draw_sampler(reader, key)
        else:
            raise SideChannelError(f"environment parameter {key!r}: unknown data type {kind}")
        return f"environment parameter {key} = {self.parameters[key]:g}"


def _draw_sampler(reader: _Reader, key: str) -> float:
    seed, sampler = reader.int32(), reader.int32()
    rng = random.Random(seed)
    if sampler == 0:
        low, high = reader.float32(), reader.float32()
        return rng.uniform(low, high)
    if sampler == 1:
        mean, deviation = reader.float32(), reader.float32()
        return rng.gauss(mean, deviation)
    if sampler == 2:
        count = reader.int32()
        bounds = [reader.float32() for _ in range(count)]
        if count < 2 or count % 2:
            raise SideChannelError(f"environment parameter {key!r}: multi-range sampler with {count} bounds")
        intervals = list(zip(bounds[::2], bounds[1::2]))
        weights = [max(high - low, 0.0) for low, high in intervals]
        low, high = rng.choices(intervals, weights=weights)[0] if sum(weights) else intervals[0]
        return rng.uniform(low, high)
    raise SideChannelError(f"environment parameter {key!r}: unknown sampler type {sampler}")
