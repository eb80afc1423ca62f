"""Choosing the torch device: without the NVIDIA driver the answer comes without starting torch."""

from __future__ import annotations

import pytest

from mlops_unity_pipeline.errors import MLOpsError
from mlops_unity_pipeline.train import device
from mlops_unity_pipeline.trainer_env import TrainerEnv


def test_without_the_nvidia_driver_the_cpu_is_chosen_without_a_torch_probe(monkeypatch, tmp_path):
    no_python = TrainerEnv(root=tmp_path)  # no bin/python: a torch probe could not even start
    monkeypatch.setattr(device, "NVIDIA_DRIVER", tmp_path / "no-driver")
    monkeypatch.delenv(device.ENV_VAR_DEVICE, raising=False)
    assert device.choose_device(no_python) == "cpu"
    with pytest.raises(MLOpsError, match="torch sees no CUDA GPU"):
        device.choose_device(no_python, "cuda")
