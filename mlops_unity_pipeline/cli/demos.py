"""``record-demos``: the task's scripted expert on the stand-in, recorded as an ML-Agents .demo file."""

from __future__ import annotations

import argparse

from .command import Command


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--generated", required=True, metavar="DIR", help="codegen stage output")
    parser.add_argument("--episodes", required=True, type=int, help="expert episodes to record")
    parser.add_argument("--out", required=True, metavar="FILE.demo", help="the .demo file to write")
    parser.add_argument("--seed", type=int, default=0)


def _record_demos(args: argparse.Namespace) -> int:
    from ..demos.record import record_demonstrations

    summary = record_demonstrations(args.generated, args.episodes, args.out, seed=args.seed)
    print(
        f"recorded {summary['episodes']} episodes ({summary['steps']} steps, expert success "
        f"{summary['success_rate']:.0%}, mean return {summary['mean_return']:.3f}) to {summary['path']}"
    )
    return 0


RECORD_DEMOS = Command(
    "record-demos",
    "Record the task's scripted expert on the stand-in as an ML-Agents .demo file.",
    _configure,
    _record_demos,
)
