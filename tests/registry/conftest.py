"""Stage folders (codegen, training, evaluation) for registering real ONNX files."""

from __future__ import annotations

import json
import shutil

import pytest

from mlops_unity_pipeline.behavior import BehaviorSpec
from mlops_unity_pipeline.codegen.manifest import sha256_file
from mlops_unity_pipeline.evaluation_report import Episode, EvaluationReport


@pytest.fixture
def make_run(tmp_path, codegen_dir, onnx_policy):
    """``make_run(job_id, mean_reward, seed)`` → ``register_model``'s keyword arguments for a new run folder.

    The folder holds generated/, training/ (``policy.onnx``, ``metrics.json``) and evaluation/.
    The ONNX file is real (see ``build_onnx_policy``); the evaluation report holds two episodes
    whose mean is ``mean_reward``, so tests choose what the quality gate sees.
    """
    generated = codegen_dir("Reacher")
    spec = BehaviorSpec.load(generated)

    def make(job_id: str, mean_reward: float, seed: int = 0, model_name: str = "reacher") -> dict:
        run = tmp_path / "runs" / job_id
        shutil.copytree(generated, run / "generated")
        policy = onnx_policy(spec, run / "training" / "policy.onnx", seed=seed)
        (run / "training" / "metrics.json").write_text(json.dumps({"final_mean_reward": mean_reward, "steps": 1000}))
        episodes = (Episode(mean_reward - 1.0, 40, False), Episode(mean_reward + 1.0, 20, True))
        EvaluationReport(spec.behavior_name, sha256_file(policy), "standin", 0, episodes).write(run / "evaluation")
        return {
            "model": policy,
            "generated": run / "generated",
            "training": run / "training",
            "evaluation": run / "evaluation",
            "job_id": job_id,
            "model_name": model_name,
        }

    return make
