"""``python -m mlops_unity_pipeline``: one subcommand per stage, plus the set-up helpers.

Each subcommand is a thin wrapper over a library function. Errors the project raises on
purpose (:class:`MLOpsError`) and file-system errors (an unwritable folder, a file where a
folder should be: the path and what to do) are printed as one clear message with exit status
2; no traceback reaches the user. Anything else is a bug, reported in one line with exit
status 70 (``MLOPS_DEBUG=1`` shows its traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from .errors import MLOpsError, describe_os_error

ENV_VAR_DEBUG = "MLOPS_DEBUG"

Handler = Callable[[argparse.Namespace], int]
_COMMANDS: list[tuple[str, str, Callable[[argparse.ArgumentParser], None], Handler]] = []


def command(name: str, help_text: str, configure: Callable[[argparse.ArgumentParser], None]):
    """Register a subcommand: ``configure`` adds its arguments, the decorated function runs it."""

    def register(handler: Handler) -> Handler:
        _COMMANDS.append((name, help_text, configure, handler))
        return handler

    return register


def build_parser() -> argparse.ArgumentParser:
    from . import commands  # noqa: F401  (registers the subcommands)

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
    for name, help_text, configure, handler in _COMMANDS:
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        configure(sub)
        sub.set_defaults(handler=handler)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(arguments)
    try:
        if args.timeout is not None:
            from .deadline import parse_seconds, run_with_deadline

            return run_with_deadline(_without_timeout(arguments), parse_seconds(args.timeout))
        return args.handler(args)
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
        print(f"error: unexpected {type(exc).__name__}: {exc} (this is a bug in unity-mlops; "
              f"run again with {ENV_VAR_DEBUG}=1 for the traceback and report it)", file=sys.stderr)
        return 70


def _without_timeout(arguments: list[str]) -> list[str]:
    """The command line minus its first ``--timeout`` option (``--timeout S`` or ``--timeout=S``)."""
    for index, word in enumerate(arguments):
        if word == "--timeout":
            return arguments[:index] + arguments[index + 2 :]
        if word.startswith("--timeout="):
            return arguments[:index] + arguments[index + 1 :]
    return arguments


def run() -> None:
    """Console-script entry point (``unity-mlops``)."""
    sys.exit(main())
