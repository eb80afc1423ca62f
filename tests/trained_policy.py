"""The quick-start policy mlagents-learn trained (tests/serving/data) and worse copies of it, for tests and benchmarks.

A worse copy has ``shift`` added to the bias of both action means (the ONNX initializer edited
with the onnx library), so it drifts off its course: a real exported policy, only worse.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

TRAINED = Path(__file__).resolve().parent / "serving" / "data" / "simple_agent_trained"
TRAINED_MODEL = TRAINED / "model.onnx"
ACTION_BIAS = "action_model._continuous_distribution.mu.bias"


def degraded_copy(target: Path, shift: float) -> Path:
    """Write the trained policy with ``shift`` added to both action means to ``target``; returns it."""
    model = onnx.load(str(TRAINED_MODEL))
    bias = next(tensor for tensor in model.graph.initializer if tensor.name == ACTION_BIAS)
    bias.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(bias) + np.float32(shift), ACTION_BIAS))
    target.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(target))
    return target
