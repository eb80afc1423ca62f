"""Evaluation against a player (a Unity build): the ONNX policy drives it through mlagents_envs.

mlagents_envs lives only in the trainer environment (Python 3.10), so the evaluate stage runs
this module there as ``python -m mlops_unity_pipeline.evaluate.unity_episodes`` and reads back
the episodes it writes as JSON. An episode's success comes from the ``Task/SuccessRate`` value
the generated Agent records at each episode end (the stats side channel), paired in order with
the agents that ended in that step. Before any episode, the policy is checked against the
observations and actions the player declared at the handshake, so a build that does not match
its ``behavior.json`` is refused with the mismatch named.

The player runs one training area, so its episodes follow each other and the k-th one starts
from the k-th draw of the player's seeded random generator (the generated Agent draws only
when an episode begins): two policies run with the same seed meet the same start states.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..behavior import BEHAVIOR_FILE, BehaviorSpec
from ..behavior.stats import SUCCESS_RATE
from ..evaluation_report import Episode
from ..onnx_policy import OnnxPolicy, check_policy
from ..player_spec import PlayerSpec, PlayerSpecError

#: How fast the player runs the simulation; evaluation needs no rendering at real-time speed.
TIME_SCALE = 20.0


def run_unity_episodes(
    executable: Path, behavior_name: str, policy: OnnxPolicy, episodes: int, seed: int, base_port: int
) -> list[Episode]:
    """Run ``episodes`` complete episodes of the behaviour ``behavior_name`` of the player at ``executable``,
    in the order they ended. An episode succeeded when the Agent recorded a Task/SuccessRate of 1 for it
    (a player whose Agents record no such value has no successful episodes)."""
    from mlagents_envs.base_env import ActionTuple
    from mlagents_envs.environment import UnityEnvironment
    from mlagents_envs.side_channel.engine_configuration_channel import EngineConfigurationChannel
    from mlagents_envs.side_channel.stats_side_channel import StatsSideChannel

    engine, stats = EngineConfigurationChannel(), StatsSideChannel()
    engine.set_configuration_parameters(time_scale=TIME_SCALE)
    env = UnityEnvironment(
        file_name=str(executable),
        seed=seed,
        no_graphics=True,
        base_port=base_port,
        worker_id=0,
        side_channels=[engine, stats],
        timeout_wait=120,
        num_areas=1,
    )
    try:
        env.reset()
        names = list(env.behavior_specs)
        name = next((key for key in names if key.split("?")[0] == behavior_name), None)
        if name is None:
            raise PlayerSpecError(
                f"the player {executable} has no behaviour {behavior_name!r}; it has "
                f"{', '.join(repr(key.split('?')[0]) for key in names) or 'none'}"
            )
        # What the player declared at the handshake must fit the policy, whatever behavior.json says.
        check_policy(policy.path, PlayerSpec.from_mlagents(name, env.behavior_specs[name]))
        returns: dict[int, float] = {}
        lengths: dict[int, int] = {}
        finished: list[Episode] = []
        while len(finished) < episodes:
            decisions, terminals = env.get_steps(name)
            successes = [value >= 0.5 for value, _ in stats.get_and_reset_stats().get(SUCCESS_RATE, [])]
            for index, agent in enumerate(terminals.agent_id):
                reward = returns.pop(agent, 0.0) + float(terminals.reward[index])
                length = lengths.pop(agent, 0) + 1
                success = successes[index] if index < len(successes) else False
                if len(finished) < episodes:
                    finished.append(Episode(reward, length, success))
            for index, agent in enumerate(decisions.agent_id):
                returns[agent] = returns.get(agent, 0.0) + float(decisions.reward[index])
            if len(decisions) and len(finished) < episodes:
                lengths.update({agent: lengths.get(agent, -1) + 1 for agent in decisions.agent_id})
                actions = policy.act(decisions.obs[0], _masks(decisions.action_mask))
                env.set_actions(name, ActionTuple(continuous=actions.continuous, discrete=actions.discrete))
            env.step()
        return finished
    finally:
        env.close()


def _masks(action_mask: list[np.ndarray] | None) -> np.ndarray | None:
    """mlagents_envs gives per-branch masks where True means *disallowed*; ONNX wants 1 = allowed."""
    if not action_mask:
        return None
    return np.concatenate([~np.asarray(branch, dtype=bool) for branch in action_mask], axis=1).astype(np.float32)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executable", required=True, type=Path)
    parser.add_argument("--model", required=True, type=Path)
    behavior = parser.add_mutually_exclusive_group(required=True)
    behavior.add_argument("--behavior", type=Path, help=f"the codegen output ({BEHAVIOR_FILE}) the policy must fit")
    behavior.add_argument("--behavior-name", help="a behaviour of a player the pipeline did not generate")
    parser.add_argument("--episodes", required=True, type=int)
    parser.add_argument("--seed", required=True, type=int)
    parser.add_argument("--base-port", required=True, type=int)
    parser.add_argument("--out", required=True, type=Path, help="JSON file for the episodes")
    args = parser.parse_args(argv)
    if args.behavior is not None:
        spec = BehaviorSpec.load(args.behavior)
        name, policy = spec.behavior_name, OnnxPolicy(args.model, spec)
    else:
        name, policy = args.behavior_name, OnnxPolicy(args.model)
    found = run_unity_episodes(args.executable, name, policy, args.episodes, args.seed, args.base_port)
    args.out.write_text(json.dumps([[e.reward, e.length, e.success] for e in found]) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
