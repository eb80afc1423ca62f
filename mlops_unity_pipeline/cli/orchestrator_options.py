"""The run and schedule commands' options: each one an :class:`OrchestratorSettings` field, with its default there."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass

from ..build.stage import BACKENDS
from ..seeds import MAX_TRAINING_SEEDS, SELECTION_RULES
from ..settings import OrchestratorSettings
from .gate_options import add_gate_options

ENV_VAR_WEBHOOK_URL = "MLOPS_WEBHOOK_URL"
ENV_VAR_WEBHOOK_SECRET = "MLOPS_WEBHOOK_SECRET"


@dataclass(frozen=True)
class _Option:
    """A command-line option for the settings field ``field``; its type and default come from the field."""

    flag: str
    field: str
    help: str | None = None
    env: str | None = None
    choices: tuple[str, ...] | None = None


#: The orchestrator settings these commands take, in the order ``--help`` lists them; the quality
#: gate's come after them (:mod:`.gate_options`), and ``webhook_secret`` only from the environment.
_OPTIONS = (
    _Option("--work-dir", "work_dir", "where run directories go (default: $MLOPS_WORK_DIR or ./runs)"),
    _Option("--registry-dir", "registry_dir", "file registry root (default: $MLOPS_REGISTRY_DIR or ~/.local/share)"),
    _Option("--backend", "build_backend", "build backend", choices=BACKENDS),
    _Option("--unity-project", "unity_project", "Unity project for the unity backend"),
    _Option("--vertex-project", "vertex_project", "register in Vertex AI Model Registry of this project"),
    _Option("--vertex-region", "vertex_region"),
    _Option("--staging-bucket", "staging_bucket", "gs:// bucket for Vertex AI artifacts"),
    _Option(
        "--webhook-url",
        "webhook_url",
        f"POST job and stage events here (default: ${ENV_VAR_WEBHOOK_URL})",
        env=ENV_VAR_WEBHOOK_URL,
    ),
    _Option("--eval-episodes", "eval_episodes"),
    _Option(
        "--training-seeds",
        "training_seeds",
        f"train each job N times with consecutive seeds (1 to "
        f"{MAX_TRAINING_SEEDS}) and gate the one --seed-selection chooses on selection episodes of their own",
    ),
    _Option(
        "--seed-selection",
        "seed_selection",
        "best: the seed with the highest gate metric; median: the middle one",
        choices=SELECTION_RULES,
    ),
)


def add_orchestrator_options(parser: argparse.ArgumentParser) -> None:
    """Every option of ``_OPTIONS`` and the quality gate's, with the settings' defaults."""
    defaults = OrchestratorSettings()
    for option in _OPTIONS:
        default = getattr(defaults, option.field)
        if option.env is not None:
            default = os.environ.get(option.env, default)
        parser.add_argument(
            option.flag,
            dest=option.field,
            default=default,
            help=option.help,
            type=type(default) if default is not None else None,
            choices=option.choices,
        )
    add_gate_options(parser)


def settings_from(args: argparse.Namespace) -> OrchestratorSettings:
    """The settings the command line gave; progress goes to stderr, the webhook secret comes from the environment."""
    return OrchestratorSettings(
        **{option.field: getattr(args, option.field) for option in _OPTIONS},
        champion_margin=args.champion_margin,
        gate_confidence=args.gate_confidence,
        gate_min_episodes=args.gate_min_episodes,
        gate_floors=dict(args.floor),
        webhook_secret=os.environ.get(ENV_VAR_WEBHOOK_SECRET),
        progress=lambda message: print(message, file=sys.stderr, flush=True),
    )
