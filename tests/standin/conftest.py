"""Fixtures of the stand-in player tests: a stand-in build, ports, and mlagents-learn runs."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from mlops_unity_pipeline.build import build
from mlops_unity_pipeline.ports import reserve_base_port

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = REPO_ROOT / "examples"


def codegen(asset_spec: Path, rl_config: Path, out: Path) -> Path:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mlops_unity_pipeline",
            "codegen",
            "--asset-spec",
            str(asset_spec),
            "--rl-config",
            str(rl_config),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return out


def standin_player(generated: Path, out: Path) -> Path:
    """Build the stand-in player for a codegen output (in a private build cache); returns the executable."""
    previous = os.environ.get("MLOPS_BUILD_CACHE")
    os.environ["MLOPS_BUILD_CACHE"] = str(out.parent / "build-cache")
    try:
        return build(generated, out, backend="standin", log=lambda _: None).executable
    finally:
        if previous is None:
            del os.environ["MLOPS_BUILD_CACHE"]
        else:
            os.environ["MLOPS_BUILD_CACHE"] = previous


@pytest.fixture(scope="session")
def simple_agent(tmp_path_factory, trainer_env) -> Path:
    """The seed's SimpleAgent (reach + avoid, continuous) as a stand-in player executable."""
    root = tmp_path_factory.mktemp("simple_agent")
    generated = codegen(
        EXAMPLES / "simple_agent" / "asset_spec.yaml", EXAMPLES / "simple_agent" / "rl_config.yaml", root / "generated"
    )
    return standin_player(generated, root / "build")


@pytest.fixture(scope="session")
def player_for(trainer_env) -> Callable[[Path, Path, Path], Path]:
    """Codegen + stand-in build for an asset spec and RL config; returns the executable."""

    def make(asset_spec: Path, rl_config: Path, root: Path) -> Path:
        return standin_player(codegen(asset_spec, rl_config, root / "generated"), root / "build")

    return make


@pytest.fixture
def base_port():
    """A block of free ports, reserved (against parallel test runs too) for the test's duration."""
    with reserve_base_port(4) as port:
        yield port


@pytest.fixture
def learn(trainer_env, tmp_path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the real mlagents-learn with a trainer config against an executable; results in tmp."""

    def run(
        config: dict, executable: Path, port: int, *extra: str, timeout: float = 300, run_id: str = "run"
    ) -> subprocess.CompletedProcess[str]:
        config_path = tmp_path / f"{run_id}.yaml"
        config_path.write_text(yaml.safe_dump(config))
        command = [
            str(trainer_env.mlagents_learn),
            str(config_path),
            "--env",
            str(executable),
            "--run-id",
            run_id,
            "--results-dir",
            str(tmp_path / "results"),
            "--force",
            "--base-port",
            str(port),
            "--no-graphics",
            *extra,
        ]
        return subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=timeout, check=False)

    return run
