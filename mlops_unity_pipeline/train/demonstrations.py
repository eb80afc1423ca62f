"""Checking demonstrations before training starts, with mlagents' own demo loader.

A missing, empty or mismatched ``.demo`` file would otherwise fail minutes into a run (or,
worse, train on the wrong data); here it is a clear error naming the file and the mismatch.
:func:`validate_demonstrations` runs this module in the trainer environment, as
``python -m mlops_unity_pipeline.train.demonstrations FILE_OR_DIR``, where :func:`describe`
prints, per file, the behaviour name, observation shapes, action spec and step count, or the
loader's error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from .. import trainer_env
from ..behavior import BehaviorSpec
from ..errors import DemonstrationError


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
    described = trainer_env.run_json(
        "mlops_unity_pipeline.train.demonstrations",
        str(path),
        doing=f"reading demonstrations at {path}",
        error=DemonstrationError,
        timeout=300,
        env=env,
    )
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
                problems.append(
                    f"observation shapes {info['observation_shapes']}, expected [[{spec.observation_size}]]"
                )
            if (info["continuous_size"], info["discrete_branches"]) != expected_actions:
                problems.append(
                    f"actions continuous={info['continuous_size']} discrete={info['discrete_branches']}, expected "
                    f"continuous={expected_actions[0]} discrete={expected_actions[1]}"
                )
            if info["steps"] == 0:
                problems.append("holds no steps")
        if problems:
            raise DemonstrationError(f"demonstration file {file}: " + "; ".join(problems))


def describe(path: str) -> dict[str, Any]:
    """Each .demo file at ``path`` as mlagents' loader reads it (in the trainer env), or its error."""
    from google.protobuf.internal.decoder import _DecodeVarint32
    from mlagents.trainers.demo_loader import INITIAL_POS, get_demo_files, load_demonstration
    from mlagents_envs.communicator_objects.brain_parameters_pb2 import BrainParametersProto

    described: dict[str, Any] = {}
    for demo_file in get_demo_files(path):
        try:
            spec, pairs, expected = load_demonstration(demo_file)
            with open(demo_file, "rb") as handle:
                data = handle.read()
            size, position = _DecodeVarint32(data, INITIAL_POS)
            brain = BrainParametersProto()
            brain.ParseFromString(data[position : position + size])
            described[demo_file] = {
                # Unity writes the fully qualified name, "Name?team=0".
                "behavior_name": brain.brain_name.split("?")[0],
                "observation_shapes": [list(o.shape) for o in spec.observation_specs],
                "continuous_size": spec.action_spec.continuous_size,
                "discrete_branches": list(spec.action_spec.discrete_branches),
                "steps": len(pairs),
                "expected_steps": expected,
            }
        except Exception as exc:  # noqa: BLE001 (report the loader's own words for any unreadable file)
            described[demo_file] = {"error": f"{type(exc).__name__}: {exc}"}
    return described


if __name__ == "__main__":
    try:
        json.dump(describe(sys.argv[1]), sys.stdout)
    except (ValueError, FileNotFoundError) as exc:
        json.dump({"error": str(exc)}, sys.stdout)
