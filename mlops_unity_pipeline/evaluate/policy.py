"""An exported ML-Agents policy run with onnxruntime: a batch of observations in, actions out.

Evaluation and the serving image both act through this class, so an episode in evaluation and
a prediction request see exactly the same actions. The deterministic outputs are used when
the file has them (mlagents 1.1.0 exports both), so the same observation always gives the same
action.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..behavior import BehaviorSpec
from ..onnx_policy import (
    ACTION_MASKS_INPUT,
    CONTINUOUS_OUTPUT,
    DETERMINISTIC_CONTINUOUS_OUTPUT,
    DETERMINISTIC_DISCRETE_OUTPUT,
    DISCRETE_OUTPUT,
    OBSERVATION_INPUT,
    PolicyMismatchError,
    check_policy,
)


@dataclass(frozen=True)
class Actions:
    """One batch of actions: ``continuous`` is ``[batch, size]`` floats, ``discrete`` ``[batch, branches]`` ints."""

    continuous: np.ndarray | None
    discrete: np.ndarray | None


class OnnxPolicy:
    """An ONNX policy file, checked against its BehaviorSpec when one is given."""

    def __init__(self, path: str | os.PathLike[str], spec: BehaviorSpec | None = None) -> None:
        import onnxruntime

        self.path = Path(path)
        if spec is not None:
            check_policy(self.path, spec)
        try:
            self._session = onnxruntime.InferenceSession(str(self.path), providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own unrelated types for unreadable files
            raise PolicyMismatchError(f"{self.path}: onnxruntime cannot load it ({exc})") from None
        inputs = {tensor.name: tensor.shape for tensor in self._session.get_inputs()}
        outputs = {tensor.name for tensor in self._session.get_outputs()}
        if OBSERVATION_INPUT not in inputs or not isinstance(inputs[OBSERVATION_INPUT][-1], int):
            raise PolicyMismatchError(f"{self.path}: no input {OBSERVATION_INPUT!r} of shape [batch, N]")
        self.observation_size: int = inputs[OBSERVATION_INPUT][-1]
        self.mask_size: int = inputs[ACTION_MASKS_INPUT][-1] if ACTION_MASKS_INPUT in inputs else 0
        self._continuous = _first_present(outputs, DETERMINISTIC_CONTINUOUS_OUTPUT, CONTINUOUS_OUTPUT)
        self._discrete = _first_present(outputs, DETERMINISTIC_DISCRETE_OUTPUT, DISCRETE_OUTPUT)
        if self._continuous is None and self._discrete is None:
            raise PolicyMismatchError(f"{self.path}: no continuous or discrete action output")

    def act(self, observations: np.ndarray, action_masks: np.ndarray | None = None) -> Actions:
        """Actions for ``observations`` (``[batch, observation_size]``); masks default to all allowed."""
        observations = np.asarray(observations, dtype=np.float32)
        feeds = {OBSERVATION_INPUT: observations}
        if self.mask_size:
            if action_masks is None:
                action_masks = np.ones((len(observations), self.mask_size), dtype=np.float32)
            feeds[ACTION_MASKS_INPUT] = np.asarray(action_masks, dtype=np.float32)
        names = [name for name in (self._continuous, self._discrete) if name is not None]
        values = dict(zip(names, self._session.run(names, feeds), strict=True))
        continuous = values.get(self._continuous) if self._continuous else None
        discrete = values.get(self._discrete) if self._discrete else None
        return Actions(
            None if continuous is None else np.asarray(continuous, dtype=np.float32),
            None if discrete is None else np.rint(discrete).astype(np.int64),
        )


def _first_present(outputs: set[str], *names: str) -> str | None:
    return next((name for name in names if name in outputs), None)
