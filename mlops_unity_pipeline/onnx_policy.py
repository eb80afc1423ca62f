"""An exported ML-Agents ONNX policy: the tensors it must have for its behaviour, and running it.

mlagents 1.1.0 exports one input per observation (``obs_0`` for our single vector
observation, shape ``[batch, observation_size]``), ``action_masks`` for discrete actions, and
the outputs ``version_number``, ``memory_size`` plus, per action kind, the sampled actions,
their shape constant and the deterministic actions. A policy that disagrees with the
BehaviorSpec would fail in Unity at run time; :func:`check_policy` fails it at training time
instead.

Evaluation and the serving image both act through :class:`OnnxPolicy`, so an episode in
evaluation and a prediction request see exactly the same actions. The deterministic outputs are
used when the file has them (mlagents 1.1.0 exports both), so the same observation always gives
the same action.

onnx is imported by :func:`check_policy`, numpy and onnxruntime by :class:`OnnxPolicy`, each when
first used: the train stage, which imports this module to check a policy once training is over,
starts mlagents-learn without loading them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .behavior import BehaviorSpec
from .errors import PolicyMismatchError
from .player_spec import PlayerSpec

OBSERVATION_INPUT = "obs_0"
CONTINUOUS_OUTPUT = "continuous_actions"
DETERMINISTIC_CONTINUOUS_OUTPUT = "deterministic_continuous_actions"
DISCRETE_OUTPUT = "discrete_actions"
DETERMINISTIC_DISCRETE_OUTPUT = "deterministic_discrete_actions"
ACTION_MASKS_INPUT = "action_masks"

if TYPE_CHECKING:
    import numpy as np


def _dims(value_info) -> list[int | str]:
    return [d.dim_value if d.HasField("dim_value") else d.dim_param for d in value_info.type.tensor_type.shape.dim]


def player_spec_of(spec: BehaviorSpec) -> PlayerSpec:
    """What the generated player declares at the handshake: one vector observation and the spec's actions."""
    return PlayerSpec(
        spec.behavior_name, ((spec.observation_size,),), spec.actions.continuous_size, spec.actions.discrete_branches
    )


def check_policy(model_path: str | Path, spec: BehaviorSpec | PlayerSpec) -> dict[str, list[int | str]]:
    """Raise :class:`PolicyMismatchError` listing every mismatch with the behaviour (from ``behavior.json``
    or read from a player at the handshake); return the tensor shapes checked."""
    import onnx

    if isinstance(spec, BehaviorSpec):
        spec = player_spec_of(spec)  # imported here: only the stages that handle policies need it

    try:
        model = onnx.load(str(model_path))
    except Exception as exc:  # noqa: BLE001 (onnx raises several unrelated types for unreadable files)
        raise PolicyMismatchError(f"{model_path}: not a readable ONNX model ({exc})") from None
    inputs = {i.name: _dims(i) for i in model.graph.input}
    outputs = {o.name: _dims(o) for o in model.graph.output}
    problems: list[str] = []

    def expect(tensors: dict[str, list[int | str]], kind: str, name: str, width: int | None) -> None:
        if name not in tensors:
            problems.append(f"{kind} {name!r} is missing (has: {', '.join(sorted(tensors))})")
        elif width is not None and (len(tensors[name]) != 2 or tensors[name][1] != width):
            problems.append(f"{kind} {name!r} has shape {tensors[name]}; expected [batch, {width}]")

    observation_inputs = [f"obs_{index}" for index in range(len(spec.observation_shapes))]
    for name, shape in zip(observation_inputs, spec.observation_shapes):
        if len(shape) == 1:
            expect(inputs, "input", name, shape[0])
        elif name not in inputs:
            problems.append(f"input {name!r} is missing (has: {', '.join(sorted(inputs))})")
    extra_obs = sorted(name for name in inputs if name.startswith("obs_") and name not in observation_inputs)
    if extra_obs:
        problems.append(f"inputs {extra_obs} are observations the behaviour does not have")
    expect(outputs, "output", "version_number", None)
    expect(outputs, "output", "memory_size", None)
    if spec.continuous_size:
        expect(outputs, "output", CONTINUOUS_OUTPUT, spec.continuous_size)
        expect(outputs, "output", DETERMINISTIC_CONTINUOUS_OUTPUT, spec.continuous_size)
    elif CONTINUOUS_OUTPUT in outputs:
        problems.append(f"output {CONTINUOUS_OUTPUT!r} present but the behaviour has no continuous actions")
    if spec.discrete_branches:
        branches = len(spec.discrete_branches)
        expect(outputs, "output", DISCRETE_OUTPUT, branches)
        expect(outputs, "output", DETERMINISTIC_DISCRETE_OUTPUT, branches)
        expect(inputs, "input", ACTION_MASKS_INPUT, sum(spec.discrete_branches))
    elif DISCRETE_OUTPUT in outputs:
        problems.append(f"output {DISCRETE_OUTPUT!r} present but the behaviour has no discrete actions")
    if problems:
        raise PolicyMismatchError(
            f"{model_path} does not match behavior {spec.behavior_name}:\n" + "\n".join(f"  - {p}" for p in problems)
        )
    return {**inputs, **outputs}


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
        except Exception as exc:  # noqa: BLE001 (onnxruntime raises its own unrelated types for unreadable files)
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
        import numpy as np

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
