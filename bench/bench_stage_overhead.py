"""The train stage's overhead over bare mlagents-learn on the same layout, from many pairs.

    .venv/bin/python bench/bench_stage_overhead.py --steps 100000 --pairs 16 --write-docs

Identical bare runs of the quick start spread by several per cent on a shared 2-core machine,
more than the overhead to be measured, so one pair per seed cannot resolve it. This runs one
seed of the quick start (SimpleAgent, PPO with the generated config, stand-in players, the CPU)
as many pairs: the train stage (``python -m mlops_unity_pipeline train``, as a pipeline task runs
it) and bare ``mlagents-learn`` on the layout the stage chooses, the order alternating from pair
to pair, so the machine's drift counts alike for both. Each pair gives one overhead, stage wall
time over bare wall time minus one; the report gives their median and their mean with a 95 %
bootstrap interval, and splits the stage's extra time by its own clock (``metrics.json``
``stage_seconds``): mlagents-learn's run under the stage against bare mlagents-learn's, and the
stage's own time around it (its start-up, imports and exit, then set-up and summary).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from bench_players import bare, quickstart, stage
from report import bench_arguments, machine, publish
from standin_common import require_trainer_env

from mlops_unity_pipeline.train.players import fit_players, usable_cores

#: The section of docs/benchmarks.md for a run of ``steps`` steps (each budget has its own).
SECTION = "## Train stage against bare mlagents-learn at {steps:,} steps: overhead from paired runs"
BOOTSTRAP_RESAMPLES = 10_000


@dataclass(frozen=True)
class Pair:
    """One pair's figures, in seconds."""

    bare_s: float
    stage_s: float
    stage_mlagents_s: float
    stage_total_s: float

    @property
    def overhead(self) -> float:
        return self.stage_s / self.bare_s - 1

    @property
    def mlagents_gap(self) -> float:
        """mlagents-learn under the stage against bare mlagents-learn, as a share of bare."""
        return self.stage_mlagents_s / self.bare_s - 1

    @property
    def own_s(self) -> float:
        """The stage's own time: everything of its wall time but mlagents-learn's run."""
        return self.stage_s - self.stage_mlagents_s


def run_bare(generated: Path, executable: Path, players: int, areas: int, out: Path) -> float:
    """Bare mlagents-learn as :func:`bench_players.bare` runs it; its wall time."""
    started = time.monotonic()
    bare(generated, executable, players, areas, out)
    return time.monotonic() - started


def run_stage(generated: Path, executable: Path, out: Path) -> tuple[float, dict[str, float]]:
    """The train stage as :func:`bench_players.stage` runs it; its wall time and its own clock."""
    started = time.monotonic()
    _, metrics = stage(generated, executable, out)
    return time.monotonic() - started, metrics["stage_seconds"]


def mean_interval(values: list[float], seed: int = 0) -> tuple[float, float, float]:
    """The mean and its 95 % percentile-bootstrap interval."""
    data = np.asarray(values)
    means = np.random.default_rng(seed).choice(data, (BOOTSTRAP_RESAMPLES, len(data))).mean(axis=1)
    return float(data.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def run_pairs(steps: int, pairs: int, scratch: Path) -> tuple[list[Pair], tuple[int, int]]:
    fitted = fit_players(8, 8, usable_cores())
    layout = (fitted.num_envs, fitted.num_areas)
    generated, executable = quickstart(scratch / "job", steps, seed=0)
    results = []
    for index in range(pairs):
        bare_out, stage_out = scratch / f"bare-{index}", scratch / f"stage-{index}"
        if index % 2 == 0:
            bare_s = run_bare(generated, executable, *layout, bare_out)
            stage_s, clock = run_stage(generated, executable, stage_out)
        else:
            stage_s, clock = run_stage(generated, executable, stage_out)
            bare_s = run_bare(generated, executable, *layout, bare_out)
        pair = Pair(bare_s, stage_s, clock["mlagents_learn"], clock["total"])
        results.append(pair)
        print(
            f"pair {index + 1}/{pairs}: bare {bare_s:.1f} s, stage {stage_s:.1f} s "
            f"(mlagents-learn {pair.stage_mlagents_s:.1f} s), overhead {pair.overhead:+.1%}",
            flush=True,
        )
    return results, layout


def _percent(value: float) -> str:
    return f"{value * 100:+.1f} %"


def _seconds(value: float) -> str:
    return f"{value:.2f} s"


def _row(label: str, values: list[float], show) -> str:
    return f"| {label} | {show(statistics.median(values))} | {show(min(values))} to {show(max(values))} |"


def section_text(steps: int, pairs: list[Pair], layout: tuple[int, int], where: str, command: str) -> str:
    overhead = mean_interval([p.overhead for p in pairs])
    gap = mean_interval([p.mlagents_gap for p in pairs])
    own = statistics.median(p.own_s for p in pairs)
    bare = [p.bare_s for p in pairs]
    load_end = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    rows = [
        _row(f"bare mlagents-learn ({layout[0]} × {layout[1]} areas), wall", bare, _seconds),
        _row("train stage, wall", [p.stage_s for p in pairs], _seconds),
        _row("overhead per pair (stage / bare − 1)", [p.overhead for p in pairs], _percent),
        _row("mlagents-learn under the stage against bare", [p.mlagents_gap for p in pairs], _percent),
        _row(
            "the stage's own time: start-up, imports and exit", [p.stage_s - p.stage_total_s for p in pairs], _seconds
        ),
        _row(
            "the stage's own time: set-up, then checking and summarising the policy",
            [p.stage_total_s - p.stage_mlagents_s for p in pairs],
            _seconds,
        ),
    ]
    introduction = (
        f"`{command}` on {where}; load average at the end {load_end}. {len(pairs)} pairs of the quick start at "
        f"{steps:,} steps (seed 0), the train stage and bare mlagents-learn on the stage's layout, the order "
        "alternating; wall time is the whole command, start-up included."
    )
    verdict = (
        f"Overhead, mean of the pairs: {_percent(overhead[0])} (95 % interval {_percent(overhead[1])} to "
        f"{_percent(overhead[2])}); of it, mlagents-learn's run under the stage {_percent(gap[0])} ({_percent(gap[1])} "
        f"to {_percent(gap[2])}) and the stage's own time {own:.2f} s per run "
        f"({own / statistics.median(bare):.1%} of bare's median)."
    )
    return "\n".join(
        [
            SECTION.format(steps=steps),
            "",
            introduction,
            "",
            "| measure | median | range |",
            "| --- | --- | --- |",
            *rows,
            "",
            verdict,
            "",
        ]
    )


def main() -> None:
    parser = bench_arguments(__doc__)
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--pairs", type=int, default=16)
    args = parser.parse_args()
    require_trainer_env()
    where = machine()
    command = f"python bench/bench_stage_overhead.py --steps {args.steps} --pairs {args.pairs}"
    with tempfile.TemporaryDirectory() as scratch:
        pairs, layout = run_pairs(args.steps, args.pairs, Path(scratch))
    section = section_text(args.steps, pairs, layout, where, command)
    publish(section, SECTION.format(steps=args.steps), args.write_docs)


if __name__ == "__main__":
    main()
