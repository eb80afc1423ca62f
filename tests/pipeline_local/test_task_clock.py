"""Task timings read from kfp.local's log: what the local run reports for each task."""

from __future__ import annotations

import io
import json
from pathlib import Path

from mlops_unity_pipeline.deploy.local_run import LocalRun, TaskRun, describe
from mlops_unity_pipeline.deploy.task_clock import TaskClock

CYAN, GREEN, RESET = "\x1b[96m", "\x1b[92m", "\x1b[0m"


def test_each_task_is_timed_from_its_start_line_to_its_end_line_and_the_text_passes_through() -> None:
    times = iter([10.0, 11.0, 12.5, 14.0, 20.0])
    target = io.StringIO()
    clock = TaskClock(target, clock=lambda: next(times))
    lines = [
        f"21:00:00.000 - INFO - Executing task {CYAN}'train'{RESET}\n",
        "    step 1000/2000\n",
        f"21:00:01.000 - INFO - Executing task {CYAN}'train'{RESET}\n21:00:02.000 - INFO - Task {CYAN}'train'{RESET} ",
        f"finished with status {GREEN}SUCCESS{RESET}\n",
        f"21:00:03.000 - ERROR - Task {CYAN}'train'{RESET} finished with status FAILURE\n",
    ]
    for line in lines:
        clock.write(line)
    assert target.getvalue() == "".join(lines)
    # Same-named tasks (one per asset) pair first in, first out; a line split across writes counts when it ends.
    assert clock.finished == [("train", 4.0, "SUCCESS"), ("train", 7.5, "FAILURE")]


def test_the_summary_shows_where_each_tasks_artifacts_are(tmp_path: Path) -> None:
    task = tmp_path / "for-loop-2-iteration-0" / "train"
    task.mkdir(parents=True)
    document = {"artifacts": {"model": {"artifacts": [{"name": "model", "uri": "/root/train/policy.onnx"}]}}}
    (task / "executor_output.json").write_text(json.dumps(document))
    run = LocalRun(tmp_path, (TaskRun("train", 7.84, "SUCCESS"), TaskRun("notify", 0.4, "SUCCESS")))
    assert run.outputs("train") == [{"model": "/root/train/policy.onnx"}]
    assert describe(run).splitlines()[1:] == [
        "  train          7.8s  SUCCESS",
        "      model        /root/train/policy.onnx",
        "  notify         0.4s  SUCCESS",
    ]
