"""Demonstrations of the scripted expert, recorded in ML-Agents' .demo format in the trainer environment.

The file is what Unity's DemonstrationRecorder writes: a DemonstrationMetaProto, the
BrainParametersProto, then one AgentInfoActionPairProto per decision (the observation the
agent decided on, with the reward since its last decision, and the action it took), written
by mlagents' own ``write_demo``. mlagents' demo loader reads it back for behavioral cloning
and GAIL. :func:`record_demonstrations` (any environment) runs this module in the trainer
environment, as ``python -m mlops_unity_pipeline.demos.record GENERATED_DIR EPISODES OUT [SEED]``,
where :func:`record` writes the file and prints a JSON summary.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import trainer_env
from ..behavior import BehaviorSpec
from ..errors import MLOpsError
from ..standin.world import TaskWorld
from .expert import expert_actions

if TYPE_CHECKING:
    from ..standin.protocol import AgentBatch

#: The .demo format version mlagents 1.1.0 reads.
DEMO_API_VERSION = 1


def _action_proto(spec: BehaviorSpec, action: np.ndarray):
    from mlagents_envs.communicator_objects.agent_action_pb2 import AgentActionProto

    if spec.actions.is_discrete:
        return AgentActionProto(discrete_actions=[int(v) for v in action])
    return AgentActionProto(continuous_actions=[float(v) for v in action])


def _agent_info(spec: BehaviorSpec, batch: AgentBatch):
    """The AgentInfoProto a Unity player would send for this one agent (the same encoding)."""
    from ..standin.protocol import behavior_key, step_message

    return step_message(spec, [batch], b"", False).unity_output.rl_output.agentInfos[behavior_key(spec)].value[0]


def record_demonstrations(generated: str | Path, episodes: int, out: str | Path, seed: int = 0) -> dict[str, Any]:
    """Write ``episodes`` expert episodes to ``out`` (a .demo file); return the recording's summary."""
    if episodes < 1:
        raise MLOpsError(f"--episodes is {episodes}; record at least 1 episode")
    if Path(out).suffix != ".demo":
        raise MLOpsError(f"--out {out} must end in .demo: mlagents only loads files with that extension")
    BehaviorSpec.load(generated)  # a missing or damaged --generated is named here, not in the trainer env
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    return trainer_env.run_json(
        "mlops_unity_pipeline.demos.record",
        str(generated),
        str(episodes),
        str(out),
        str(seed),
        doing="recording demonstrations",
        error=MLOpsError,
        timeout=1800,
    )


def record(generated: Path, episodes: int, out: Path, seed: int = 0) -> dict[str, Any]:
    """Play ``episodes`` expert episodes in one stand-in area and write them to ``out`` (in the trainer env)."""
    from mlagents.trainers.demo_loader import write_demo
    from mlagents_envs.communicator_objects.agent_info_action_pair_pb2 import AgentInfoActionPairProto
    from mlagents_envs.communicator_objects.demonstration_meta_pb2 import DemonstrationMetaProto

    # The stand-in's protocol encodes with mlagents_envs' protos, which only the trainer env has.
    from ..standin.protocol import AgentBatch, brain_parameters

    spec = BehaviorSpec.load(generated)
    world = TaskWorld(spec, num_areas=1, seed=seed)
    observations = world.reset(seed)
    ids = np.zeros(1, dtype=np.int64)
    reward_since_decision = np.zeros(1)
    pairs, returns, successes, episode_return = [], [], 0, 0.0
    while len(returns) < episodes:
        actions = expert_actions(world)
        info = _agent_info(spec, AgentBatch(ids, observations, reward_since_decision))
        pairs.append(AgentInfoActionPairProto(agent_info=info, action_info=_action_proto(spec, actions[0])))
        step = world.step(actions)
        episode_return += float(step.rewards[0])
        if step.done[0]:
            terminal = _agent_info(spec, AgentBatch(ids, step.observations, step.rewards, True, step.interrupted))
            pairs.append(AgentInfoActionPairProto(agent_info=terminal, action_info=_action_proto(spec, actions[0] * 0)))
            returns.append(episode_return)
            successes += int(step.success[0])
            episode_return, reward_since_decision = 0.0, np.zeros(1)
            ids = ids + 1  # a new episode, as Unity numbers them
            observations = world.reset_areas(step.done)
        else:
            reward_since_decision, observations = step.rewards, step.observations
    meta = DemonstrationMetaProto(
        api_version=DEMO_API_VERSION,
        demonstration_name=spec.behavior_name,
        number_steps=len(pairs),
        number_episodes=episodes,
        mean_reward=float(np.mean(returns)),
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    write_demo(str(out), meta, brain_parameters(spec), pairs)
    return {
        "path": str(out),
        "behavior_name": spec.behavior_name,
        "episodes": episodes,
        "steps": len(pairs),
        "mean_return": float(np.mean(returns)),
        "success_rate": successes / episodes,
    }


if __name__ == "__main__":
    directory, count, target = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    json.dump(record(Path(directory), count, target, int(sys.argv[4]) if len(sys.argv) > 4 else 0), sys.stdout)
