"""Several training seeds in the compiled pipeline, run with kfp.local: the nested seeds loop, select-seed
on the loop's ``dsl.Collected`` training folders, and the chosen seed gated and registered.

The pipeline is compiled and run by ``compile.py --run-local``, the documented command, so kfp.local
itself orchestrates the DAG: loops, fan-in, executor inputs and outputs, artifact passing. Only the
container is replaced: each task's command runs here as a subprocess, with this environment's
Python and trainer environment, instead of in Docker (tests/pipeline_local runs the images); real
mlagents-learn trains each seed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mlops_unity_pipeline.pipeline_root import CHECKPOINTS
from mlops_unity_pipeline.seeds import MAX_TRAINING_SEEDS, SELECTION_RULES
from mlops_unity_pipeline.seeds.selection import SELECTION_EPISODE_SEED
from mlops_unity_pipeline.validation import validator_for
from tests.conftest import TINY_PPO

REPO_ROOT = Path(__file__).resolve().parents[2]
MODEL = "unity-mlops-policy-test-001"


@pytest.fixture
def containers_as_subprocesses(monkeypatch: pytest.MonkeyPatch) -> None:
    """kfp.local's DockerRunner runs each task's command here instead of in its image."""
    from kfp.local import docker_task_handler, status

    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(REPO_ROOT),
    }

    def run(handler) -> status.Status:
        process = subprocess.run(
            handler.full_command, env=environment, capture_output=True, text=True, check=False, timeout=600
        )
        print(process.stdout + process.stderr)
        return status.Status.SUCCESS if process.returncode == 0 else status.Status.FAILURE

    monkeypatch.setattr(docker_task_handler.DockerTaskHandler, "run", run)


def parameters(path: Path, registry: Path) -> Path:
    path.write_text(
        yaml.safe_dump(
            {
                "rl_config": {
                    "max_steps": TINY_PPO["max_steps"],
                    "num_envs": 1,
                    "seed": 3,
                    "time_horizon": TINY_PPO["time_horizon"],
                    "summary_freq": TINY_PPO["summary_freq"],
                    "hyperparameters": TINY_PPO["hyperparameters"],
                    "network_settings": TINY_PPO["network_settings"],
                },
                "build_backend": "standin",
                "eval_episodes": 20,
                "registry_dir": str(registry),
                "training_seeds": 2,
                "seed_selection": "median",
            }
        )
    )
    return path


@pytest.mark.trainer
def test_two_seeds_fan_out_and_the_selected_one_is_gated_on_fresh_episodes(
    tmp_path, containers_as_subprocesses, capsys
) -> None:
    from compile import main

    root, registry = tmp_path / "root", tmp_path / "registry"
    status = main(
        [
            "--run-local",
            "--local-root",
            str(root),
            "--output",
            str(tmp_path / "local.yaml"),
            "--parameters",
            str(parameters(tmp_path / "params.yaml", registry)),
            "--asset-spec",
            str(REPO_ROOT / "examples" / "simple_agent" / "asset_spec.yaml"),
        ]
    )
    output = capsys.readouterr().out
    assert status == 0, output[-6000:]

    (run,) = [path for path in root.iterdir() if path.is_dir() and path.name != CHECKPOINTS]
    trainings = sorted(run.glob("for-loop-*/for-loop-*/train/training"))
    assert len(trainings) == 2
    seeds = sorted(yaml.safe_load((t / "trainer_config.yaml").read_text())["env_settings"]["seed"] for t in trainings)
    assert seeds == [3, 4]
    (checkpoints,) = (root / CHECKPOINTS).iterdir()  # <run id>/: the first seed in <asset>, the second beside it
    assert sorted(path.name for path in checkpoints.iterdir()) == ["test-001", "test-001.seed-1"]

    (selection_dir,) = run.glob("for-loop-*/select-seed/selection")
    selection = json.loads((selection_dir / "seed_selection.json").read_text())
    assert selection["rule"] == "median" and selection["episode_seed"] == SELECTION_EPISODE_SEED
    assert sorted(seed["training_seed"] for seed in selection["seeds"]) == [3, 4]
    values = sorted(seed["metrics"]["mean_reward"] for seed in selection["seeds"])
    chosen = selection["seeds"][selection["chosen"]]
    assert chosen["metrics"]["mean_reward"] == values[0]  # the median of two: the lower one

    (evaluation,) = run.glob("for-loop-*/evaluate/evaluation/eval_metrics.json")
    report = json.loads(evaluation.read_text())
    assert report["seed"] == 0 != selection["episode_seed"] and report["seed_selection"] == selection
    assert report["model_sha256"] == chosen["model_sha256"]

    registered = registry / MODEL / "versions" / "1"
    metadata = json.loads((registered / "metadata.json").read_text())
    assert metadata["seed_selection"] == selection and metadata["evaluation"]["seed"] == 0
    assert (registered / "model.onnx").read_bytes() == (Path(chosen["training"]) / "policy.onnx").read_bytes()


def test_the_parameters_schema_allows_what_the_seed_settings_allow() -> None:
    properties = validator_for("pipeline_parameters").schema["properties"]
    assert (
        properties["training_seeds"]["maximum"] == MAX_TRAINING_SEEDS and properties["training_seeds"]["minimum"] == 1
    )
    assert tuple(properties["seed_selection"]["enum"]) == SELECTION_RULES
