"""mlagents-learn's hyperparameters as this project sets them by default, per algorithm.

Both the RL config's own check (:mod:`.specs`: is ``max_steps`` enough for one policy update?)
and the trainer config codegen writes (:mod:`.codegen.trainer_config`) start from these, so
they live below both.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Small batches and a high, decaying learning rate: on the generated tasks (a dozen observations,
#: shaped rewards) this reaches the quick start's goal in 100k steps; see docs/benchmarks.md.
_ON_POLICY_DEFAULTS: dict[str, Any] = {
    "batch_size": 128,
    "buffer_size": 2048,
    "learning_rate": 1.0e-3,
    "beta": 1.0e-3,
    "epsilon": 0.2,
    "lambd": 0.95,
    "num_epoch": 4,
    "learning_rate_schedule": "linear",
}
DEFAULT_HYPERPARAMETERS: dict[str, dict[str, Any]] = {
    "PPO": _ON_POLICY_DEFAULTS,
    "POCA": _ON_POLICY_DEFAULTS,
    "SAC": {
        "batch_size": 256,
        "buffer_size": 100_000,
        "learning_rate": 3.0e-4,
        "learning_rate_schedule": "constant",
        "buffer_init_steps": 1000,
        "tau": 0.005,
        "steps_per_update": 10.0,
        "save_replay_buffer": False,
        "init_entcoef": 0.5,
        "reward_signal_steps_per_update": 10.0,
    },
}


def first_update_step(algorithm: str, hyperparameters: Mapping[str, Any]) -> tuple[int, str]:
    """The step at which the trainer first updates the policy, and the hyperparameter that sets it.

    PPO and POCA update once ``buffer_size`` steps are collected; SAC once ``buffer_init_steps``
    random steps and one ``batch_size`` are in its replay buffer. Fewer ``max_steps`` train nothing.
    """
    hyperparameters = {**DEFAULT_HYPERPARAMETERS[algorithm], **hyperparameters}
    if algorithm == "SAC":
        init, batch = int(hyperparameters["buffer_init_steps"]), int(hyperparameters["batch_size"])
        return (init, "buffer_init_steps") if init >= batch else (batch, "batch_size")
    return int(hyperparameters["buffer_size"]), "buffer_size"
