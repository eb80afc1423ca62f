"""The quality gate's options, shared by the register, run and schedule commands."""

from __future__ import annotations

import argparse
import math


def add_gate_options(parser: argparse.ArgumentParser) -> None:
    """``--champion-margin``, ``--gate-confidence``, ``--gate-min-episodes`` and ``--floor``, with the gate's defaults."""
    from ..registry.quality_gate import DEFAULT_CONFIDENCE, DEFAULT_MARGIN, DEFAULT_MIN_EPISODES

    parser.add_argument(
        "--champion-margin",
        type=float,
        default=DEFAULT_MARGIN,
        metavar="X",
        help="promote only if the lower end of the interval of the paired difference (the metric's "
        f"unit) is above X (default {DEFAULT_MARGIN:g})",
    )
    parser.add_argument(
        "--gate-confidence",
        type=float,
        default=DEFAULT_CONFIDENCE,
        metavar="C",
        help=f"confidence level of the paired bootstrap interval (default {DEFAULT_CONFIDENCE})",
    )
    parser.add_argument(
        "--gate-min-episodes",
        type=int,
        default=DEFAULT_MIN_EPISODES,
        metavar="N",
        help=f"fewest paired episodes the gate promotes on (default {DEFAULT_MIN_EPISODES})",
    )
    parser.add_argument(
        "--floor",
        action="append",
        default=[],
        metavar="METRIC=MIN",
        type=_floor,
        help="never promote a candidate whose METRIC is below MIN, champion or not (repeatable; e.g. success_rate=0.8)",
    )


def _floor(text: str) -> tuple[str, float]:
    name, _, minimum = text.partition("=")
    try:
        value = float(minimum)
    except ValueError:
        value = math.nan
    if not name.strip() or not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not METRIC=MIN, e.g. success_rate=0.8")
    return name.strip(), value
