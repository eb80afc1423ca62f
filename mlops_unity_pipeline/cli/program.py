"""The program: the parser of every subcommand, and how a subcommand's outcome becomes an exit status."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Collection, Sequence
from typing import NoReturn

from ..errors import MLOpsError, describe_os_error
from .build import BUILD, PROJECT_VERSION
from .champion import CHAMPION
from .codegen import CODEGEN
from .command import Command
from .control_plane import APPROVE, CONTROL_PLANE_STATUS, MCP_SERVE
from .demos import RECORD_DEMOS
from .evaluate import EVALUATE
from .jobs import RUN, SCHEDULE
from .models import MODELS
from .register import REGISTER
from .seeds import SELECT_SEED
from .serve import SERVE
from .train import TRAIN
from .trainer_env import TRAINER_ENV

ENV_VAR_DEBUG = "MLOPS_DEBUG"

#: Every subcommand, in the order ``--help`` lists them.
COMMANDS: tuple[Command, ...] = (
    TRAINER_ENV,
    CODEGEN,
    APPROVE,
    CONTROL_PLANE_STATUS,
    MCP_SERVE,
    BUILD,
    PROJECT_VERSION,
    CHAMPION,
    TRAIN,
    SELECT_SEED,
    REGISTER,
    MODELS,
    SERVE,
    EVALUATE,
    RUN,
    SCHEDULE,
    RECORD_DEMOS,
)


def build_parser(configure: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every subcommand; with ``configure``, only the subcommands named there get their
    arguments (the rest are listed by ``--help`` but take none).

    Configuring a subcommand can import much of the library (``run`` takes the orchestrator's
    settings); a command line configures just the subcommands it names, so that a stage's
    command starts without loading what only the others use.
    """
    parser = argparse.ArgumentParser(
        prog="python -m mlops_unity_pipeline",
        description="Unity ML-Agents training pipeline stages: codegen, build, train, evaluate, register.",
    )
    parser.add_argument(
        "--executor-output",
        metavar="PATH",
        help="also write the KFP executor-output JSON for the stage's outputs here (given by a KFP container component)",
    )
    parser.add_argument(
        "--timeout",
        metavar="SECONDS",
        help="stop the command (and everything it started) after this many seconds ('3600' or '3600s'); exit status 124",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        sub = subparsers.add_parser(command.name, help=command.help, description=command.help)
        if configure is None or command.name in configure:
            command.configure(sub)
        sub.set_defaults(handler=command.handler, quick_exit=command.quick_exit)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: this process's arguments); return its exit status."""
    return _execute(list(sys.argv[1:] if argv is None else argv))[0]


def run() -> NoReturn:
    """The program: ``python -m mlops_unity_pipeline`` and the ``unity-mlops`` script.

    Exits with the command's status; after a :attr:`Command.quick_exit` command, without the
    interpreter's teardown.
    """
    status, quick_exit = _execute(sys.argv[1:])
    if quick_exit:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    sys.exit(status)


def _execute(arguments: list[str]) -> tuple[int, bool]:
    """The command line's exit status, and whether the command that ran may end the process at once."""
    args = build_parser(configure=set(arguments)).parse_args(arguments)
    if args.timeout is not None:
        from ..deadline import parse_seconds, run_with_deadline

        return _status(lambda: run_with_deadline(_without_timeout(arguments), parse_seconds(args.timeout))), False
    return _status(lambda: args.handler(args)), args.quick_exit


def _status(command: Callable[[], int]) -> int:
    """``command``'s exit status; an error is printed as one line instead of a traceback."""
    try:
        return command()
    except MLOpsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {describe_os_error(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so in one line; MLOPS_DEBUG=1 shows the traceback
        if os.environ.get(ENV_VAR_DEBUG):
            raise
        print(
            f"error: unexpected {type(exc).__name__}: {exc} (this is a bug in unity-mlops; "
            f"run again with {ENV_VAR_DEBUG}=1 for the traceback and report it)",
            file=sys.stderr,
        )
        return 70


def _without_timeout(arguments: list[str]) -> list[str]:
    """The command line minus its first ``--timeout`` option (``--timeout S`` or ``--timeout=S``)."""
    for index, word in enumerate(arguments):
        if word == "--timeout":
            return arguments[:index] + arguments[index + 2 :]
        if word.startswith("--timeout="):
            return arguments[:index] + arguments[index + 1 :]
    return arguments
