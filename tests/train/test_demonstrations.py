"""Offline RL: expert demonstrations recorded in the .demo format, checked, and used for training."""

from __future__ import annotations

import json

import pytest
import yaml

from mlops_unity_pipeline import RLTrainingConfig, UnityAssetSpec
from mlops_unity_pipeline.codegen import generate
from mlops_unity_pipeline.demos.record import record_demonstrations
from mlops_unity_pipeline.train import train
from mlops_unity_pipeline.train.demonstrations import DemonstrationError

from .conftest import make_build

pytestmark = pytest.mark.trainer


@pytest.fixture(scope="module")
def expert_demo(small_build, tmp_path_factory):
    generated, _ = small_build
    path = tmp_path_factory.mktemp("demos") / "expert.demo"
    summary = record_demonstrations(generated, 30, path, seed=1)
    assert summary["episodes"] == 30 and summary["success_rate"] >= 0.8
    return path


def test_recorded_demonstrations_drive_behavioral_cloning_and_gail(tmp_path, expert_demo):
    generated, build = make_build(
        tmp_path,
        max_steps=2000,
        use_offline_rl=True,
        demonstrations_path=str(expert_demo),
        gail_strength=0.05,
        hyperparameters={"batch_size": 64, "buffer_size": 512},
    )
    result = train(build, generated, tmp_path / "training")
    effective = yaml.safe_load((tmp_path / "training" / "trainer_config.yaml").read_text())
    behavior = effective["behaviors"]["SimpleAgent"]
    assert behavior["behavioral_cloning"]["demo_path"] == str(expert_demo)
    assert behavior["reward_signals"]["gail"]["demo_path"] == str(expert_demo)
    losses = result.metrics["final_losses"]
    assert "Losses/Pretraining Loss" in losses, sorted(losses)
    assert "Losses/GAIL Loss" in losses, sorted(losses)
    assert json.loads(result.metrics_path.read_text())["steps"] == 2000


def test_demos_override_points_training_at_another_file(small_build, tmp_path, expert_demo):
    generated, build = make_build(
        tmp_path, max_steps=3000, use_offline_rl=True, demonstrations_path=str(tmp_path / "not-yet-recorded.demo")
    )
    with pytest.raises(DemonstrationError, match="does not exist"):
        train(build, generated, tmp_path / "first")
    with pytest.raises(Exception, match="uses no demonstrations"):
        train(small_build[1], small_build[0], tmp_path / "second", demos=expert_demo)


def test_empty_or_mismatched_demonstrations_fail_before_training(tmp_path, expert_demo, trainer_env):
    empty = tmp_path / "empty.demo"
    empty.write_bytes(b"")
    generated, build = make_build(tmp_path / "a", use_offline_rl=True, demonstrations_path=str(empty))
    with pytest.raises(DemonstrationError, match="is empty"):
        train(build, generated, tmp_path / "a" / "training")
    assert not (tmp_path / "a" / "training" / "results").exists(), "nothing was trained"

    # Demonstrations of another behaviour (discrete actions, another name) do not fit this one.
    other = generate(
        UnityAssetSpec(
            asset_id="p-1",
            name="PatrolAgent",
            description="patrol waypoints",
            action_space={"type": "discrete", "branches": [5]},
        ),
        RLTrainingConfig(),
        tmp_path / "patrol",
    )
    wrong = record_demonstrations(other.out_dir, 2, tmp_path / "patrol.demo")["path"]
    generated, build = make_build(tmp_path / "b", use_offline_rl=True, demonstrations_path=wrong)
    with pytest.raises(DemonstrationError) as caught:
        train(build, generated, tmp_path / "b" / "training")
    message = str(caught.value)
    assert "recorded for behavior 'PatrolAgent', not 'SimpleAgent'" in message
    assert "expected continuous=2 discrete=[]" in message
