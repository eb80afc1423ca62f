"""The contract between an exported ML-Agents ONNX policy and the BehaviorSpec it was trained for.

mlagents 1.1.0 exports one input per observation (``obs_0`` for our single vector
observation, shape ``[batch, observation_size]``), ``action_masks`` for discrete actions, and
the outputs ``version_number``, ``memory_size`` plus, per action kind, the sampled actions,
their shape constant and the deterministic actions. A policy that disagrees with the
BehaviorSpec would fail in Unity at run time; this check fails it at training time instead.
"""

from __future__ import annotations

from pathlib import Path

from .behavior import BehaviorSpec
from .errors import MLOpsError
from .player_spec import PlayerSpec

OBSERVATION_INPUT = "obs_0"
CONTINUOUS_OUTPUT = "continuous_actions"
DETERMINISTIC_CONTINUOUS_OUTPUT = "deterministic_continuous_actions"
DISCRETE_OUTPUT = "discrete_actions"
DETERMINISTIC_DISCRETE_OUTPUT = "deterministic_discrete_actions"
ACTION_MASKS_INPUT = "action_masks"


class PolicyMismatchError(MLOpsError):
    """The ONNX policy does not fit the BehaviorSpec (or is not an ML-Agents policy at all)."""


def _dims(value_info) -> list[int | str]:
    return [d.dim_value if d.HasField("dim_value") else d.dim_param for d in value_info.type.tensor_type.shape.dim]


def player_spec_of(spec: BehaviorSpec) -> PlayerSpec:
    """What the generated player declares at the handshake: one vector observation and the spec's actions."""
    return PlayerSpec(spec.behavior_name, ((spec.observation_size,),), spec.actions.continuous_size,
                      spec.actions.discrete_branches)


def check_policy(model_path: str | Path, spec: BehaviorSpec | PlayerSpec) -> dict[str, list[int | str]]:
    """Raise :class:`PolicyMismatchError` listing every mismatch with the behaviour (from ``behavior.json``
    or read from a player at the handshake); return the tensor shapes checked."""
    import onnx

    if isinstance(spec, BehaviorSpec):
        spec = player_spec_of(spec)  # imported here: only the stages that handle policies need it

    try:
        model = onnx.load(str(model_path))
    except Exception as exc:  # onnx raises several unrelated types for unreadable files
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
