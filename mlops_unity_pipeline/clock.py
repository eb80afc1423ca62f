"""The one clock the scheduler and the control plane's event log read, injectable so tests can move
through days and DST changes instantly."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Protocol

#: The longest single sleep, so a changed wall clock (NTP, suspend) is noticed within a minute.
MAX_SLEEP_S = 60.0


class Clock(Protocol):
    """What time it is, and a wait until a given time."""

    def now(self) -> datetime:
        """The current time, timezone-aware."""

    async def sleep_until(self, when: datetime, wake: asyncio.Event) -> None:
        """Return at ``when`` or as soon as ``wake`` is set, whichever is first."""


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    async def sleep_until(self, when: datetime, wake: asyncio.Event) -> None:
        while not wake.is_set():
            remaining = (when - self.now()).total_seconds()
            if remaining <= 0:
                return
            try:
                await asyncio.wait_for(wake.wait(), timeout=min(remaining, MAX_SLEEP_S))
            except asyncio.TimeoutError:
                continue
