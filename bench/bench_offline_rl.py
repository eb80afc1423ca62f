"""Offline RL: reward at a small step budget with and without expert demonstrations, same seeds.

    .venv/bin/python bench/bench_offline_rl.py               # print the figures
    .venv/bin/python bench/bench_offline_rl.py --write-docs  # also update docs/benchmarks.md

Records the scripted expert once (``record-demos``), then trains the seed's SimpleAgent for a
small budget twice per seed: plain PPO, and PPO bootstrapped with behavioral cloning + GAIL
from the demonstrations (``use_offline_rl``). Each policy is evaluated for 100 episodes.
"""

from __future__ import annotations

import os
import statistics
import tempfile
from pathlib import Path

from report import bench_arguments, machine, publish
from standin_common import require_trainer_env

from mlops_unity_pipeline import RLTrainingConfig, UnityAssetSpec
from mlops_unity_pipeline.build import build
from mlops_unity_pipeline.codegen import generate
from mlops_unity_pipeline.demos.record import record_demonstrations
from mlops_unity_pipeline.evaluate.stage import evaluate
from mlops_unity_pipeline.train import train

SECTION = "## Offline RL: demonstrations at a small step budget"
ASSET = UnityAssetSpec(
    asset_id="test-001",
    name="SimpleAgent",
    description="Reach target position while avoiding obstacles",
    observation_space={"raycast": 8, "velocity": 2},
)
EVAL_EPISODES = 100


def trained_success(scratch: Path, config: RLTrainingConfig) -> tuple[float, float, float]:
    """Final training mean reward, evaluation mean reward and success rate of one run."""
    generate(ASSET, config, scratch / "generated")
    build(scratch / "generated", scratch / "build", backend="standin", log=lambda _: None)
    result = train(scratch / "build", scratch / "generated", scratch / "training")
    report = evaluate(
        result.policy_path, scratch / "build", scratch / "generated", EVAL_EPISODES, scratch / "evaluation"
    )
    return result.metrics["final_mean_reward"], report.metrics["mean_reward"], report.metrics["success_rate"]


def main() -> None:
    parser = bench_arguments(__doc__)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--steps", type=int, default=20_000)
    parser.add_argument("--episodes", type=int, default=100, help="expert episodes to record")
    args = parser.parse_args()
    require_trainer_env()
    where = machine()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        generate(ASSET, RLTrainingConfig(), root / "expert")
        demo = record_demonstrations(root / "expert", args.episodes, root / "expert.demo")
        for seed in args.seeds:
            base = {"max_steps": args.steps, "num_envs": 2, "seed": seed}
            plain = trained_success(root / f"plain{seed}", RLTrainingConfig(**base))
            offline = trained_success(
                root / f"demo{seed}",
                RLTrainingConfig(**base, use_offline_rl=True, demonstrations_path=str(root / "expert.demo")),
            )
            rows.append((seed, plain, offline))
    table = "\n".join(
        f"| {seed} | {p[0]:.3f} | {p[1]:.3f} | {p[2]:.2f} | {o[0]:.3f} | {o[1]:.3f} | {o[2]:.2f} |"
        for seed, p, o in rows
    )
    mean = statistics.mean
    section = f"""{SECTION}

`python bench/bench_offline_rl.py --seeds {" ".join(map(str, args.seeds))} --steps {args.steps}` on {where}; load average at the end
{", ".join(f"{v:.1f}" for v in os.getloadavg())}. SimpleAgent (reach + avoid), PPO with the generated defaults, {args.steps:,} steps,
2 stand-in players; "with demos" adds behavioral cloning (strength 0.5, fading over the first
half; no GAIL, the default) from {args.episodes} episodes of the scripted expert
({demo["steps"]:,} steps; the expert's own success rate {demo["success_rate"]:.2f}). Evaluation: {EVAL_EPISODES} episodes, deterministic actions.

| seed | PPO: final training reward | PPO: eval reward | PPO: eval success | with demos: final training reward | with demos: eval reward | with demos: eval success |
| --- | --- | --- | --- | --- | --- | --- |
{table}

Mean eval success: {mean(p[2] for _, p, _ in rows):.2f} without demonstrations, {mean(o[2] for _, _, o in rows):.2f} with them.
"""
    publish(section, SECTION, args.write_docs)


if __name__ == "__main__":
    main()
