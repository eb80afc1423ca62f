"""What the training benchmarks share: the SimpleAgent player, a ready trainer environment and one job's figures."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from process_cpu import TreeCPU
from report import REPO

from mlops_unity_pipeline import TrainingJob, UnityMLOpsOrchestrator, trainer_env
from mlops_unity_pipeline.build import build

SIMPLE_AGENT = REPO / "examples" / "simple_agent"


def simple_agent_player(scratch: Path) -> Path:
    """The seed's SimpleAgent through codegen and the standin build; returns the executable."""
    generated = scratch / "generated"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mlops_unity_pipeline",
            "codegen",
            "--asset-spec",
            str(SIMPLE_AGENT / "asset_spec.yaml"),
            "--rl-config",
            str(SIMPLE_AGENT / "rl_config.yaml"),
            "--out",
            str(generated),
        ],
        check=True,
        capture_output=True,
        cwd=REPO,
    )
    return build(generated, scratch / "build", backend="standin", log=lambda _: None).executable


def require_trainer_env() -> trainer_env.TrainerEnv:
    env = trainer_env.locate()
    if env is None:
        sys.exit("no trainer environment is ready: run 'make trainer-env' first")
    return env


def run_job(job: TrainingJob, scratch: Path, eval_episodes: int) -> dict:
    """Run ``job`` through UnityMLOpsOrchestrator in ``scratch``; its training and evaluation figures.

    ``job_s`` and ``job_cpu_s`` are the whole job's wall time and the CPU time of every process
    it ran (:mod:`process_cpu`)."""
    orchestrator = UnityMLOpsOrchestrator(
        work_dir=scratch / "runs",
        registry_dir=scratch / "registry",
        eval_episodes=eval_episodes,
        progress=lambda _: None,
    )
    with TreeCPU() as cpu:
        result = asyncio.run(orchestrator.execute_training_job(job))
    if not result.succeeded:
        raise SystemExit(f"{job.job_id}: {result.failed_stage} failed: {result.error}")
    return {
        "seed": job.rl_config.seed,
        "job_s": cpu.wall_s,
        "job_cpu_s": cpu.total_s,
        "train_s": result.stage_durations_s["train"],
        "steps_per_s": result.metrics["steps_per_second"],
        "final_reward": result.metrics["final_mean_reward"],
        "train_success": result.metrics["final_success_rate"],
        "eval_reward": result.eval_metrics["mean_reward"],
        "eval_success": result.eval_metrics["success_rate"],
        "device": result.metrics["device"],
        "players": "{num_envs} × {num_areas} areas".format(**result.metrics["players"]),
    }
