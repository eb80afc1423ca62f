"""The pipeline's train task refuses, before mlagents-learn starts, what would waste its training budget.

The train component runs its real stage command (kfp's local machinery, no container): for an
existing behaviour, a trainer config that names another behaviour than the player's; for any
asset, a registered champion (the champion task's output) whose observation or action shapes
differ from the player's, which the paired quality gate would run on it after training.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from kfp import dsl

from components.train import train
from mlops_unity_pipeline import RLTrainingConfig, UnityAssetSpec
from mlops_unity_pipeline.behavior.derive import derive_behavior
from mlops_unity_pipeline.behavior.spec import BEHAVIOR_FILE
from mlops_unity_pipeline.build import build
from mlops_unity_pipeline.build.existing import build_existing
from mlops_unity_pipeline.build.records import ExistingBehavior, write_existing_record
from mlops_unity_pipeline.codegen import generate
from mlops_unity_pipeline.evaluate.champion_folder import save_champion
from mlops_unity_pipeline.evaluation_report import ChampionModel
from mlops_unity_pipeline.layouts import ChampionLayout
from tests.conftest import TINY_PPO, build_onnx_policy

from .local_run import run_component

pytestmark = pytest.mark.trainer

ROVER = UnityAssetSpec(
    asset_id="own-001",
    name="Own Rover",
    description="Reach the target",
    action_space={"type": "discrete", "branches": [3, 2], "meanings": ["turn", "forward"]},
)


@pytest.fixture
def existing_player(tmp_path, monkeypatch):
    """The codegen record and build output of an existing behaviour whose player hides what it is."""
    monkeypatch.setenv("MLOPS_BUILD_CACHE", str(tmp_path / "build-cache"))
    generate(ROVER, RLTrainingConfig(), tmp_path / "hidden-generated")
    hidden = build(tmp_path / "hidden-generated", tmp_path / "hidden", backend="standin", log=lambda _: None).executable
    shutil.rmtree(tmp_path / "hidden-generated")
    (hidden.parent / BEHAVIOR_FILE).unlink()
    project = tmp_path / "MyUnityGame"
    project.mkdir()
    (project / "training_config.yaml").write_text(yaml.safe_dump({"behaviors": {"OwnRover": TINY_PPO}}))
    (project / "walker_config.yaml").write_text(yaml.safe_dump({"behaviors": {"Walker": TINY_PPO}}))

    def record(trainer_config: str) -> tuple[Path, Path]:
        existing = {
            "unity_project": str(project),
            "behavior_name": "OwnRover",
            "trainer_config": trainer_config,
            "player": "Builds/OwnRover.x86_64",
            "build_command": f"cp -r {hidden.parent} Builds",
        }
        generated = tmp_path / f"generated-{trainer_config}"
        write_existing_record("own-001", existing, generated)
        player = tmp_path / f"player-{trainer_config}"
        build_existing(ExistingBehavior.from_spec(existing), player)
        return generated, player

    return record


def run_train(tmp_path: Path, generated: Path, player: Path, champion: Path) -> None:
    arguments = {
        "generated": dsl.Artifact(name="generated", uri=str(generated), metadata={}),
        "player": dsl.Artifact(name="player", uri=str(player), metadata={}),
        "champion": dsl.Artifact(name="champion", uri=str(champion), metadata={}),
        "demonstrations_uri": "",
        "pipeline_root": str(tmp_path / "root"),
        "run_id": "run-1",
        "asset_id": "own-001",
        "seed": 0,
        "seed_index": 0,
        "timeout": "600s",
    }
    env = {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    run_component(train, arguments, tmp_path / "kfp-root", env, timeout=660)


def test_a_trainer_config_for_another_behaviour_fails_before_training(tmp_path, existing_player):
    generated, player = existing_player("walker_config.yaml")
    with pytest.raises(
        AssertionError,
        match=re.escape(
            "behaviors names 'Walker', but the player's behaviour is 'OwnRover'; configure 'OwnRover' under behaviors"
        ),
    ):
        run_train(tmp_path, generated, player, save_champion(None, tmp_path / "no-champion"))
    assert not list((tmp_path / "root").rglob("results"))  # mlagents-learn never started


def test_a_champion_of_other_shapes_fails_before_training_naming_both(tmp_path, existing_player):
    """The champion of the model was trained for SimpleAgent's continuous actions; the player now has branches [3, 2]."""
    generated, player = existing_player("training_config.yaml")
    other = derive_behavior(UnityAssetSpec(asset_id="own-001", name="Own Rover", description="Reach the target"))
    policy = build_onnx_policy(other, tmp_path / "registered" / ChampionLayout.MODEL)
    champion = save_champion(ChampionModel("3", policy), tmp_path / "champion")
    with pytest.raises(AssertionError) as failure:
        run_train(tmp_path, generated, player, champion)
    message = str(failure.value)
    assert (
        "the registered champion (version 3) does not fit the behaviour 'OwnRover': observations [12]; "
        "continuous actions 0, discrete branches [3, 2]" in message
    )
    assert "output 'continuous_actions' present but the behaviour has no continuous actions" in message
    assert "output 'discrete_actions' is missing" in message and "nothing was trained" in message
    assert not list((tmp_path / "root").rglob("results"))
