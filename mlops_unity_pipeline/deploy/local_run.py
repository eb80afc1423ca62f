"""Running a compiled pipeline on this machine with ``kfp.local.DockerRunner``: every task in its own container.

The YAML that Vertex AI would get is loaded back and run by kfp's local orchestrator; each task
runs its image's stage command, and artifacts pass between tasks as folders under a local
pipeline root that Docker mounts into every container at the same path. The images must exist
locally (``make images-local``): the runner pulls nothing it can find.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DeployError
from ..pipeline_root import CHECKPOINTS
from .task_clock import TaskClock

#: The executor output inside a task's folder names the artifacts the task produced.
EXECUTOR_OUTPUT = "executor_output.json"


@dataclass(frozen=True)
class TaskRun:
    """One task of a local run: how long its container ran and how it ended."""

    name: str
    seconds: float
    status: str


@dataclass(frozen=True)
class LocalRun:
    """A finished local run: its folder under the pipeline root and its tasks in the order they finished."""

    folder: Path
    tasks: tuple[TaskRun, ...]

    def outputs(self, task: str) -> list[dict[str, str]]:
        """Per run of ``task`` (one per asset), its output artifacts' URIs by name, as its executor output gives them."""
        found = []
        for path in sorted(self.folder.rglob(f"{task}/{EXECUTOR_OUTPUT}")):
            document = json.loads(path.read_text(encoding="utf-8"))
            found.append({name: entry["artifacts"][0]["uri"] for name, entry in document.get("artifacts", {}).items()})
        return found


def run_local(
    pipeline_yaml: str | os.PathLike[str], parameters: Mapping[str, Any], pipeline_root: str | os.PathLike[str]
) -> LocalRun:
    """Run the compiled pipeline with ``parameters``; raise :class:`DeployError` naming the task that failed."""
    from kfp import components, local

    root = Path(pipeline_root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    before = set(root.iterdir())
    local.init(runner=local.DockerRunner(), pipeline_root=str(root), raise_on_error=True)
    pipeline = components.load_component_from_file(str(pipeline_yaml))
    clock = TaskClock(sys.stdout)
    try:
        with contextlib.redirect_stdout(clock):
            pipeline(**parameters)
    except RuntimeError as exc:
        raise DeployError(f"the local run of {pipeline_yaml} failed: {exc}") from None
    runs = sorted(path for path in set(root.iterdir()) - before if path.is_dir() and path.name != CHECKPOINTS)
    if len(runs) != 1:
        raise DeployError(f"expected one new run folder under {root}, found {[p.name for p in runs]}")
    folder = runs[0]
    return LocalRun(folder, tuple(TaskRun(name, seconds, status) for name, seconds, status in clock.finished))


def describe(run: LocalRun) -> str:
    """A summary for the console: each task's time and status, and where its output artifacts are."""
    lines = [f"local run: {run.folder}"]
    for task in run.tasks:
        lines.append(f"  {task.name:<10} {task.seconds:7.1f}s  {task.status}")
        for outputs in run.outputs(task.name):
            lines.extend(f"      {name:<12} {uri}" for name, uri in sorted(outputs.items()))
    return "\n".join(lines)
