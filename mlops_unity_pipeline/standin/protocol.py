"""The ML-Agents messages (communication API 1.5.0) a Unity player sends and reads.

Building and checking ``communicator_objects`` protobufs only: no sockets, no simulation. The
player owns the conversation; this module knows what each message must hold, as Unity's
``RpcCommunicator`` and ``GrpcExtensions`` write it: agent infos keyed by ``Name?team=0``, one
vector observation named ``VectorSensor_size<N>``, brain parameters sent once with the first
non-empty agent list, and actions in the order of the non-done agents sent.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from mlagents_envs.communicator_objects.brain_parameters_pb2 import ActionSpecProto, BrainParametersProto
from mlagents_envs.communicator_objects.capabilities_pb2 import UnityRLCapabilitiesProto
from mlagents_envs.communicator_objects.command_pb2 import QUIT, RESET, STEP
from mlagents_envs.communicator_objects.unity_message_pb2 import UnityMessageProto
from mlagents_envs.communicator_objects.unity_output_pb2 import UnityOutputProto
from mlagents_envs.communicator_objects.unity_rl_initialization_output_pb2 import UnityRLInitializationOutputProto
from mlagents_envs.communicator_objects.unity_rl_input_pb2 import UnityRLInputProto

from ..behavior.spec import BehaviorSpec
from ..errors import ProtocolError

COMMUNICATION_VERSION = "1.5.0"
#: The com.unity.ml-agents release that speaks to mlagents 1.1.0.
PACKAGE_VERSION = "3.0.0"
STATUS_OK = 200
STATUS_CLOSE = 400
COMMANDS = {STEP: "STEP", RESET: "RESET", QUIT: "QUIT"}


def behavior_key(spec: BehaviorSpec) -> str:
    """The name the trainer knows the behaviour by (a single team, as BehaviorParameters sets it)."""
    return f"{spec.behavior_name}?team=0"


def sensor_name(spec: BehaviorSpec) -> str:
    return f"VectorSensor_size{spec.observation_size}"


def initialization_message(name: str) -> UnityMessageProto:
    """The academy's first message: who it is and what it can do."""
    capabilities = UnityRLCapabilitiesProto(
        baseRLCapabilities=True,
        concatenatedPngObservations=True,
        compressedChannelMapping=True,
        hybridActions=True,
        trainingAnalytics=True,
        variableLengthObservation=True,
        multiAgentGroups=True,
    )
    output = UnityRLInitializationOutputProto(
        name=name,
        communication_version=COMMUNICATION_VERSION,
        package_version=PACKAGE_VERSION,
        capabilities=capabilities,
    )
    return wrap(UnityOutputProto(rl_initialization_output=output))


def wrap(output: UnityOutputProto | None, status: int = STATUS_OK) -> UnityMessageProto:
    message = UnityMessageProto()
    message.header.status = status
    if output is not None:
        message.unity_output.CopyFrom(output)
    return message


def check_communication_version(version: str) -> None:
    """Unity accepts any trainer whose communication API has the same major version."""
    major = version.split(".")[0]
    if major != COMMUNICATION_VERSION.split(".")[0]:
        raise ProtocolError(
            f"the trainer speaks communication API {version or '(none)'}; this player speaks "
            f"{COMMUNICATION_VERSION}; use mlagents 1.x"
        )


def brain_parameters(spec: BehaviorSpec) -> BrainParametersProto:
    branches = spec.actions.discrete_branches
    action_spec = ActionSpecProto(
        num_continuous_actions=spec.actions.continuous_size,
        num_discrete_actions=len(branches),
        discrete_branch_sizes=list(branches),
    )
    return BrainParametersProto(brain_name=behavior_key(spec), is_training=True, action_spec=action_spec)


@dataclass(frozen=True)
class AgentBatch:
    """Agent infos to send, one row per agent: id, reward since its last decision, end flags, observation."""

    ids: np.ndarray
    observations: np.ndarray
    rewards: np.ndarray
    done: bool = False
    interrupted: np.ndarray | bool = False


def step_message(
    spec: BehaviorSpec,
    batches: list[AgentBatch],
    side_channel: bytes,
    with_brain_parameters: bool,
) -> UnityMessageProto:
    """One reply to the trainer, built in place (no copies: this runs once per decision)."""
    message = UnityMessageProto()
    message.header.status = STATUS_OK
    output = message.unity_output
    infos = output.rl_output.agentInfos[behavior_key(spec)].value
    shape, name = [spec.observation_size], sensor_name(spec)
    for batch in batches:
        interrupted = np.broadcast_to(batch.interrupted, len(batch.ids)).tolist()
        for agent_id, reward, stopped, row in zip(
            batch.ids.tolist(), batch.rewards.tolist(), interrupted, batch.observations.tolist()
        ):
            info = infos.add(id=agent_id, reward=reward, done=batch.done, max_step_reached=stopped)
            info.observations.add(shape=shape, name=name).float_data.data.extend(row)
    output.rl_output.side_channel = side_channel
    if with_brain_parameters:
        output.rl_initialization_output.brain_parameters.append(brain_parameters(spec))
    return message


def read_actions(spec: BehaviorSpec, rl_input: UnityRLInputProto, expected: int) -> np.ndarray:
    """The actions for the ``expected`` agents that asked for a decision, in the order they were sent.

    A message with no actions for the behaviour means "keep still", as a Unity agent that gets no
    action keeps its zero action buffer.
    """
    key = behavior_key(spec)
    width = len(spec.actions.discrete_branches) or spec.actions.continuous_size
    listed = rl_input.agent_actions[key].value if key in rl_input.agent_actions else []
    unknown = sorted(set(rl_input.agent_actions) - {key})
    if unknown:
        raise ProtocolError(f"actions for unknown behaviour(s) {unknown}; this player has only {key!r}")
    if not listed:
        return np.zeros((expected, width))
    if len(listed) != expected:
        raise ProtocolError(f"{len(listed)} actions for {key!r}, but {expected} agents asked for a decision")
    field = "discrete_actions" if spec.actions.discrete_branches else "continuous_actions"
    rows = [getattr(action, field)[:] for action in listed]  # a slice copies in C, faster than list()
    if any(len(row) != width for row in rows):
        raise ProtocolError(f"every action for {key!r} must hold {width} {field}; got {sorted({len(r) for r in rows})}")
    if spec.actions.discrete_branches:
        actions = np.array(rows, dtype=np.int64)
        if (actions < 0).any() or (actions >= spec.actions.discrete_branches).any():
            raise ProtocolError(
                f"discrete actions for {key!r} must be {width} values below {list(spec.actions.discrete_branches)}; "
                f"got {actions.tolist()[:3]}..."
            )
        return actions
    actions = np.array(rows, dtype=np.float64)
    if not np.isfinite(actions).all():
        raise ProtocolError(f"continuous actions for {key!r} hold NaN or infinity")
    return actions
