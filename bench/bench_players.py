"""The quick start's player layouts side by side: bare mlagents-learn against the train stage.

    .venv/bin/python bench/bench_players.py --steps 20000 --seeds 0            # print the figures
    .venv/bin/python bench/bench_players.py --steps 20000 100000 --seeds 0 1 2 --write-docs

For each budget and seed, in one run and in turn (so the machine's load drifts across all of
them alike), on the seed guide's quick-start job (SimpleAgent, PPO with the generated config,
num_envs 8, num_areas 8, stand-in players, the CPU):

- bare ``mlagents-learn`` with the user's own generated config: 8 players × 8 areas;
- bare ``mlagents-learn`` with the same 64 agents as fewer players: 2 × 32 and 1 × 64;
- the train stage (``mlops_unity_pipeline.train.train``), which fits the players to the cores;
- bare ``mlagents-learn`` on the layout the train stage chose, for the stage's own overhead.

Wall time is the whole command, start-up included; steps/s is ``max_steps`` over it. CPU time
is what the run and every process under it used (user + system, from ``getrusage``): on a
machine that other work keeps busy, wall time follows each run's share of the cores, and CPU
time shows what the run itself costs. Each exported policy is evaluated for ``--eval-episodes``
stand-in episodes (deterministic actions).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import machine, write_section
from standin_common import SIMPLE_AGENT, require_trainer_env

from mlops_unity_pipeline.behavior import BehaviorSpec
from mlops_unity_pipeline.build import build
from mlops_unity_pipeline.codegen import generate
from mlops_unity_pipeline.evaluate.report import summarize
from mlops_unity_pipeline.evaluate.standin_episodes import run_standin_episodes
from mlops_unity_pipeline.onnx_policy import OnnxPolicy
from mlops_unity_pipeline.specs import RLTrainingConfig, UnityAssetSpec
from mlops_unity_pipeline.train import train
from mlops_unity_pipeline.train.players import fit_players, usable_cores
from mlops_unity_pipeline.train.ports import reserve_base_port

SECTION = "## Player layouts: the quick start on this machine's cores"
BARE_LAYOUTS = ((8, 8), (2, 32), (1, 64))


def quickstart(scratch: Path, steps: int, seed: int) -> tuple[Path, Path]:
    """The guide's SimpleAgent with its quick-start RL config at ``steps``: (generated, executable)."""
    asset = UnityAssetSpec.load(SIMPLE_AGENT / "asset_spec.yaml")
    rl = RLTrainingConfig.load(SIMPLE_AGENT / "rl_config.yaml")
    rl.max_steps, rl.seed = steps, seed
    generated = scratch / "generated"
    generate(asset, rl, generated)
    return generated, build(generated, scratch / "build", backend="standin", log=lambda _: None).executable


def bare(generated: Path, executable: Path, players: int, areas: int, out: Path) -> tuple[float, Path]:
    """``mlagents-learn`` as a user would run it on the generated config; (wall s, exported policy)."""
    env = require_trainer_env()
    with reserve_base_port(players) as port:
        started = time.monotonic()
        subprocess.run(
            [str(env.mlagents_learn), str(generated / "trainer_config.yaml"), "--env", str(executable),
             "--run-id", "run", "--results-dir", str(out), "--force", "--base-port", str(port),
             "--num-envs", str(players), "--num-areas", str(areas), "--torch-device", "cpu"],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env.environment(),
        )
        wall = time.monotonic() - started
    return wall, out / "run" / "SimpleAgent.onnx"


def stage(generated: Path, executable: Path, out: Path) -> tuple[float, Path, dict]:
    """The train stage on the quick-start job; (wall s, exported policy, metrics)."""
    started = time.monotonic()
    result = train(executable.parent, generated, out, device="cpu")
    return time.monotonic() - started, result.policy_path, result.metrics


def cpu_s() -> float:
    """User + system seconds of this process and of every finished process under it so far."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def success(generated: Path, policy: Path, episodes: int) -> float:
    spec = BehaviorSpec.load(generated)
    return summarize(run_standin_episodes(spec, OnnxPolicy(policy, spec), episodes, seed=0))["success_rate"]


def run_budget(steps: int, seeds: list[int], episodes: int, scratch: Path) -> tuple[list[str], str]:
    chosen = fit_players(8, 8, usable_cores())
    layouts = list(dict.fromkeys([*BARE_LAYOUTS, (chosen.num_envs, chosen.num_areas)]))
    runs: dict[str, list[tuple[float, float, float]]] = {}
    own_overhead: list[float] = []
    for index, seed in enumerate(seeds):
        generated, executable = quickstart(scratch / f"s{steps}-{seed}", steps, seed)
        order = [*layouts, None]
        for layout in order[index % len(order):] + order[:index % len(order)]:  # each seed starts elsewhere
            cpu_before = cpu_s()
            if layout is None:
                wall, policy, metrics = stage(generated, executable, scratch / f"s{steps}-{seed}-stage")
                players = metrics["players"]
                name = f"train stage ({players['num_envs']} × {players['num_areas']} areas)"
                timing = metrics["stage_seconds"]
                own_overhead.append(100 * (timing["total"] - timing["mlagents_learn"]) / timing["mlagents_learn"])
            else:
                wall, policy = bare(generated, executable, *layout, scratch / f"s{steps}-{seed}-bare{layout[0]}")
                name = f"bare mlagents-learn, {layout[0]} × {layout[1]} areas"
            cpu = cpu_s() - cpu_before
            runs.setdefault(name, []).append((wall, cpu, success(generated, policy, episodes)))
            print(f"{steps} steps, seed {seed}: {name}: {wall:.1f} s, CPU {cpu:.1f} s (load {os.getloadavg()[0]:.1f})",
                  file=sys.stderr)
    rows = [
        f"| {steps:,} | {name} | {statistics.median(r[0] for r in results):.1f} | "
        f"{' / '.join(f'{r[0]:.1f}' for r in results)} | {steps / statistics.median(r[0] for r in results):,.0f} | "
        f"{statistics.median(r[1] for r in results):.1f} | {' / '.join(f'{r[2]:.2f}' for r in results)} |"
        for name, results in runs.items()
    ]
    user = statistics.median(r[0] for r in runs["bare mlagents-learn, 8 × 8 areas"])
    same = statistics.median(r[0] for r in runs[f"bare mlagents-learn, {chosen.num_envs} × {chosen.num_areas} areas"])
    ours = statistics.median(r[0] for r in next(r for name, r in runs.items() if name.startswith("train stage")))
    verdict = (f"{steps:,} steps: the train stage {user / ours:.2f}× as fast as bare mlagents-learn with the user's "
               f"8 × 8; against bare mlagents-learn on its own layout ({chosen.num_envs} × {chosen.num_areas}) "
               f"{100 * (ours - same) / same:+.1f} % (side by side, so the machine's load counts); the stage's own "
               f"clock, its time beyond mlagents-learn's: {' / '.join(f'{o:.1f}' for o in own_overhead)} % per seed.")
    return rows, verdict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, nargs="+", default=[20_000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--eval-episodes", type=int, default=200)
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    require_trainer_env()
    where = machine()
    rows, verdicts = [], []
    with tempfile.TemporaryDirectory() as scratch:
        for steps in args.steps:
            budget_rows, verdict = run_budget(steps, args.seeds, args.eval_episodes, Path(scratch))
            rows += budget_rows
            verdicts.append(verdict)
    load_end = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    section = "\n".join([
        SECTION,
        "",
        (f"`python bench/bench_players.py --steps {' '.join(map(str, args.steps))} --seeds "
        f"{' '.join(map(str, args.seeds))} --eval-episodes {args.eval_episodes}` on {where}; load average at the end "
        f"{load_end}. The quick-start job (SimpleAgent, PPO with the generated config, num_envs 8 × num_areas 8, "
        "stand-in players, mlagents-learn 1.1.0 on the CPU); each run's wall time is the whole command, start-up "
        f"included; evaluation success over {args.eval_episodes} stand-in episodes of the exported policy."),
        "",
        "| steps | run | wall (s), median | wall (s) per seed | steps/s | CPU (s), median | eval success per seed |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *rows,
        "",
        *verdicts,
        "",
    ])
    print(section)
    if args.write_docs:
        write_section(section, SECTION)


if __name__ == "__main__":
    main()
