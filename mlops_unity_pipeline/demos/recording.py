"""Recording demonstrations from the main environment: runs :mod:`.record` in the trainer env."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import trainer_env
from ..behavior import BehaviorSpec
from ..errors import MLOpsError


def record_demonstrations(generated: str | Path, episodes: int, out: str | Path, seed: int = 0) -> dict[str, Any]:
    """Write ``episodes`` expert episodes to ``out`` (a .demo file); return the recording's summary."""
    if episodes < 1:
        raise MLOpsError(f"--episodes is {episodes}; record at least 1 episode")
    if Path(out).suffix != ".demo":
        raise MLOpsError(f"--out {out} must end in .demo: mlagents only loads files with that extension")
    BehaviorSpec.load(generated)  # a missing or damaged --generated is named here, not in the trainer env
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    env = trainer_env.locate()
    if env is None:
        raise MLOpsError("no trainer environment (mlagents) is ready: run 'make trainer-env'")
    result = env.run_module("mlops_unity_pipeline.demos.record", str(generated), str(episodes), str(out), str(seed),
                            timeout=1800)
    if result.returncode != 0:
        raise MLOpsError(f"recording demonstrations failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)
