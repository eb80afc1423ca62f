"""The seed guide's quick-start job on this machine: wall time, steps/s, reward, success rate.

    .venv/bin/python bench/bench_quickstart.py               # print the figures
    .venv/bin/python bench/bench_quickstart.py --write-docs  # also update docs/benchmarks.md

It runs exactly the guide's job (SimpleAgent, PPO, 100k steps, num_envs=8, time_scale=20)
through UnityMLOpsOrchestrator: codegen, the stand-in build, mlagents-learn, a 200-episode
evaluation of the exported policy (deterministic actions) and the file registry, all in a
scratch folder. Goal: the 100k-step quick start under 3 minutes on 2 CPU cores, with the reach
task solved (evaluation success rate >= 0.9).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from report import bench_arguments, machine, publish
from standin_common import require_trainer_env, run_job

from mlops_unity_pipeline import RLTrainingConfig, TrainingJob, UnityAssetSpec

SECTION = "## Quick start: PPO, 100k steps, 8 players"
EVAL_EPISODES = 200


def quickstart_job(seed: int) -> TrainingJob:
    asset = UnityAssetSpec(
        asset_id="test-001",
        name="SimpleAgent",
        asset_type="behavior",
        description="Reach target position while avoiding obstacles",
        observation_space={"raycast": 8, "velocity": 2},
        action_space={"type": "continuous", "size": 2},
    )
    config = RLTrainingConfig(algorithm="PPO", max_steps=100_000, num_envs=8, time_scale=20.0, seed=seed)
    return TrainingJob(job_id=f"quickstart-seed{seed}", asset_spec=asset, rl_config=config)


def main() -> None:
    parser = bench_arguments(__doc__)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args()
    require_trainer_env()
    where = machine()
    with tempfile.TemporaryDirectory() as scratch:
        rows = [run_job(quickstart_job(seed), Path(scratch) / f"seed{seed}", EVAL_EPISODES) for seed in args.seeds]
    load_end = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    table = "\n".join(
        f"| {r['seed']} | {r['train_s']:.0f} | {r['job_s']:.0f} | {r['job_cpu_s']:.0f} | {r['steps_per_s']:,.0f} | "
        f"{r['final_reward']:.3f} | "
        f"{r['train_success']:.2f} | {r['eval_reward']:.3f} | {r['eval_success']:.2f} |"
        for r in rows
    )
    solved = sum(r["eval_success"] >= 0.9 for r in rows)
    in_time = sum(r["train_s"] < 180 for r in rows)
    section = f"""{SECTION}

`python bench/bench_quickstart.py --seeds {" ".join(map(str, args.seeds))}` on {where}; load average at the end
{load_end}. The guide's quick-start job through `UnityMLOpsOrchestrator` (stand-in players fitted to the cores:
{rows[0]["players"]}; mlagents-learn 1.1.0 on the {rows[0]["device"].upper()}, PPO with the generated defaults), then {EVAL_EPISODES} evaluation
episodes of the exported policy with deterministic actions. CPU is every process of the job, user + system.

| seed | training (s) | whole job (s) | whole job, CPU (s) | steps/s | final mean reward | training success | eval mean reward | eval success |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
{table}

Goal, under 3 minutes with the reach task solved (success >= 0.9): training under 3 minutes for
{in_time} of {len(rows)} seeds ({max(r["train_s"] for r in rows):.0f} s at most); evaluation success >= 0.9 for {solved} of {len(rows)} seeds.
"""
    publish(section, SECTION, args.write_docs)


if __name__ == "__main__":
    main()
