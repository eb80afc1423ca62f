"""``trainer-env``: build (once) and print the cached Python 3.10 trainer environment."""

from __future__ import annotations

import argparse
import sys

from .command import Command


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--print-path", action="store_true", help="only print the path of a ready environment")


def _trainer_env(args: argparse.Namespace) -> int:
    from .. import trainer_env

    if args.print_path:
        env = trainer_env.locate()
        if env is None:
            print("no trainer environment is ready; run without --print-path to build it", file=sys.stderr)
            return 1
    else:
        env = trainer_env.ensure(log=lambda message: print(message, file=sys.stderr))
    print(env.root)
    return 0


TRAINER_ENV = Command(
    "trainer-env", "Build (once) and print the cached Python 3.10 trainer environment.", _configure, _trainer_env
)
