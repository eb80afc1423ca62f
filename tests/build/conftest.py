"""Fixtures of the build-stage tests: a codegen output, and a private build cache."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SIMPLE_AGENT = REPO_ROOT / "examples" / "simple_agent"


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlops_unity_pipeline", *args],
        capture_output=True, text=True, cwd=REPO_ROOT, env=env, check=False, timeout=300,
    )


@pytest.fixture(scope="session")
def cli():
    """Run ``python -m mlops_unity_pipeline`` in a subprocess."""
    return run_cli


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    """The seed's SimpleAgent through the codegen stage."""
    out = tmp_path_factory.mktemp("generated")
    result = run_cli("codegen", "--asset-spec", str(SIMPLE_AGENT / "asset_spec.yaml"),
                     "--rl-config", str(SIMPLE_AGENT / "rl_config.yaml"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(autouse=True)
def build_cache(tmp_path, monkeypatch) -> Path:
    """Each test gets its own build cache, and no Unity configuration from the machine."""
    cache = tmp_path / "build-cache"
    monkeypatch.setenv("MLOPS_BUILD_CACHE", str(cache))
    for name in ("UNITY_BUILD_COMMAND", "UNITY_EDITOR_PATH", "UNITY_PROJECT_PATH", "UNITY_LICENSE",
                 "UNITY_SERIAL", "UNITY_EMAIL", "UNITY_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    return cache
