"""Several training seeds in a local run: real mlagents-learn for each seed, selection on episodes of
their own, the chosen seed gated against a real champion on fresh episodes, every seed in the registry.

The champion is the quick-start policy mlagents-learn trained (tests/serving/data), registered first.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest
import yaml
from trained_policy import TRAINED

from mlops_unity_pipeline import RLTrainingConfig, TrainingJob, UnityAssetSpec, UnityMLOpsOrchestrator
from mlops_unity_pipeline.build import build
from mlops_unity_pipeline.codegen import generate
from mlops_unity_pipeline.evaluate.stage import evaluate
from mlops_unity_pipeline.registry import FileRegistry, register_model
from mlops_unity_pipeline.seeds.selection import SELECTION_EPISODE_SEED
from tests.conftest import TINY_RL

pytestmark = pytest.mark.trainer

REPO_ROOT = Path(__file__).resolve().parents[2]
ASSET = REPO_ROOT / "examples" / "simple_agent" / "asset_spec.yaml"


def tiny_rl_config(seed: int) -> RLTrainingConfig:
    """TINY_PPO as an RL config: one policy update, a small network."""
    return RLTrainingConfig(**TINY_RL, seed=seed)


def register_champion(root: Path, registry: Path) -> None:
    """File the trained quick-start policy as SimpleAgent's champion, as a run of it would have."""
    generate(UnityAssetSpec.load(ASSET), RLTrainingConfig.load(TRAINED / "rl_config.yaml"), root / "generated")
    build(root / "generated", root / "build", backend="standin")
    training = root / "training"
    training.mkdir()
    shutil.copy(TRAINED / "model.onnx", training / "policy.onnx")
    (training / "metrics.json").write_text(json.dumps({"steps": 100000}))
    evaluate(training / "policy.onnx", root / "build", root / "generated", 20, root / "evaluation")
    register_model(
        training / "policy.onnx",
        root / "generated",
        training,
        root / "evaluation",
        job_id="champion",
        model_name="SimpleAgent",
        registry_dir=registry,
    )


def test_two_seeds_train_the_chosen_one_is_gated_on_fresh_episodes_and_both_are_recorded(tmp_path) -> None:
    registry = tmp_path / "registry"
    register_champion(tmp_path / "champion", registry)
    job = TrainingJob(job_id="seeds", asset_spec=UnityAssetSpec.load(ASSET), rl_config=tiny_rl_config(seed=5))
    runner = UnityMLOpsOrchestrator(
        work_dir=tmp_path / "work", registry_dir=registry, eval_episodes=20, training_seeds=2, seed_selection="best"
    )
    result = asyncio.run(runner.execute_training_job(job))
    assert result.succeeded, result.error

    assert list(result.stage_durations_s) == ["codegen", "build", "train", "select", "evaluate", "register"]
    seeds_dir = result.run_dir / "seeds"
    for k, seed in enumerate((5, 6)):
        effective = yaml.safe_load((seeds_dir / str(k) / "training" / "trainer_config.yaml").read_text())
        assert effective["env_settings"]["seed"] == seed
    selection = json.loads((seeds_dir / "seed_selection.json").read_text())
    assert [seed["training_seed"] for seed in selection["seeds"]] == [5, 6]
    assert selection["episode_seed"] == SELECTION_EPISODE_SEED and selection["episodes"] == 20
    chosen = selection["seeds"][selection["chosen"]]
    values = [seed["metrics"]["mean_reward"] for seed in selection["seeds"]]
    assert chosen["metrics"]["mean_reward"] == max(values)
    assert result.training_dir.resolve() == Path(chosen["training"])
    assert result.seed_selection == selection and result.metrics["steps"] == TINY_RL["max_steps"]

    version = FileRegistry(registry).get("SimpleAgent", 2)
    assert version.metadata["seed_selection"] == selection
    assert version.metadata["evaluation"]["seed"] == 0 != selection["episode_seed"]
    gate = version.metadata["quality_gate"]
    assert gate["method"] == "paired" and gate["champion_version"] == "1", gate["reason"]
    assert version.model_path.read_bytes() == (Path(chosen["training"]) / "policy.onnx").read_bytes()
    assert f"Training seed {chosen['training_seed']} (chosen)" in (result.run_dir / "quality_gate.html").read_text()
    saved = json.loads(result.metrics_path.read_text())
    assert saved["seed_selection"]["chosen"] == selection["chosen"]
