"""The mlagents-learn trainer configuration for a behaviour, from a BehaviorSpec and an RL config.

The layout is mlagents 1.1.0's ``RunOptions`` (behaviors / env_settings / engine_settings). The
defaults are tuned for the generated tasks' small vector observations; every hyperparameter and
network setting can be overridden through ``RLTrainingConfig.hyperparameters`` and
``network_settings``.
"""

from __future__ import annotations

from typing import Any

from ..behavior import BehaviorSpec
from ..specs import RLTrainingConfig
from ..trainer_defaults import DEFAULT_HYPERPARAMETERS

TRAINER_TYPES = {"PPO": "ppo", "SAC": "sac", "POCA": "poca"}

DEFAULT_NETWORK_SETTINGS: dict[str, Any] = {"normalize": False, "hidden_units": 128, "num_layers": 2}


def summary_freq(rl: RLTrainingConfig) -> int:
    """Twenty summaries over a run unless the config says otherwise (every 1000 steps at most, at least one)."""
    return rl.summary_freq or min(max(1000, rl.max_steps // 20), rl.max_steps)


def checkpoint_interval(rl: RLTrainingConfig) -> int:
    """Five checkpoints over a run unless the config says otherwise; resume loses at most this much."""
    return rl.checkpoint_interval or max(summary_freq(rl), rl.max_steps // 5)


def trainer_config(spec: BehaviorSpec, rl: RLTrainingConfig) -> dict[str, Any]:
    """The mlagents-learn YAML document, as a dict in the key order mlagents' docs use."""
    rl.check()
    reward_signals: dict[str, Any] = {"extrinsic": {"gamma": rl.gamma, "strength": 1.0}}
    behavior: dict[str, Any] = {
        "trainer_type": TRAINER_TYPES[rl.algorithm],
        "hyperparameters": {**DEFAULT_HYPERPARAMETERS[rl.algorithm], **rl.hyperparameters},
        "network_settings": {**DEFAULT_NETWORK_SETTINGS, **rl.network_settings},
        "reward_signals": reward_signals,
        "max_steps": rl.max_steps,
        "time_horizon": rl.time_horizon,
        "summary_freq": summary_freq(rl),
        "checkpoint_interval": checkpoint_interval(rl),
        "keep_checkpoints": rl.keep_checkpoints,
    }
    if rl.use_offline_rl and rl.demonstrations_path:
        # Bootstrap from demonstrations, then let online rewards take over: behavioral cloning
        # fades out over the first half of the run; GAIL, when asked for, adds an imitation reward.
        if rl.gail_strength > 0:
            reward_signals["gail"] = {
                "gamma": rl.gamma,
                "strength": rl.gail_strength,
                "demo_path": rl.demonstrations_path,
            }
        behavior["behavioral_cloning"] = {
            "demo_path": rl.demonstrations_path,
            "strength": rl.behavioral_cloning_strength,
            "steps": max(1, rl.max_steps // 2),
        }
    return {
        "behaviors": {spec.behavior_name: behavior},
        "env_settings": {"num_envs": rl.num_envs, "num_areas": rl.num_areas, "seed": rl.seed},
        "engine_settings": {"time_scale": rl.time_scale, "no_graphics": True},
    }
