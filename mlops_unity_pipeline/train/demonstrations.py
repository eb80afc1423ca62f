"""Checking demonstrations before training starts, with mlagents' own demo loader.

A missing, empty or mismatched ``.demo`` file would otherwise fail minutes into a run (or,
worse, train on the wrong data); here it is a clear error naming the file and the mismatch.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import trainer_env
from ..behavior import BehaviorSpec
from ..errors import MLOpsError


class DemonstrationError(MLOpsError):
    """Demonstrations that cannot be used for this behaviour."""


def demo_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(path.glob("*.demo"))
        if not files:
            raise DemonstrationError(f"demonstrations_path {path} holds no .demo files")
        return files
    if not path.exists():
        raise DemonstrationError(f"demonstrations_path {path} does not exist")
    if path.suffix != ".demo":
        raise DemonstrationError(f"demonstrations_path {path} is not a .demo file or a folder of them")
    return [path]


def validate_demonstrations(path: Path, spec: BehaviorSpec, env: trainer_env.TrainerEnv) -> None:
    """Raise :class:`DemonstrationError` unless every file is readable and recorded for ``spec``."""
    for file in demo_files(path):
        if file.stat().st_size == 0:
            raise DemonstrationError(f"demonstration file {file} is empty")
    result = env.run_module("mlops_unity_pipeline.train.demo_info", str(path), timeout=300)
    if result.returncode != 0:
        raise DemonstrationError(f"reading demonstrations at {path} failed:\n{result.stderr[-2000:]}")
    described = json.loads(result.stdout)
    if "error" in described:
        raise DemonstrationError(f"demonstrations at {path}: {described['error']}")
    expected_actions = (spec.actions.continuous_size, list(spec.actions.discrete_branches))
    for file, info in described.items():
        problems = []
        if "error" in info:
            problems.append(f"not readable by mlagents: {info['error']}")
        else:
            if info["behavior_name"] != spec.behavior_name:
                problems.append(f"recorded for behavior {info['behavior_name']!r}, not {spec.behavior_name!r}")
            if info["observation_shapes"] != [[spec.observation_size]]:
                problems.append(f"observation shapes {info['observation_shapes']}, expected [[{spec.observation_size}]]")
            if (info["continuous_size"], info["discrete_branches"]) != expected_actions:
                problems.append(
                    f"actions continuous={info['continuous_size']} discrete={info['discrete_branches']}, expected "
                    f"continuous={expected_actions[0]} discrete={expected_actions[1]}"
                )
            if info["steps"] == 0:
                problems.append("holds no steps")
        if problems:
            raise DemonstrationError(f"demonstration file {file}: " + "; ".join(problems))
