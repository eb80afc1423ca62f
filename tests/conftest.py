"""Fixtures shared across the test suite."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from mlops_unity_pipeline import trainer_env as trainer_env_module

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def trainer_env() -> trainer_env_module.TrainerEnv:
    """The Python 3.10 environment with mlagents 1.1.0 (``make test`` builds it before the tests)."""
    env = trainer_env_module.locate()
    if env is None or not env.python.exists():
        pytest.fail("no trainer environment is ready: run 'make trainer-env' (make test does it first)")
    return env


@pytest.fixture(scope="session")
def run_in_trainer_env(trainer_env):
    """Run Python code in the trainer environment with this library importable; returns the process."""

    def run(code: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONPATH": trainer_env_module.library_pythonpath()}
        return subprocess.run(
            [str(trainer_env.python), "-c", code, *args],
            capture_output=True, text=True, env=env, timeout=timeout, check=False,
        )

    return run
