"""Choosing the torch device for mlagents-learn: CUDA when the trainer's torch sees a GPU."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from ..errors import MLOpsError
from ..trainer_env import TrainerEnv

ENV_VAR_DEVICE = "MLOPS_TORCH_DEVICE"
#: The torch devices mlagents-learn's --torch-device takes.
DEVICE_PATTERN = re.compile(r"cpu|cuda(:[0-9]+)?")
#: Present whenever the NVIDIA kernel driver is loaded (inside containers too: /proc/driver is the host's).
NVIDIA_DRIVER = Path("/proc/driver/nvidia/version")


def choose_device(env: TrainerEnv, requested: str | None = None) -> str:
    """``requested`` or ``$MLOPS_TORCH_DEVICE`` if given, else ``cuda`` if available, else ``cpu``.

    A device mlagents-learn cannot use (a typo, CUDA without a GPU) is refused here, in one line,
    rather than by mlagents-learn's traceback after it started.
    """
    explicit = requested or os.environ.get(ENV_VAR_DEVICE)
    if explicit and not DEVICE_PATTERN.fullmatch(explicit):
        raise MLOpsError(f"device {explicit!r} is not a torch device mlagents-learn can use; give cpu, cuda or cuda:N")
    if explicit == "cpu":
        return explicit
    cuda = _cuda_available(env)
    if explicit and not cuda:
        raise MLOpsError(
            f"device {explicit!r} was asked for, but the trainer environment's torch sees no CUDA GPU; "
            "give cpu, or leave the device out to choose automatically"
        )
    return explicit or ("cuda" if cuda else "cpu")


def _cuda_available(env: TrainerEnv) -> bool:
    """Whether the trainer's torch sees a GPU; without the NVIDIA driver it cannot, and torch's
    import (seconds before every run) is skipped."""
    if not NVIDIA_DRIVER.exists():
        return False
    probe = subprocess.run(
        [str(env.python), "-c", "import torch; print(torch.cuda.is_available())"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    return probe.stdout.strip() == "True"
