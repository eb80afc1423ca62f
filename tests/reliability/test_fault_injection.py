"""``kill -9`` at random moments of ``run``: nothing of the run stays alive, the registry verifies,
and running the job again finishes it.

Real stages throughout (codegen, the stand-in build, mlagents-learn, evaluation, the file registry)
on a tiny training budget: the job is run five times, each run killed a stage further on
(codegen, build, train, evaluate, register) at a random moment, then once more to the end. The
seed (``FAULT_SEED``, default 0) fixes the moments, so a failure can be replayed.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time

import pytest

from mlops_unity_pipeline import RLTrainingConfig, TrainingJob, UnityAssetSpec
from mlops_unity_pipeline.orchestrator import STAGES
from tests.conftest import run_cli

from .conftest import REPO_ROOT, processes_mentioning, wait_until

pytestmark = [pytest.mark.trainer, pytest.mark.slow]

JOB_ID = "faulty"
#: How long into each stage the kill may come: about as long as the stage takes on the tiny budget.
#: A stage that ends sooner is killed as it ends (:meth:`Run.wait_in_stage`), so that every run dies.
MOMENTS_S = {"codegen": 0.1, "build": 0.3, "train": 8.0, "evaluate": 0.5, "register": 0.1}


class Run:
    """``python -m mlops_unity_pipeline run`` in a subprocess, its progress lines collected as they come."""

    def __init__(self, job, work, registry, cache) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mlops_unity_pipeline",
                "run",
                str(job),
                "--work-dir",
                str(work),
                "--registry-dir",
                str(registry),
                "--eval-episodes",
                "2",
                "--backend",
                "standin",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO_ROOT,
            env={**os.environ, "PYTHONPATH": str(REPO_ROOT), "MLOPS_BUILD_CACHE": str(cache)},
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.append(line)

    def wait_for_stage(self, stage: str, timeout: float = 300) -> bool:
        """True once the stage has started; False if the run ended first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._said(f"[{JOB_ID}] {stage} ..."):
                return True
            if self.process.poll() is not None:
                self._reader.join(5)
                return self._said(f"[{JOB_ID}] {stage} ...")
            time.sleep(0.02)
        raise AssertionError(f"{stage} never started:\n{''.join(self.lines)[-3000:]}")

    def wait_in_stage(self, stage: str, seconds: float) -> None:
        """Wait ``seconds`` into the started ``stage``, or until it has ended, whichever comes first."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self._said(f"[{JOB_ID}] {stage} done"):
            time.sleep(0.005)

    def _said(self, text: str) -> bool:
        return any(text in line for line in self.lines)


def test_kill_9_at_random_moments_of_run_loses_nothing_and_leaves_nothing_running(tmp_path, trainer_env):
    rng = random.Random(int(os.environ.get("FAULT_SEED", "0")))
    job = tmp_path / "job.yaml"
    TrainingJob(
        job_id=JOB_ID,
        asset_spec=UnityAssetSpec(asset_id="fault-1", name="SimpleAgent", description="Reach target position"),
        rl_config=RLTrainingConfig(max_steps=2048, num_envs=1, num_areas=4, summary_freq=512, checkpoint_interval=1024),
    ).dump(job)
    work, registry, cache = tmp_path / "work", tmp_path / "registry", tmp_path / "cache"
    killed_in = []
    for stage in STAGES:  # each run resumes the one killed before it, and is killed a stage further on
        run = Run(job, work, registry, cache)
        try:
            reached = run.wait_for_stage(stage)
            if reached and run.process.poll() is None:
                run.wait_in_stage(stage, rng.uniform(0.0, MOMENTS_S[stage]))
        finally:
            run.process.send_signal(signal.SIGKILL)
            run.process.wait()
        if run.process.returncode == -signal.SIGKILL:
            killed_in.append(stage)
        assert wait_until(lambda: not processes_mentioning(str(tmp_path)), 60), (
            f"after kill -9 in {stage}: {processes_mentioning(str(tmp_path))}"
        )
        models = run_cli("models", "list", "--registry", registry)
        assert models.returncode == 0 and "Traceback" not in models.stderr, models.stderr
        for name in models.stdout.split():
            verified = run_cli("models", "verify", name, "--registry", registry)
            assert verified.returncode == 0, f"after kill -9 in {stage}: {verified.stdout}{verified.stderr}"
    assert len(killed_in) >= 3, f"runs were killed in {killed_in} only"

    final = Run(job, work, registry, cache)
    final.process.wait(timeout=600)
    final._reader.join(10)
    output = "".join(final.lines)
    record = json.loads((work / JOB_ID / "metrics.json").read_text())
    if final.process.returncode == 2:  # a kill after the job's record was written: it had already succeeded
        assert f"job_id '{JOB_ID}' already succeeded" in output
    else:
        assert final.process.returncode == 0, output[-3000:]
    assert record["status"] == "succeeded" and record["model_uri"].startswith(registry.as_uri())
    assert run_cli("models", "verify", "SimpleAgent", "--registry", registry).returncode == 0
    assert not processes_mentioning(str(tmp_path))
