"""A turning agent on the reach task: it turns and drives forward, and must learn to face the target.

    .venv/bin/python bench/bench_turning.py               # print the figures
    .venv/bin/python bench/bench_turning.py --write-docs  # also update docs/benchmarks.md

The asset is the quick start's with a car's actions instead: discrete branches [3, 2] meaning
turn (none, right, left) and forward (stay, go), so the agent observes its rays, velocity and the
target's direction relative to its heading. Each seed runs one job through
UnityMLOpsOrchestrator (codegen, the stand-in build, mlagents-learn PPO with the generated
defaults, then an evaluation of the exported policy with deterministic actions) in a scratch
folder. Goal: the reach task solved (evaluation success rate >= 0.9).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from report import bench_arguments, machine, publish
from standin_common import require_trainer_env, run_job

from mlops_unity_pipeline import RLTrainingConfig, TrainingJob, UnityAssetSpec

SECTION = "## Turning agent: reach with turn and forward actions"
EVAL_EPISODES = 200
ACTIONS = {"type": "discrete", "branches": [3, 2], "meanings": ["turn", "forward"]}


def turning_job(seed: int, steps: int) -> TrainingJob:
    asset = UnityAssetSpec(
        asset_id="turning-001",
        name="TurningAgent",
        description="Reach the target",
        observation_space={"raycast": 8, "velocity": 2},
        action_space=ACTIONS,
    )
    config = RLTrainingConfig(algorithm="PPO", max_steps=steps, num_envs=8, time_scale=20.0, seed=seed)
    return TrainingJob(job_id=f"turning-seed{seed}", asset_spec=asset, rl_config=config)


def main() -> None:
    parser = bench_arguments(__doc__)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--steps", type=int, default=150_000)
    args = parser.parse_args()
    require_trainer_env()
    where = machine()
    with tempfile.TemporaryDirectory() as scratch:
        rows = [
            run_job(turning_job(seed, args.steps), Path(scratch) / f"seed{seed}", EVAL_EPISODES) for seed in args.seeds
        ]
    load_end = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    table = "\n".join(
        f"| {r['seed']} | {r['train_s']:.0f} | {r['job_cpu_s']:.0f} | {r['final_reward']:.3f} | {r['train_success']:.2f} | "
        f"{r['eval_reward']:.3f} | {r['eval_success']:.2f} |"
        for r in rows
    )
    solved = sum(r["eval_success"] >= 0.9 for r in rows)
    mean_success = sum(r["eval_success"] for r in rows) / len(rows)
    section = f"""{SECTION}

`python bench/bench_turning.py --seeds {" ".join(map(str, args.seeds))} --steps {args.steps}` on {where}; load average
at the end {load_end} (the machine is shared: other jobs ran at the same time, so the times are
longer than on an idle machine). The quick start's asset with discrete actions [3, 2] meaning
turn and forward: the agent starts each episode facing +z and observes its rays, velocity and
the target relative to its heading. {args.steps:,} steps of PPO with the generated defaults through
`UnityMLOpsOrchestrator` (stand-in players fitted to the cores: {rows[0]["players"]}; mlagents-learn 1.1.0 on the
{rows[0]["device"].upper()}),
then {EVAL_EPISODES} evaluation episodes of the exported policy with deterministic actions.

| seed | training (s) | whole job, CPU (s) | final mean reward | training success | eval mean reward | eval success |
| --- | --- | --- | --- | --- | --- | --- |
{table}

Reach solved (eval success >= 0.9) for {solved} of {len(rows)} seeds; mean eval success {mean_success:.2f}.
"""
    publish(section, SECTION, args.write_docs)


if __name__ == "__main__":
    main()
