"""Describe ML-Agents ``.demo`` files as JSON with mlagents' own loader (runs in the trainer env).

``python -m mlops_unity_pipeline.train.demo_info FILE_OR_DIR`` prints, per file, the
behaviour name, observation shapes, action spec and step count, or the loader's error.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def describe(path: str) -> dict[str, Any]:
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
        except Exception as exc:  # report the loader's own words for any unreadable file
            described[demo_file] = {"error": f"{type(exc).__name__}: {exc}"}
    return described


if __name__ == "__main__":
    try:
        json.dump(describe(sys.argv[1]), sys.stdout)
    except (ValueError, FileNotFoundError) as exc:
        json.dump({"error": str(exc)}, sys.stdout)
