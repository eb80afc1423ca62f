"""How much choosing among training seeds on the selection episodes flatters the chosen one, and fresh episodes do not.

    .venv/bin/python bench/bench_seed_selection.py               # print the figures
    .venv/bin/python bench/bench_seed_selection.py --write-docs  # also update docs/benchmarks.md

The quick-start task (SimpleAgent on the stand-in). The "seeds" are real policies of similar
quality: the policy mlagents-learn trained (tests/serving/data) and copies with its action means
shifted by a tenth or so either way (tests/trained_policy.py). Each policy's true mean reward
comes from many episodes. Each repetition runs every policy on the same selection episodes,
chooses one by the rule (best, median) exactly as select-seed does (:func:`choose`), then runs
them on fresh episodes, as the gate's evaluation does; selection and fresh episodes never share
a seed. The chosen policy's lead over the seeds' average (a paired difference, like the gate's),
minus its true lead, averaged over the repetitions, is the bias on each set of episodes.
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

sys.path.insert(0, str(REPO / "tests"))  # the trained policy and its shifted copies
from trained_policy import TRAINED, TRAINED_MODEL, degraded_copy

from mlops_unity_pipeline.behavior import BehaviorSpec
from mlops_unity_pipeline.evaluate.standin_episodes import run_standin_episodes
from mlops_unity_pipeline.onnx_policy import OnnxPolicy
from mlops_unity_pipeline.seeds.selection import choose

SECTION = "## Training seeds: selection bias, and the gate's fresh episodes"


def mean_reward(spec: BehaviorSpec, policy: OnnxPolicy, episodes: int, seed: int) -> float:
    return float(np.mean([episode.reward for episode in run_standin_episodes(spec, policy, episodes, seed)]))


def measure(
    spec: BehaviorSpec, policies: list[OnnxPolicy], episodes: int, repetitions: int, truth_episodes: int
) -> dict[str, dict[str, float]]:
    """Bias of the chosen policy's lead over the seeds' average, on the selection episodes and on fresh ones.

    A lead over the others on the same episodes is what the gate measures against a champion (a
    paired difference); the luck all policies share on an episode cancels in it, as in the gate.
    """
    truth = [mean_reward(spec, policy, truth_episodes, 1_000_000) for policy in policies]
    print("true mean rewards", [f"{value:.4f}" for value in truth], flush=True)
    found: dict[str, dict[str, list[float]]] = {rule: {"selection": [], "fresh": []} for rule in ("best", "median")}
    for repetition in range(repetitions):
        selection_seed, fresh_seed = 2 * repetition + 1, 2 * repetition  # never the same episodes
        values = [mean_reward(spec, policy, episodes, selection_seed) for policy in policies]
        fresh = [mean_reward(spec, policy, episodes, fresh_seed) for policy in policies]
        for rule, numbers in found.items():
            chosen = choose(values, rule)
            true_lead = truth[chosen] - float(np.mean(truth))
            numbers["selection"].append(values[chosen] - float(np.mean(values)) - true_lead)
            numbers["fresh"].append(fresh[chosen] - float(np.mean(fresh)) - true_lead)
    return {
        rule: {where: float(np.mean(bias)) for where, bias in numbers.items()}
        | {f"{where}_se": float(np.std(bias, ddof=1) / np.sqrt(len(bias))) for where, bias in numbers.items()}
        for rule, numbers in found.items()
    } | {"truth": {"spread": float(max(truth) - min(truth))}}


def main() -> int:
    parser = bench_arguments(__doc__)
    parser.add_argument(
        "--shifts",
        type=float,
        nargs="+",
        default=[0.0, -0.1, 0.1, -0.15, 0.15],
        help="action-mean shift of each seed's policy (0: the trained policy itself)",
    )
    parser.add_argument("--episodes", type=int, default=20, help="selection and fresh episodes (default 20)")
    parser.add_argument("--repetitions", type=int, default=100)
    parser.add_argument("--truth-episodes", type=int, default=5000)
    args = parser.parse_args()
    where = machine()
    spec = BehaviorSpec.load(TRAINED)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-seeds-") as scratch:
        paths = [
            TRAINED_MODEL if shift == 0 else degraded_copy(Path(scratch) / f"shift-{shift}.onnx", shift)
            for shift in args.shifts
        ]
        result = measure(
            spec, [OnnxPolicy(path, spec) for path in paths], args.episodes, args.repetitions, args.truth_episodes
        )
    section = render(result, where, args, time.perf_counter() - started)
    publish(section, SECTION, args.write_docs)
    return 0


def render(result: dict, where: str, args: argparse.Namespace, wall_s: float) -> str:
    """The docs/benchmarks.md section for these measurements."""
    load_end = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    command = " ".join(
        [
            "--shifts",
            *map(str, args.shifts),
            "--episodes",
            str(args.episodes),
            "--repetitions",
            str(args.repetitions),
            "--truth-episodes",
            str(args.truth_episodes),
        ]
    )
    rows = "\n".join(
        f"| {rule} | {numbers['selection']:+.4f} ± {numbers['selection_se']:.4f} | "
        f"{numbers['fresh']:+.4f} ± {numbers['fresh_se']:.4f} |"
        for rule, numbers in result.items()
        if rule != "truth"
    )
    return f"""{SECTION}

`python bench/bench_seed_selection.py {command}` on {where}; load average at the end {load_end};
{wall_s:.0f} s in all.

{len(args.shifts)} "training seeds" of similar quality (the trained quick-start policy and copies with its
action means shifted by {", ".join(f"{s:g}" for s in args.shifts[1:])}; their true mean rewards, over
{args.truth_episodes:,} episodes each, lie within {result["truth"]["spread"]:.4f} of each other). In each of
{args.repetitions} repetitions all of them run the same {args.episodes} selection episodes, the rule chooses
one, and all of them run {args.episodes} fresh episodes (other seeds). The bias is the chosen policy's
measured lead over the seeds' average (a paired difference on the same episodes, as the gate's against
its champion) minus its true lead, averaged over the repetitions (± its standard error):

| rule | bias on the selection episodes | bias on fresh episodes (what the gate sees) |
| --- | --- | --- |
{rows}

The best seed's lead on the episodes it was chosen on overstates it: part of it is the luck of those
episodes, which favoured it over the others. On fresh episodes the bias is gone (within its standard
error), which is why select-seed's episodes (episode seed 1) are never the gate's (seed 0), and evaluate
refuses a selection made on its own episodes. The median seed is hardly flattered either way.
"""


if __name__ == "__main__":
    raise SystemExit(main())
