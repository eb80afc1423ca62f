"""A run's TensorBoard scalars, read by :mod:`.tensorboard_scalars` in the trainer environment.

The read runs after training, in a Python 3.10 process that imports only TensorBoard's protobuf
classes (about a twentieth of a second), so it adds little to the stage and nothing while
mlagents-learn trains.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import process_tree
from ..errors import MLOpsError
from ..trainer_env import TrainerEnv

READ_TIMEOUT_S = 300


def read_scalars(env: TrainerEnv, directory: Path) -> dict[str, list[list[float]]]:
    """``{tag: [[step, value], ...]}`` of every events file in ``directory`` (empty if there is none)."""
    if not directory.is_dir():
        return {}
    command = [str(env.python), "-m", "mlops_unity_pipeline.train.tensorboard_scalars", str(directory)]
    result = process_tree.run_supervised(command, timeout=READ_TIMEOUT_S, env=env.environment())
    if result.returncode != 0:
        raise MLOpsError(f"reading TensorBoard scalars from {directory} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout)
