"""A retried train task resumes: its checkpoints live under the pipeline root, per run and asset.

Real training (mlagents-learn against the stand-in player). The first attempt is the stage
command the component runs, killed with SIGKILL after its first checkpoint as a preempted VM
would be; the retry is the train component itself, run as kfp.local runs a container, with a
new output folder as every attempt of a task gets.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from kfp import dsl

from components.train import train
from mlops_unity_pipeline import RLTrainingConfig, UnityAssetSpec
from mlops_unity_pipeline.build import build as build_player
from mlops_unity_pipeline.codegen import generate
from mlops_unity_pipeline.evaluate.champion_folder import save_champion

from .local_run import run_component

pytestmark = [pytest.mark.trainer, pytest.mark.slow]


def test_a_retried_train_task_resumes_from_the_checkpoints_of_the_attempt_that_died(
    tmp_path: Path, trainer_env
) -> None:
    generated, build = tmp_path / "generated", tmp_path / "build"
    asset = UnityAssetSpec(
        asset_id="test-001", name="SimpleAgent", description="Reach target position while avoiding obstacles"
    )
    generate(
        asset, RLTrainingConfig(max_steps=6000, num_envs=1, summary_freq=1000, checkpoint_interval=2000), generated
    )
    build_player(generated, build, backend="standin", log=lambda _: None)
    pipeline_root = tmp_path / "root"
    checkpoints = pipeline_root / "checkpoints" / "run-1" / "test-001"
    first_out = tmp_path / "attempt-1" / "training"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mlops_unity_pipeline",
            "--timeout",
            "600s",
            "train",
            "--build",
            str(build),
            "--generated",
            str(generated),
            "--out",
            str(first_out),
            "--checkpoints",
            str(checkpoints),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    saved_dir = checkpoints / "results" / "run" / "SimpleAgent"
    deadline = time.monotonic() + 300
    while not list(saved_dir.glob("SimpleAgent-*.pt")) and time.monotonic() < deadline:
        assert process.poll() is None, "training ended before it could be interrupted"
        time.sleep(0.5)
    assert list(saved_dir.glob("SimpleAgent-*.pt")), "no checkpoint was written in time"
    os.killpg(process.pid, signal.SIGKILL)  # the whole task, as a preempted VM: no clean-up at all
    process.wait()
    assert not first_out.exists(), "the dead attempt published nothing"

    env = {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    arguments = {
        "generated": dsl.Artifact(name="generated", uri=str(generated), metadata={}),
        "player": dsl.Artifact(name="player", uri=str(build), metadata={}),
        "champion": dsl.Artifact(name="champion", uri=str(save_champion(None, tmp_path / "champion")), metadata={}),
        "demonstrations_uri": "",
        "pipeline_root": str(pipeline_root),
        "run_id": "run-1",
        "asset_id": "test-001",
        "seed": 0,
        "seed_index": 0,
        "timeout": "600s",
    }
    outputs = run_component(train, arguments, tmp_path / "kfp-root", env, timeout=660)

    training = Path(outputs["training"].path)
    metrics = json.loads((training / "metrics.json").read_text())
    assert (metrics["attempts"], metrics["steps"]) == (2, 6000), {
        k: v for k, v in metrics.items() if k != "reward_curve"
    }
    assert "Resuming" in (training / "trainer.log").read_text()
    assert outputs["metrics"].metadata["steps"] == 6000
    assert Path(outputs["model"].path) == training / "policy.onnx" and Path(outputs["model"].path).is_file()
