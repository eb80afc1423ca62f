"""The Python 3.10 trainer environment: cache key, discovery, and a core that imports there."""

from __future__ import annotations

import pytest

from mlops_unity_pipeline import trainer_env as trainer_env_module


def test_cache_key_follows_the_requirements(tmp_path, monkeypatch):
    requirements = tmp_path / "trainer.txt"
    requirements.write_text("mlagents==1.1.0\n")
    first = trainer_env_module.env_key(requirements)
    assert trainer_env_module.env_key(requirements) == first
    requirements.write_text("mlagents==1.1.0\nonnx==1.15.0\n")
    assert trainer_env_module.env_key(requirements) != first
    monkeypatch.setenv("MLOPS_CACHE_DIR", str(tmp_path / "cache"))
    assert trainer_env_module.cached_env_path(requirements).parent == tmp_path / "cache" / "trainer-env"


def test_python310_is_discovered_and_checked():
    python = trainer_env_module.find_python310()
    assert trainer_env_module._is_python310(python)


def test_a_wrong_explicit_interpreter_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("MLOPS_TRAINER_PYTHON", str(tmp_path / "no-such-python"))
    with pytest.raises(trainer_env_module.TrainerEnvError, match="is not a working Python 3.10"):
        trainer_env_module.find_python310()


def test_an_installed_library_without_requirements_finds_mlagents_on_path(monkeypatch, tmp_path):
    """Images install the library without requirements/: no cache key, mlagents-learn on PATH instead."""
    monkeypatch.delenv("MLOPS_TRAINER_ENV", raising=False)
    monkeypatch.setattr(trainer_env_module, "requirements_file", lambda: tmp_path / "requirements" / "trainer.txt")
    learn = tmp_path / "venv" / "bin" / "mlagents-learn"
    learn.parent.mkdir(parents=True)
    learn.write_text("#!/bin/sh\n")
    learn.chmod(0o755)
    monkeypatch.setenv("PATH", str(learn.parent))
    assert trainer_env_module.locate().root == tmp_path / "venv"


def test_a_ready_environment_is_reused_without_building(trainer_env, monkeypatch):
    def refuse_to_build():
        pytest.fail("a ready environment must not be rebuilt")

    monkeypatch.setattr(trainer_env_module, "find_python310", refuse_to_build)
    assert trainer_env_module.ensure(log=lambda _: None).root == trainer_env.root


@pytest.mark.trainer
def test_core_imports_on_python310_without_kfp_or_google_cloud(run_in_trainer_env):
    code = """
import sys
import mlops_unity_pipeline
from mlops_unity_pipeline import UnityAssetSpec, RLTrainingConfig, TrainingJob, TrainingSchedule, BehaviorSpec
from mlops_unity_pipeline.codegen import generate
import mlops_unity_pipeline.behavior.derive
assert sys.version_info[:2] == (3, 10), sys.version
# protobuf's namespace .pth creates a bare 'google' module at start-up; the cloud SDKs are what matter.
leaked = sorted(m for m in sys.modules if m.startswith(('kfp', 'google.cloud', 'google.api_core')))
print('leaked:', leaked)
import mlagents, importlib.util
print('kfp installed:', importlib.util.find_spec('kfp') is not None)
"""
    result = run_in_trainer_env(code)
    assert result.returncode == 0, result.stderr
    assert "leaked: []" in result.stdout
    assert "kfp installed: False" in result.stdout
