"""Benchmark of the environment's share of training wall time, from mlagents' own timers.json.

    .venv/bin/python bench/bench_env_share.py                 # print the results
    .venv/bin/python bench/bench_env_share.py --write-docs    # also update docs/benchmarks.md

Runs the real ``mlagents-learn`` (PPO, the learning test's settings) against the stand-in
SimpleAgent for a few numbers of areas and reads ``run_logs/timers.json``:

- waiting for the environment: ``communicator.exchange`` in the worker (the worker's gRPC call
  to the player: the player's simulation, its replies, the transport), over the root total;
- ``env_step`` in the trainer, which adds the policy's inference and the worker hand-off, for context.

The goal is the environment under 10% of training wall time.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from report import bench_arguments, machine, publish
from standin_common import require_trainer_env, simple_agent_player

from mlops_unity_pipeline.ports import reserve_base_port

SECTION = "## Stand-in player: environment share of training"
AREAS = (1, 8, 32, 128)
GOAL_PERCENT = 10.0
SIMULATING = re.compile(r"([\d.]+) s of [\d.]+ s simulating")
PPO = {
    "trainer_type": "ppo",
    "hyperparameters": {
        "batch_size": 64,
        "buffer_size": 1024,
        "learning_rate": 3.0e-4,
        "beta": 5.0e-3,
        "epsilon": 0.2,
        "lambd": 0.95,
        "num_epoch": 3,
    },
    "network_settings": {"hidden_units": 128, "num_layers": 2, "normalize": False},
    "reward_signals": {"extrinsic": {"gamma": 0.99, "strength": 1.0}},
    "time_horizon": 64,
}


def find(node: dict, name: str) -> float:
    """Total seconds of every timer called ``name`` below ``node``."""
    total = 0.0
    for child_name, child in node.get("children", {}).items():
        total += child.get("total", 0.0) if child_name == name else find(child, name)
    return total


def train(executable: Path, areas: int, steps: int, scratch: Path, torch_threads: int | None) -> dict[str, float]:
    env = require_trainer_env()
    config = scratch / "config.yaml"
    config.write_text(
        yaml.safe_dump({"behaviors": {"SimpleAgent": {**PPO, "max_steps": steps, "summary_freq": steps}}})
    )
    run_id = f"areas{areas}"
    with reserve_base_port(1) as port:
        subprocess.run(
            [
                str(env.mlagents_learn),
                str(config),
                "--env",
                str(executable),
                "--run-id",
                run_id,
                "--results-dir",
                str(scratch / "results"),
                "--force",
                "--base-port",
                str(port),
                "--no-graphics",
                "--num-areas",
                str(areas),
                "--seed",
                "1",
            ],
            check=True,
            capture_output=True,
            cwd=scratch,
            env={**os.environ, **({"OMP_NUM_THREADS": str(torch_threads)} if torch_threads else {})},
        )
    logs = scratch / "results" / run_id / "run_logs"
    timers = json.loads((logs / "timers.json").read_text())
    total = timers["total"]
    return {
        "wall_s": total,
        "player_s": float(SIMULATING.findall((logs / "Player-0.log").read_text())[-1]),
        "exchange_s": find(timers, "communicator.exchange"),
        "env_step_s": find(timers, "env_step"),
        "update_s": find(timers, "_update_policy"),
    }


def verdict(results: dict[int, dict[str, float]]) -> str:
    """One sentence on the goal: the environment under 10% of training wall time."""
    shares = {areas: 100 * t["exchange_s"] / t["wall_s"] for areas, t in results.items()}
    player = {areas: 100 * t["player_s"] / t["wall_s"] for areas, t in results.items()}
    best = min(shares, key=shares.get)
    met = [areas for areas, share in shares.items() if share < GOAL_PERCENT]
    outcome = (
        f"met from {min(met)} areas per player"
        if met
        else f"not met here: the lowest share is {shares[best]:.1f}% at {best} areas"
    )
    return (
        f"Goal, the environment under {GOAL_PERCENT:.0f}% of training wall time: {outcome}; the stand-in's own "
        f"simulation is {player[best]:.1f}% of wall time at {best} areas."
    )


def run(steps: int, scratch: Path, areas_list: list[int], torch_threads: int | None) -> str:
    executable = simple_agent_player(scratch)
    rows, results = [], {}
    for areas in areas_list:
        t = results[areas] = train(executable, areas, steps, scratch, torch_threads)
        rows.append(
            f"| {areas} | {t['wall_s']:.1f} | {steps / t['wall_s']:,.0f} | {t['exchange_s']:.1f} "
            f"({100 * t['exchange_s'] / t['wall_s']:.1f}%) | {t['player_s']:.1f} ({100 * t['player_s'] / t['wall_s']:.1f}%) "
            f"| {t['env_step_s']:.1f} ({100 * t['env_step_s'] / t['wall_s']:.0f}%) "
            f"| {t['update_s']:.1f} ({100 * t['update_s'] / t['wall_s']:.0f}%) |"
        )
        print(rows[-1], file=sys.stderr)
    return "\n".join(
        [
            SECTION,
            "",
            f"`python bench/bench_env_share.py --steps {steps} --areas {' '.join(map(str, areas_list))}"
            + (f" --torch-threads {torch_threads}" if torch_threads else "")
            + f"` on {machine()}; mlagents-learn 1.1.0 on the CPU, PPO",
            "(batch 64, buffer 1024, 2×128 network), one player, SimpleAgent, shares from the run's `timers.json`.",
            "",
            (
                "| areas | wall (s) | agent-steps/s | waiting for the environment: `communicator.exchange` | "
                "of which the player simulating | `env_step` (adds inference) | `_update_policy` |"
            ),
            "| --- | --- | --- | --- | --- | --- | --- |",
            *rows,
            "",
            "`communicator.exchange` is the time the mlagents worker waits on its gRPC call to the player;",
            "the next column is the part of it the player spent simulating and building its replies (from",
            "its log). The rest is the transport on both sides (gRPC, and mlagents' own pickling of each",
            "message through a pipe between its gRPC thread and the worker) and CPU contention: while it",
            "waits, mlagents' trainer process polls its step queue in a busy loop, so on 2 cores the",
            "player and the worker share one. Those costs are per decision, and a Unity player pays them",
            "too; they shrink per agent step as one player serves more areas (`--num-areas`, `num_areas`",
            "in the RL config).",
            "",
            verdict(results),
            "",
        ]
    )


def main() -> None:
    parser = bench_arguments(__doc__)
    parser.add_argument("--steps", type=int, default=30000, help="max_steps of each training run")
    parser.add_argument("--areas", type=int, nargs="+", default=list(AREAS), help="numbers of areas to run")
    parser.add_argument("--torch-threads", type=int, help="OMP_NUM_THREADS for mlagents-learn (default: torch's)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        section = run(args.steps, Path(scratch), args.areas, args.torch_threads)
    publish(section, SECTION, args.write_docs)


if __name__ == "__main__":
    main()
