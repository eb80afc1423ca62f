"""Reserving base ports for mlagents-learn and the players, so jobs on one machine never collide.

mlagents-learn listens on ``base_port + worker_id`` for each of its ``num_envs`` players; two
jobs with the same base port fail with UnityWorkerInUseException. A reservation holds a file
lock per port block for the life of the training run, and checks that every port of the block
can be bound right now.
"""

from __future__ import annotations

import random
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from .errors import PortReservationError
from .trainer_env import cache_dir

PORT_RANGE = (20000, 60000)
#: Ports per lockable block: more than the most players one run may start (num_envs <= 256).
BLOCK_SIZE = 300
ATTEMPTS = 200


def _bindable(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("localhost", port))
        except OSError:
            return False
    return True


@contextmanager
def reserve_base_port(count: int, lock_dir: Path | None = None) -> Iterator[int]:
    """Yield a base port whose ``count`` consecutive ports are free and reserved until exit."""
    lock_dir = lock_dir or cache_dir() / "ports"
    lock_dir.mkdir(parents=True, exist_ok=True)
    if count > BLOCK_SIZE:
        raise PortReservationError(f"num_envs {count} needs more than {BLOCK_SIZE} ports; use at most {BLOCK_SIZE}")
    rng = random.Random()
    blocks = range(PORT_RANGE[0] // BLOCK_SIZE + 1, PORT_RANGE[1] // BLOCK_SIZE)
    for _ in range(ATTEMPTS):
        block = rng.choice(blocks)
        base = block * BLOCK_SIZE
        lock = FileLock(str(lock_dir / f"{block}.lock"))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            continue
        try:
            if all(_bindable(base + offset) for offset in range(count)):
                yield base
                return
        finally:
            lock.release()
    raise PortReservationError(f"no block of {count} free ports found in {PORT_RANGE[0]}-{PORT_RANGE[1]}")
