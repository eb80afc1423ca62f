"""What the training benchmarks share: the SimpleAgent player and a ready trainer environment."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from report import REPO

from mlops_unity_pipeline import trainer_env
from mlops_unity_pipeline.build import build

SIMPLE_AGENT = REPO / "examples" / "simple_agent"


def simple_agent_player(scratch: Path) -> Path:
    """The seed's SimpleAgent through codegen and the standin build; returns the executable."""
    generated = scratch / "generated"
    subprocess.run(
        [sys.executable, "-m", "mlops_unity_pipeline", "codegen", "--asset-spec", str(SIMPLE_AGENT / "asset_spec.yaml"),
         "--rl-config", str(SIMPLE_AGENT / "rl_config.yaml"), "--out", str(generated)],
        check=True, capture_output=True, cwd=REPO,
    )
    return build(generated, scratch / "build", backend="standin", log=lambda _: None).executable


def require_trainer_env() -> trainer_env.TrainerEnv:
    env = trainer_env.locate()
    if env is None:
        sys.exit("no trainer environment is ready: run 'make trainer-env' first")
    return env
