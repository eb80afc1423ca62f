"""Choosing the torch device for mlagents-learn: CUDA when the trainer's torch sees a GPU."""

from __future__ import annotations

import os
import subprocess

from ..trainer_env import TrainerEnv

ENV_VAR_DEVICE = "MLOPS_TORCH_DEVICE"


def choose_device(env: TrainerEnv, requested: str | None = None) -> str:
    """``requested`` or ``$MLOPS_TORCH_DEVICE`` if given, else ``cuda`` if available, else ``cpu``."""
    explicit = requested or os.environ.get(ENV_VAR_DEVICE)
    if explicit:
        return explicit
    probe = subprocess.run(
        [str(env.python), "-c", "import torch; print(torch.cuda.is_available())"],
        capture_output=True, text=True, check=False, timeout=120,
    )
    return "cuda" if probe.stdout.strip() == "True" else "cpu"
