"""An existing behaviour end to end through UnityMLOpsOrchestrator and the command line.

The team's "Unity project" is a folder whose build command copies in a player the pipeline did
not generate: a stand-in built from an asset spec whose codegen output and ``behavior.json`` are
then deleted, so only the player itself says what it is. Codegen is skipped; the project's build
runs; training uses the team's own trainer config after the handshake checks it; evaluation runs
through the player; registration stores the behaviour the player declared. A generated agent
runs in the same event loop beside it.
"""

from __future__ import annotations

import asyncio
import json
import shutil

import pytest
import yaml

from mlops_unity_pipeline import RLTrainingConfig, TrainingJob, UnityAssetSpec, UnityMLOpsOrchestrator
from mlops_unity_pipeline.behavior.spec import BEHAVIOR_FILE
from mlops_unity_pipeline.build import build
from mlops_unity_pipeline.codegen import generate
from tests.conftest import TINY_PPO, run_cli

pytestmark = pytest.mark.trainer

SMALL = RLTrainingConfig(
    max_steps=1024, num_envs=1, num_areas=4, summary_freq=512, hyperparameters={"buffer_size": 512, "batch_size": 64}
)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A Unity project stand-in: its build copies a hidden player into Builds/; its own trainer config."""
    monkeypatch.setenv("MLOPS_BUILD_CACHE", str(tmp_path / "build-cache"))
    hidden = hidden_player(tmp_path, [3, 2])
    root = tmp_path / "MyUnityGame"
    root.mkdir()
    (root / "training_config.yaml").write_text(yaml.safe_dump({"behaviors": {"OwnRover": TINY_PPO}}))
    (root / "walker_config.yaml").write_text(yaml.safe_dump({"behaviors": {"Walker": TINY_PPO}}))
    return root, hidden


def hidden_player(folder, branches: list[int]):
    """A stand-in player of OwnRover with these action branches, its codegen output and behavior.json deleted."""
    meanings = ["turn", "forward", "sprint"][: len(branches)]
    asset = UnityAssetSpec(
        asset_id="own-001",
        name="Own Rover",
        description="Reach the target",
        action_space={"type": "discrete", "branches": branches, "meanings": meanings},
    )
    generated = folder / "generated"
    generate(asset, SMALL, generated)
    player = build(generated, folder / "hidden", backend="standin", log=lambda _: None).executable
    shutil.rmtree(generated)
    (player.parent / BEHAVIOR_FILE).unlink()
    return player.parent


def existing_job(job_id: str, root, hidden, config: str = "training_config.yaml") -> TrainingJob:
    asset = UnityAssetSpec(
        asset_id="own-001",
        name="Own Rover",
        existing={
            "unity_project": str(root),
            "behavior_name": "OwnRover",
            "trainer_config": config,
            "player": "Builds/Rover/OwnRover.x86_64",
            "build_command": f"mkdir -p Builds && rm -rf Builds/Rover && cp -r {hidden} Builds/Rover",
        },
    )
    return TrainingJob(job_id=job_id, asset_spec=asset, rl_config=SMALL)


def test_an_existing_and_a_generated_agent_train_evaluate_and_register_in_one_run(tmp_path, project):
    root, hidden = project
    runner = UnityMLOpsOrchestrator(work_dir=tmp_path / "work", registry_dir=tmp_path / "registry", eval_episodes=4)
    generated_job = TrainingJob(
        job_id="generated",
        rl_config=SMALL,
        asset_spec=UnityAssetSpec(asset_id="gen-001", name="Seeker", description="Reach the target"),
    )

    async def both():
        return await asyncio.gather(
            runner.execute_training_job(existing_job("existing", root, hidden)),
            runner.execute_training_job(generated_job),
        )

    existing, generated = asyncio.run(both())
    assert (existing.status, generated.status) == ("succeeded", "succeeded"), (existing.error, generated.error)
    assert "codegen" not in existing.stage_durations_s and "codegen" in generated.stage_durations_s
    assert not existing.generated_dir.exists()
    assert existing.model_uri == f"file://{tmp_path / 'registry'}/OwnRover/versions/1"
    version = tmp_path / "registry" / "OwnRover" / "versions" / "1"
    assert json.loads((version / "player.json").read_text()) == {
        "behavior_name": "OwnRover",
        "observation_shapes": [[12]],
        "continuous_size": 0,
        "discrete_branches": [3, 2],
    }
    metadata = json.loads((version / "metadata.json").read_text())
    assert metadata["behavior_name"] == "OwnRover" and metadata["evaluation"]["backend"] == "unity"
    assert metadata["trainer_config"]["behaviors"]["OwnRover"]["max_steps"] == 1024
    assert (tmp_path / "registry" / "Seeker" / "versions" / "1" / BEHAVIOR_FILE).is_file()

    # The team changes its Agent (a third action branch): the champion just registered no longer fits the
    # player, and the paired gate would run it there after training, so the job stops before training.
    reshaped_root = tmp_path / "reshaped"
    reshaped_root.mkdir()
    reshaped = hidden_player(reshaped_root, [3, 2, 2])
    changed = asyncio.run(runner.execute_training_job(existing_job("reshaped", root, reshaped)))
    assert (changed.status, changed.failed_stage) == ("failed", "train")
    assert (
        "the registered champion (version 1) does not fit the behaviour 'OwnRover': observations [12]; "
        "continuous actions 0, discrete branches [3, 2, 2]"
    ) in changed.error
    assert "output 'discrete_actions' has shape ['batch', 2]; expected [batch, 3]" in changed.error
    assert not (changed.training_dir / "results").exists()


def test_a_trainer_config_for_another_behaviour_fails_before_training_on_the_command_line(tmp_path, project):
    root, hidden = project
    job = tmp_path / "job.yaml"
    existing_job("wrong-config", root, hidden, config="walker_config.yaml").dump(job)
    result = run_cli("run", job, "--work-dir", tmp_path / "work", "--registry-dir", tmp_path / "registry", timeout=600)
    assert result.returncode != 0
    assert "behaviors names 'Walker', but the player's behaviour is 'OwnRover'" in result.stdout + result.stderr
    assert not (tmp_path / "work" / "wrong-config" / "training" / "results").exists()
