"""The Vertex AI prediction protocol for a policy: ``{"instances": [...]}`` in, ``{"predictions": [...]}`` out.

An instance is either an observation vector (``[0.1, ...]``) or an object
``{"observation": [...], "action_mask": [...]}`` for discrete policies that mask actions.
Each prediction is ``{"continuous_actions": [...]}`` and/or ``{"discrete_actions": [...]}``.
Requests are checked in full before the policy runs, so a bad request is answered with what
was wrong and where (``instances[3]: ...``), never with a stack trace.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

from ..errors import BadRequest
from ..onnx_policy import Actions

#: Vertex AI limits a request to 1.5 MB; larger bodies are refused before parsing.
MAX_BODY_BYTES = 1_500_000
#: The largest magnitude an observation can have: the ONNX inputs are float32.
FLOAT32_MAX = float(np.finfo(np.float32).max)


def parse_instances(body: bytes, observation_size: int, mask_size: int) -> tuple[np.ndarray, np.ndarray | None]:
    """Observations ``[n, observation_size]`` and, for masked policies, action masks ``[n, mask_size]``."""
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadRequest(f"body is not JSON: {exc}") from None
    except RecursionError:
        raise BadRequest('body is nested too deeply; send {"instances": [[numbers...], ...]}') from None
    instances = document.get("instances") if isinstance(document, dict) else None
    if not isinstance(instances, list) or not instances:
        raise BadRequest('body must be {"instances": [...]} with at least one instance')
    observations, masks = [], []
    for index, instance in enumerate(instances):
        where = f"instances[{index}]"
        if isinstance(instance, dict):
            unknown = sorted(set(instance) - {"observation", "action_mask"})
            if unknown or "observation" not in instance:
                raise BadRequest(
                    f"{where}: expected keys 'observation' and optionally 'action_mask', got {sorted(instance)}"
                )
            observations.append(_vector(instance["observation"], observation_size, f"{where}.observation"))
            if "action_mask" in instance:
                if not mask_size:
                    raise BadRequest(f"{where}.action_mask: this policy has no discrete actions to mask")
                masks.append(_vector(instance["action_mask"], mask_size, f"{where}.action_mask"))
            else:
                masks.append([1.0] * mask_size)
        else:
            observations.append(_vector(instance, observation_size, where))
            masks.append([1.0] * mask_size)
    obs = np.asarray(observations, dtype=np.float32)
    return obs, (np.asarray(masks, dtype=np.float32) if mask_size else None)


def predictions(actions: Actions) -> dict[str, Any]:
    """The response body for a batch of actions, one prediction per instance, in order."""
    rows = len(actions.continuous if actions.continuous is not None else actions.discrete)
    if actions.continuous is not None and not np.isfinite(actions.continuous).all():
        bad = sorted({int(row) for row in np.flatnonzero(~np.isfinite(actions.continuous).all(axis=1))})
        raise BadRequest(
            f"instances{bad}: the policy's actions are not finite numbers for these observations "
            "(values far outside what it was trained on?)"
        )
    result = []
    for row in range(rows):
        prediction: dict[str, Any] = {}
        if actions.continuous is not None:
            prediction["continuous_actions"] = [float(v) for v in actions.continuous[row]]
        if actions.discrete is not None:
            prediction["discrete_actions"] = [int(v) for v in actions.discrete[row]]
        result.append(prediction)
    return {"predictions": result}


def _vector(value: Any, size: int, where: str) -> list[float]:
    if not isinstance(value, list) or len(value) != size:
        length = len(value) if isinstance(value, list) else type(value).__name__
        raise BadRequest(f"{where}: expected a list of {size} numbers, got {length}")
    for position, item in enumerate(value):
        if isinstance(item, bool) or not isinstance(item, (int, float)) or not math.isfinite(item):
            raise BadRequest(f"{where}[{position}]: {item!r} is not a finite number")
        if abs(item) > FLOAT32_MAX:
            raise BadRequest(f"{where}[{position}]: {item!r} is beyond the policy's float32 range (±{FLOAT32_MAX:.4g})")
    return [float(item) for item in value]
