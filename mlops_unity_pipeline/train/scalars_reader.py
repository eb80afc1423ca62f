"""A run's TensorBoard scalars, read by a reader started before training ends.

The reader (:mod:`.tensorboard_scalars` in the trainer environment) takes a second or more to
import TensorBoard; started while mlagents-learn trains, it has done so by the time training
ends, and the train stage only waits for the read itself.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from .. import process_tree
from ..errors import MLOpsError
from ..trainer_env import TrainerEnv

if TYPE_CHECKING:
    from typing_extensions import Self

READ_TIMEOUT_S = 300


class ScalarsReader:
    """A context manager: :meth:`start` the reader early (or :meth:`read` starts it), :meth:`read` once;
    it is ended on exit."""

    def __init__(self, env: TrainerEnv) -> None:
        self.env = env
        self.process: subprocess.Popen[str] | None = None

    def __enter__(self) -> Self:
        return self

    def start(self) -> None:
        """Start the reader, once; it imports TensorBoard, then waits for :meth:`read`."""
        if self.process is not None:
            return
        command = [str(self.env.python), "-m", "mlops_unity_pipeline.train.tensorboard_scalars", "-"]
        self.process = subprocess.Popen(
            process_tree.supervised(command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env.environment(),
            start_new_session=True,
        )

    def __exit__(self, *_: object) -> None:
        if self.process is not None:
            process_tree.stop(self.process)

    def read(self, directory: Path) -> dict[str, list[list[float]]]:
        """``{tag: [[step, value], ...]}`` of every events file in ``directory`` (empty if there is none)."""
        if not directory.is_dir():
            return {}
        self.start()
        assert self.process is not None
        stdout, stderr = self.process.communicate(f"{directory}\n", timeout=READ_TIMEOUT_S)
        if self.process.returncode != 0:
            raise MLOpsError(f"reading TensorBoard scalars from {directory} failed:\n{stderr[-2000:]}")
        return json.loads(stdout)
