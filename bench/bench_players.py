"""The quick start's player layouts side by side: bare mlagents-learn against the train stage.

    .venv/bin/python bench/bench_players.py --steps 20000 --seeds 0            # print the figures
    .venv/bin/python bench/bench_players.py --steps 20000 100000 --seeds 0 1 2 --write-docs

For each budget and seed, in one run and in turn (so the machine's load drifts across all of
them alike), on the seed guide's quick-start job (SimpleAgent, PPO with the generated config,
num_envs 8, num_areas 8, stand-in players, the CPU):

- bare ``mlagents-learn`` with the user's own generated config: 8 players × 8 areas;
- bare ``mlagents-learn`` with the same 64 agents as fewer players: 2 × 32 and 1 × 64;
- the train stage (``python -m mlops_unity_pipeline train``, as a pipeline task runs it), which fits
  the players to the cores;
- bare ``mlagents-learn`` on the layout the train stage chose, for the stage's own overhead.

The train stage and bare mlagents-learn on its layout run back to back, in turn first, so the
machine's drift counts alike for both; the other layouts run around them, each seed starting
elsewhere. Wall time is the whole command, start-up included; steps/s is ``max_steps`` over it.
CPU time is what the run and every process under it used (user + system; :mod:`process_cpu`),
split into mlagents-learn (its trainer and env workers), the players, and the stage's own (the
stage's process and its supervisor). mlagents-learn's trainer polls for the environment's steps
in a busy loop, so its CPU grows with the run's wall time; the stage's own CPU is what the stage
adds. Each exported policy is evaluated for
``--eval-episodes`` stand-in episodes (deterministic actions).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from process_cpu import TreeCPU
from report import REPO, bench_arguments, machine, publish
from standin_common import SIMPLE_AGENT, require_trainer_env

from mlops_unity_pipeline.behavior import BehaviorSpec
from mlops_unity_pipeline.build import build
from mlops_unity_pipeline.codegen import generate
from mlops_unity_pipeline.evaluate.standin_episodes import run_standin_episodes
from mlops_unity_pipeline.evaluation_report import summarize
from mlops_unity_pipeline.onnx_policy import OnnxPolicy
from mlops_unity_pipeline.ports import reserve_base_port
from mlops_unity_pipeline.specs import RLTrainingConfig, UnityAssetSpec
from mlops_unity_pipeline.train.players import fit_players, usable_cores

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


def bare(generated: Path, executable: Path, players: int, areas: int, out: Path) -> Path:
    """``mlagents-learn`` as a user would run it on the generated config; the exported policy."""
    env = require_trainer_env()
    with reserve_base_port(players) as port:
        subprocess.run(
            [
                str(env.mlagents_learn),
                str(generated / "trainer_config.yaml"),
                "--env",
                str(executable),
                "--run-id",
                "run",
                "--results-dir",
                str(out),
                "--force",
                "--base-port",
                str(port),
                "--num-envs",
                str(players),
                "--num-areas",
                str(areas),
                "--torch-device",
                "cpu",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env.environment(),
        )
    return out / "run" / "SimpleAgent.onnx"


def stage(generated: Path, executable: Path, out: Path) -> tuple[Path, dict]:
    """The train stage's command on the quick-start job, as a pipeline task runs it; (policy, metrics)."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mlops_unity_pipeline",
            "train",
            "--build",
            str(executable.parent),
            "--generated",
            str(generated),
            "--out",
            str(out),
            "--device",
            "cpu",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=REPO,
    )
    return out / "policy.onnx", json.loads((out / "metrics.json").read_text())


def success(generated: Path, policy: Path, episodes: int) -> float:
    spec = BehaviorSpec.load(generated)
    return summarize(run_standin_episodes(spec, OnnxPolicy(policy, spec), episodes, seed=0))["success_rate"]


@dataclass(frozen=True)
class Run:
    """One run's figures."""

    cpu: TreeCPU
    success: float

    @property
    def wall_s(self) -> float:
        return self.cpu.wall_s

    @property
    def stage_own_s(self) -> float:
        return self.cpu.by_kind.get("train stage", 0.0)


def run_order(layouts: list[tuple[int, int]], chosen: tuple[int, int], index: int) -> list[tuple[int, int] | None]:
    """Seed ``index``'s runs: the stage (None) next to bare on its layout, in turn first; the rest around them."""
    pair = [chosen, None] if index % 2 == 0 else [None, chosen]
    others = [layout for layout in layouts if layout != chosen]
    blocks = [*[[layout] for layout in others], pair]
    shift = index % len(blocks)
    return [run for block in blocks[shift:] + blocks[:shift] for run in block]


def run_budget(steps: int, seeds: list[int], episodes: int, scratch: Path) -> tuple[list[str], str]:
    fitted = fit_players(8, 8, usable_cores())
    chosen = (fitted.num_envs, fitted.num_areas)
    layouts = list(dict.fromkeys([*BARE_LAYOUTS, chosen]))
    stage_name = f"train stage ({chosen[0]} × {chosen[1]} areas)"
    runs: dict[str, list[Run]] = {}
    own_seconds: list[float] = []
    for index, seed in enumerate(seeds):
        generated, executable = quickstart(scratch / f"s{steps}-{seed}", steps, seed)
        for layout in run_order(layouts, chosen, index):
            with TreeCPU() as cpu:
                if layout is None:
                    policy, metrics = stage(generated, executable, scratch / f"s{steps}-{seed}-stage")
                else:
                    policy = bare(generated, executable, *layout, scratch / f"s{steps}-{seed}-bare{layout[0]}")
            if layout is None:
                name = stage_name
                timing = metrics["stage_seconds"]
                own_seconds.append(cpu.wall_s - timing["mlagents_learn"])
            else:
                name = f"bare mlagents-learn, {layout[0]} × {layout[1]} areas"
            runs.setdefault(name, []).append(Run(cpu, success(generated, policy, episodes)))
            print(
                f"{steps} steps, seed {seed}: {name}: {cpu.wall_s:.1f} s, CPU {cpu.total_s:.1f} s "
                f"({_split(cpu)}; load {os.getloadavg()[0]:.1f})",
                file=sys.stderr,
            )
    rows = [_row(steps, name, results) for name, results in runs.items()]
    user = runs["bare mlagents-learn, 8 × 8 areas"]
    same = runs[f"bare mlagents-learn, {chosen[0]} × {chosen[1]} areas"]
    ours = runs[stage_name]
    wall_gap = [100 * (o.wall_s - s.wall_s) / s.wall_s for o, s in zip(ours, same)]
    cpu_gap = [100 * (o.cpu.total_s - s.cpu.total_s) / s.cpu.total_s for o, s in zip(ours, same)]
    verdict = (
        f"{steps:,} steps: the train stage {_median(user, 'wall_s') / _median(ours, 'wall_s'):.2f}× as fast as bare "
        f"mlagents-learn with the user's 8 × 8. Against bare mlagents-learn on its own layout ({chosen[0]} × "
        f"{chosen[1]}), run next to it: wall {_percents(wall_gap)} per seed (median {statistics.median(wall_gap):+.1f} %), "
        f"CPU {_percents(cpu_gap)} (median {statistics.median(cpu_gap):+.1f} %), of which the stage's own "
        f"{' / '.join(f'{run.stage_own_s:.1f}' for run in ours)} s; the stage's wall time beyond mlagents-learn's "
        f"run under it (by the stage's own clock): {' / '.join(f'{o:.2f}' for o in own_seconds)} s per seed."
    )
    return rows, verdict


def _median(results: list[Run], field: str) -> float:
    return statistics.median(getattr(run, field) for run in results)


def _percents(values: list[float]) -> str:
    return " / ".join(f"{value:+.1f} %" for value in values)


def _split(cpu: TreeCPU) -> str:
    return ", ".join(f"{kind} {seconds:.1f}" for kind, seconds in sorted(cpu.by_kind.items()))


def _row(steps: int, name: str, results: list[Run]) -> str:
    wall = _median(results, "wall_s")
    cpu = statistics.median(run.cpu.total_s for run in results)
    parts = " / ".join(
        f"{statistics.median(run.cpu.by_kind.get(kind, 0.0) for run in results):.1f}"
        for kind in ("mlagents-learn", "players")
    )
    own = statistics.median(run.stage_own_s for run in results)
    return (
        f"| {steps:,} | {name} | {wall:.1f} | {' / '.join(f'{run.wall_s:.1f}' for run in results)} | "
        f"{steps / wall:,.0f} | {cpu:.1f} | {parts} / {own:.1f} | "
        f"{' / '.join(f'{run.success:.2f}' for run in results)} |"
    )


def main() -> None:
    parser = bench_arguments(__doc__)
    parser.add_argument("--steps", type=int, nargs="+", default=[20_000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--eval-episodes", type=int, default=200)
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
    section = "\n".join(
        [
            SECTION,
            "",
            (
                f"`python bench/bench_players.py --steps {' '.join(map(str, args.steps))} --seeds "
                f"{' '.join(map(str, args.seeds))} --eval-episodes {args.eval_episodes}` on {where}; load average at the end "
                f"{load_end}. The quick-start job (SimpleAgent, PPO with the generated config, num_envs 8 × num_areas 8, "
                "stand-in players, mlagents-learn 1.1.0 on the CPU); each run's wall time is the whole command, start-up "
                "included; its CPU time is every process of the run (user + system), split into mlagents-learn (trainer and "
                "env workers; its trainer polls for the environment in a busy loop, so this part grows with wall time), the "
                "players, and the stage's own (the stage's process and its supervisor); the train stage "
                "and bare mlagents-learn on its layout run next to each other, in turn first; evaluation success over "
                f"{args.eval_episodes} stand-in episodes of the exported policy."
            ),
            "",
            (
                "| steps | run | wall (s), median | wall (s) per seed | steps/s | CPU (s), median | CPU (s): mlagents-learn / "
                "players / stage's own | eval success per seed |"
            ),
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
            *rows,
            "",
            *verdicts,
            "",
        ]
    )
    publish(section, SECTION, args.write_docs)


if __name__ == "__main__":
    main()
