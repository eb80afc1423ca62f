"""How many episodes the paired quality gate needs to see a 0.05 success-rate improvement, and what it costs.

    .venv/bin/python bench/bench_paired_gate.py               # print the figures
    .venv/bin/python bench/bench_paired_gate.py --write-docs  # also update docs/benchmarks.md

The quick-start task (SimpleAgent on the stand-in) with real policies: the candidate is the policy
mlagents-learn trained (tests/serving/data), the champion a copy of it whose action means are
shifted (tests/trained_policy.py) by the amount that makes its success rate 0.05 lower, found by
bisection on a large paired sample. For each number of episodes, the evaluation (both policies
on the same seeded episodes) and the gate (metric ``success_rate``, default confidence 0.95,
margin 0) run for many evaluation seeds; the share of seeds that promote the candidate is the
gate's power at that size. Two copies of the trained policy (the null) are run as well. Costs
are given as batched policy calls (one onnxruntime call and one world step for every running
episode of a batch) and CPU time of this process (all its threads), which depend little on the
load of a shared machine, and as wall time.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from report import REPO, bench_arguments, machine, publish

sys.path.insert(0, str(REPO / "tests"))  # the trained policy and its worse copies
from trained_policy import TRAINED, TRAINED_MODEL, degraded_copy

from mlops_unity_pipeline.behavior import BehaviorSpec
from mlops_unity_pipeline.evaluate.standin_episodes import run_standin_episodes
from mlops_unity_pipeline.evaluation_report import ChampionEpisodes, EvaluationReport
from mlops_unity_pipeline.onnx_policy import OnnxPolicy
from mlops_unity_pipeline.registry.quality_gate import Champion, GateSettings, decide

SECTION = "## Paired quality gate: episodes to detect a 0.05 success-rate improvement"
TARGET = 0.05


class CountingPolicy(OnnxPolicy):
    """An :class:`OnnxPolicy` that counts its batched decisions (one per world step)."""

    decisions = 0

    def act(self, observations, action_masks=None):
        type(self).decisions += 1
        return super().act(observations, action_masks)


def success_gap(spec: BehaviorSpec, champion: Path, episodes: int, seed: int) -> float:
    """The trained policy's success rate minus ``champion``'s over the same ``episodes`` episodes."""
    ours = run_standin_episodes(spec, OnnxPolicy(TRAINED_MODEL, spec), episodes, seed)
    theirs = run_standin_episodes(spec, OnnxPolicy(champion, spec), episodes, seed)
    return float(np.mean([a.success for a in ours]) - np.mean([b.success for b in theirs]))


def calibrate(spec: BehaviorSpec, scratch: Path, episodes: int) -> tuple[float, Path, float]:
    """The bias shift whose copy succeeds ``TARGET`` less often than the trained policy (bisection)."""
    low, high = 0.1, 0.5
    for step in range(12):
        shift = (low + high) / 2
        gap = success_gap(spec, degraded_copy(scratch / f"shift-{step}.onnx", shift), episodes, 10_000)
        if abs(gap - TARGET) < 0.002:
            break
        low, high = (shift, high) if gap < TARGET else (low, shift)
    return shift, scratch / f"shift-{step}.onnx", gap


def gate_decision(spec: BehaviorSpec, candidate: OnnxPolicy, champion: OnnxPolicy, episodes: int, seed: int):
    """Evaluate both on the same ``episodes`` (seed ``seed``) and let the gate decide on success_rate."""
    ours = tuple(run_standin_episodes(spec, candidate, episodes, seed))
    theirs = ChampionEpisodes("1", "champion", tuple(run_standin_episodes(spec, champion, episodes, seed)))
    document = EvaluationReport(spec.behavior_name, "candidate", "standin", seed, ours, theirs).to_dict()
    metadata = {
        "evaluation_metrics": document["metrics"],
        "evaluation": {"seed": seed},
        "per_episode": document["per_episode"],
        "champion_evaluation": document["champion"],
    }
    started = time.process_time()
    decision = decide(
        metadata,
        Champion("1", document["champion"]["metrics"], "champion"),
        GateSettings(metric="success_rate", min_episodes=1),
    )
    return decision, time.process_time() - started


def measure(spec: BehaviorSpec, champion_path: Path, sizes: list[int], seeds: int) -> list[dict]:
    rows = []
    for episodes in sizes:
        for label, champion_model in (("0.05 better", champion_path), ("identical", TRAINED_MODEL)):
            candidate, champion = CountingPolicy(TRAINED_MODEL, spec), CountingPolicy(champion_model, spec)
            CountingPolicy.decisions = 0
            cpu, wall, gate_cpu, promoted, lows = time.process_time(), time.perf_counter(), 0.0, 0, []
            for seed in range(seeds):
                decision, gate_s = gate_decision(spec, candidate, champion, episodes, seed)
                promoted += decision.promoted
                gate_cpu += gate_s
                lows.append(decision.paired["mean_difference"]["low"])
            rows.append(
                {
                    "episodes": episodes,
                    "pair": label,
                    "promoted": promoted / seeds,
                    "median_low": float(np.median(lows)),
                    "decisions": CountingPolicy.decisions / seeds,
                    "cpu_s": (time.process_time() - cpu) / seeds,
                    "wall_s": (time.perf_counter() - wall) / seeds,
                    "gate_cpu_s": gate_cpu / seeds,
                }
            )
            print(rows[-1], flush=True)
    return rows


def _at_least(size: int | None, power: dict[int, float]) -> str:
    return f"{size:,}" if size is not None else f"more than {max(power):,}"


def main() -> int:
    parser = bench_arguments(__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 50, 100, 200, 300, 400, 600])
    parser.add_argument("--seeds", type=int, default=40, help="evaluation seeds per size (default 40)")
    parser.add_argument("--calibration-episodes", type=int, default=10_000)
    args = parser.parse_args()
    where = machine()
    spec = BehaviorSpec.load(TRAINED)
    with tempfile.TemporaryDirectory(prefix="bench-gate-") as scratch:
        shift, champion, gap = calibrate(spec, Path(scratch), args.calibration_episodes)
        print(f"shift {shift:.4f}: success-rate gap {gap:.4f} over {args.calibration_episodes} episodes", flush=True)
        rows = measure(spec, champion, args.sizes, args.seeds)
    section = render(rows, shift, gap, where, args)
    publish(section, SECTION, args.write_docs)
    return 0


def render(rows: list[dict], shift: float, gap: float, where: str, args: argparse.Namespace) -> str:
    """The docs/benchmarks.md section for these measurements."""
    load_end = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    command = " ".join(
        [
            "--sizes",
            *map(str, args.sizes),
            "--seeds",
            str(args.seeds),
            "--calibration-episodes",
            str(args.calibration_episodes),
        ]
    )
    power = {row["episodes"]: row["promoted"] for row in rows if row["pair"] == "0.05 better"}
    enough = next((n for n, share in sorted(power.items()) if share >= 0.8), None)
    half = next((n for n, share in sorted(power.items()) if share >= 0.5), None)
    table = "\n".join(
        f"| {r['episodes']:,} | {r['pair']} | {r['promoted']:.0%} | {r['median_low']:+.3f} | {r['decisions']:,.0f} | "
        f"{r['cpu_s']:.2f} | {r['wall_s']:.2f} | {1000 * r['gate_cpu_s']:.0f} |"
        for r in rows
    )
    return f"""{SECTION}

`python bench/bench_paired_gate.py {command}` on {where}; load average at the end
{load_end}. The machine was shared with other test runs while this ran, so wall
times are only indicative; batched calls and CPU time depend little on the load.

The quick-start task (SimpleAgent, stand-in). Candidate: the trained quick-start policy
(tests/serving/data). Champion: a copy whose action means are shifted by {shift:.4f}, chosen by
bisection so that its success rate is {gap:.3f} lower over {args.calibration_episodes:,} paired
episodes. Each size runs both policies on the same seeded episodes for {args.seeds} evaluation
seeds and lets the gate decide on `success_rate` at the default confidence (0.95; margin 0).
"promoted" is the share of seeds whose decision promotes the candidate: the gate's power for
the 0.05 improvement, and its false-promotion rate for two identical policies.

| episodes | candidate vs champion | promoted | median lower end of the 95% interval | batched policy calls (both sides) | CPU s per evaluation and gate (all threads) | wall s | gate's own CPU ms |
| --- | --- | --- | --- | --- | --- | --- | --- |
{table}

The gate detects the 0.05 improvement in at least 80% of evaluations from {_at_least(enough, power)} episodes
(in at least half of them from {_at_least(half, power)}); at the smallest size measured, {min(power)} episodes
(the default `eval_episodes` is 20), it promotes in {power[min(power)]:.0%}. A run that must see improvements of
this size needs `eval_episodes` at that level. Two identical policies were promoted in
{max(r["promoted"] for r in rows if r["pair"] == "identical"):.0%} of all evaluations: on the same episodes their
differences are all zero. Evaluations are batched (one world of up to 256 areas,
one onnxruntime call per step for all of them; here the two policies run one after the other), so the
cost grows with the number of batches and their longest episode more than with the episodes;
the gate itself (a bootstrap of 10,000 resamples) is the last column.
"""


if __name__ == "__main__":
    raise SystemExit(main())
