"""The mlagents-learn command line for a run, or the user's own from ``MLAGENTS_TRAIN_COMMAND``.

``MLAGENTS_TRAIN_COMMAND`` is split like a shell command line and each word is formatted with
these placeholders:

=================  =======================================================
``{config}``       the effective trainer config YAML
``{env}``          the player executable (``build/<Name>.x86_64``)
``{run_id}``       the run id (results go to ``{results_dir}/{run_id}``)
``{results_dir}``  the results folder the stage reads the policy from
``{base_port}``    a reserved free base port
``{device}``       the torch device (``cpu`` or ``cuda``)
``{num_envs}``     players to start
``{resume_flag}``  ``--resume`` when continuing from a checkpoint, else ``--force``
=================  =======================================================

e.g. ``MLAGENTS_TRAIN_COMMAND='mlagents-learn {config} --env {env} --run-id {run_id}
--results-dir {results_dir} --base-port {base_port} {resume_flag}'``.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import MLOpsError

ENV_VAR_COMMAND = "MLAGENTS_TRAIN_COMMAND"


@dataclass(frozen=True)
class RunPlan:
    """The values a training command is made of."""

    mlagents_learn: Path
    config: Path
    env: Path
    run_id: str
    results_dir: Path
    base_port: int
    device: str
    num_envs: int
    resume: bool

    @property
    def resume_flag(self) -> str:
        return "--resume" if self.resume else "--force"


def default_command(plan: RunPlan) -> list[str]:
    return [
        str(plan.mlagents_learn),
        str(plan.config),
        "--env",
        str(plan.env),
        "--run-id",
        plan.run_id,
        "--results-dir",
        str(plan.results_dir),
        "--base-port",
        str(plan.base_port),
        "--num-envs",
        str(plan.num_envs),
        "--torch-device",
        plan.device,
        plan.resume_flag,
    ]


def training_command(plan: RunPlan) -> list[str]:
    """``$MLAGENTS_TRAIN_COMMAND`` with its placeholders filled in, else the default command."""
    template = os.environ.get(ENV_VAR_COMMAND)
    if not template:
        return default_command(plan)
    values = {**{k: str(v) for k, v in asdict(plan).items()}, "resume_flag": plan.resume_flag}
    try:
        return [word.format(**values) for word in shlex.split(template)]
    except (KeyError, IndexError, ValueError) as exc:
        raise MLOpsError(
            f"{ENV_VAR_COMMAND} has an unknown placeholder {exc}; allowed: "
            + ", ".join("{" + name + "}" for name in sorted(values))
        ) from None
