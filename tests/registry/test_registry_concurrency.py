"""The file registry under real concurrency and real crashes: 8 writer processes, SIGKILLed writers."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import signal
import time
from pathlib import Path

from filelock import FileLock

from mlops_unity_pipeline.registry import FileRegistry, collect_candidate, register_model

WRITERS = 8
PER_WRITER = 3
CONTEXT = multiprocessing.get_context("fork")


def _register_many(root: str, runs: list[dict], barrier, results) -> None:
    barrier.wait()  # all eight start registering at the same moment
    results.put([int(register_model(**run, registry_dir=root).version) for run in runs])


def test_eight_processes_registering_at_once_get_distinct_versions_and_lose_none(tmp_path, make_run):
    runs = [
        [make_run(f"w{w}-r{r}", float((w * 7 + r * 3) % 11), seed=w * PER_WRITER + r) for r in range(PER_WRITER)]
        for w in range(WRITERS)
    ]
    barrier, queue = CONTEXT.Barrier(WRITERS), CONTEXT.Queue()
    root = str(tmp_path / "reg")
    writers = [CONTEXT.Process(target=_register_many, args=(root, batch, barrier, queue)) for batch in runs]
    for writer in writers:
        writer.start()
    results = [queue.get(timeout=60) for _ in writers]
    for writer in writers:
        writer.join()
    assert [writer.exitcode for writer in writers] == [0] * WRITERS

    numbers = sorted(n for batch in results for n in batch)
    assert numbers == list(range(1, WRITERS * PER_WRITER + 1))
    registry = FileRegistry(tmp_path / "reg")
    versions = registry.versions("reacher")
    assert sorted(v.metadata["job_id"] for v in versions) == sorted(run["job_id"] for batch in runs for run in batch)
    assert registry.verify("reacher") == []
    # Each registration compared against the champion of its moment, so the last champion is a best one.
    best = max(v.metadata["evaluation_metrics"]["mean_reward"] for v in versions)
    assert registry.get("reacher", "champion").metadata["evaluation_metrics"]["mean_reward"] == best
    assert not any((tmp_path / "reg" / "reacher" / ".incoming").iterdir())


def _register_from(candidate, root: str) -> None:
    FileRegistry(root).register(candidate)


def test_a_writer_killed_mid_copy_leaves_a_valid_registry_and_no_half_version(tmp_path, make_run):
    """The killed writer reads its model from a FIFO that the test fills only halfway."""
    root = tmp_path / "reg"
    register_model(**make_run("before", 1.0, seed=1), registry_dir=root)
    args = make_run("killed", 2.0, seed=2)
    candidate = collect_candidate(**args)
    fifo = tmp_path / "model.fifo"
    os.mkfifo(fifo)
    writer = CONTEXT.Process(target=_register_from, args=(dataclasses.replace(candidate, model_path=fifo), str(root)))
    writer.start()
    data = args["model"].read_bytes()
    with fifo.open("wb") as pipe:
        pipe.write(data[: len(data) // 2])
        pipe.flush()
        staged = _wait_for(lambda: list((root / "reacher" / ".incoming").glob("*/model.onnx")))
        os.kill(writer.pid, signal.SIGKILL)
        writer.join()
    assert writer.exitcode == -signal.SIGKILL and staged[0].exists()

    registry = FileRegistry(root)
    assert [v.version for v in registry.versions("reacher")] == [1] and registry.verify("reacher") == []
    after = register_model(**make_run("after", 3.0, seed=3), registry_dir=root)
    assert after.version == "2" and after.promoted
    assert not staged[0].parent.exists(), "the dead writer's staging folder is cleaned up"
    assert registry.verify("reacher") == []


def _hold_lock_forever(lock_path: str, ready) -> None:
    with FileLock(lock_path):
        ready.set()
        time.sleep(3600)


def test_a_writer_killed_while_holding_the_lock_does_not_block_the_others(tmp_path, make_run):
    root = tmp_path / "reg"
    register_model(**make_run("first", 1.0, seed=1), registry_dir=root)
    ready = CONTEXT.Event()
    holder = CONTEXT.Process(target=_hold_lock_forever, args=(str(root / "reacher" / ".lock"), ready))
    holder.start()
    assert ready.wait(10)
    os.kill(holder.pid, signal.SIGKILL)
    holder.join()
    started = time.monotonic()
    assert register_model(**make_run("second", 2.0, seed=2), registry_dir=root).version == "2"
    assert time.monotonic() - started < 5


def _wait_for(probe, timeout: float = 10.0) -> list[Path]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.01)
    raise AssertionError("the writer never started staging its version")
