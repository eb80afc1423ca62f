"""A player the pipeline did not generate: its behaviour is read at the handshake, and a trainer config
or an ONNX policy that does not fit it is refused with a clear error before training.

The player is a stand-in built from an asset spec whose codegen output and the build folder's
``behavior.json`` are then deleted, so nothing but the player itself says what it is (as with a
user's own Unity build); the real mlagents-learn then trains it with the user's own trainer config.
"""

from __future__ import annotations

import shutil

import pytest
import yaml

from mlops_unity_pipeline.behavior.spec import BEHAVIOR_FILE
from mlops_unity_pipeline.evaluate.stage import EvaluationError, evaluate_existing
from mlops_unity_pipeline.onnx_policy import PolicyMismatchError, check_policy
from mlops_unity_pipeline.player_spec import (
    PlayerSpec,
    PlayerSpecError,
    check_trainer_config,
    player_behavior,
    probe_player,
)
from mlops_unity_pipeline.train.stage import train_existing
from tests.conftest import TINY_PPO


@pytest.fixture
def hidden_player(player_for, tmp_path):
    """A turning agent's stand-in player with its behaviour description removed from the pipeline's view."""
    asset = tmp_path / "asset.yaml"
    asset.write_text(
        yaml.safe_dump(
            {
                "asset_id": "own-001",
                "name": "Own Rover",
                "description": "Reach the target",
                "observation_space": {"raycast": 5, "velocity": 2},
                "action_space": {"type": "discrete", "branches": [3, 2], "meanings": ["turn", "forward"]},
            }
        )
    )
    rl = tmp_path / "rl.yaml"
    rl.write_text("max_steps: 2048\n")
    executable = player_for(asset, rl, tmp_path)
    shutil.rmtree(tmp_path / "generated")
    (executable.parent / BEHAVIOR_FILE).unlink()
    return executable


@pytest.mark.slow
def test_a_hidden_player_is_read_at_the_handshake_and_trains_with_the_users_config(
    hidden_player, learn, base_port, onnx_policy, codegen_dir, tmp_path
):
    (player,) = probe_player(hidden_player)
    # 5 rays + velocity 2 + the reach task's target_direction 2, as the Agent sends them.
    assert player == PlayerSpec("OwnRover", ((9,),), 0, (3, 2))
    assert player_behavior([player], "OwnRover", hidden_player) is player
    with pytest.raises(
        PlayerSpecError, match=r"behavior_name 'Rover': the player .* has no such behaviour; it has 'OwnRover'"
    ):
        player_behavior([player], "Rover", hidden_player)

    config = tmp_path / "training_config.yaml"
    config.write_text(yaml.safe_dump({"behaviors": {"OwnRover": TINY_PPO}}))
    check_trainer_config(config, player)
    result = learn(yaml.safe_load(config.read_text()), hidden_player, base_port, "--num-areas", "4")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    check_policy(tmp_path / "results" / "run" / "OwnRover.onnx", player)

    from mlops_unity_pipeline.behavior import BehaviorSpec

    walker = BehaviorSpec.load(codegen_dir("Walker", action_space={"type": "continuous", "size": 2}))
    with pytest.raises(PolicyMismatchError) as caught:
        check_policy(onnx_policy(walker, tmp_path / "walker.onnx"), player)
    assert "input 'obs_0' has shape ['batch', 12]; expected [batch, 9]" in str(caught.value)
    assert "output 'discrete_actions' is missing" in str(caught.value)


@pytest.mark.slow
def test_the_train_and_evaluate_stages_run_a_hidden_player_with_the_users_config(hidden_player, tmp_path):
    config = tmp_path / "training_config.yaml"
    config.write_text(yaml.safe_dump({"behaviors": {"OwnRover": TINY_PPO}, "env_settings": {"num_envs": 1}}))
    trained = train_existing(hidden_player, config, "OwnRover", tmp_path / "training")
    assert trained.policy_path.is_file() and trained.metrics["steps"] >= 1024
    check_policy(trained.policy_path, PlayerSpec("OwnRover", ((9,),), 0, (3, 2)))

    report = evaluate_existing(trained.policy_path, hidden_player, "OwnRover", 4, tmp_path / "evaluation")
    assert report.backend == "unity" and len(report.episodes) == 4
    assert (tmp_path / "evaluation" / "eval_metrics.json").is_file()
    with pytest.raises(EvaluationError, match="the player .* has no behaviour 'Rover'; it has 'OwnRover'"):
        evaluate_existing(trained.policy_path, hidden_player, "Rover", 1, tmp_path / "nowhere")

    other = tmp_path / "other_config.yaml"
    other.write_text(yaml.safe_dump({"behaviors": {"Walker": TINY_PPO}}))
    with pytest.raises(PlayerSpecError, match="behaviors names 'Walker', but the player's behaviour is 'OwnRover'"):
        train_existing(hidden_player, other, "OwnRover", tmp_path / "refused")
    assert not (tmp_path / "refused").exists(), "refused before training: nothing written"


def test_a_trainer_config_naming_another_behaviour_is_refused(tmp_path):
    config = tmp_path / "training_config.yaml"
    config.write_text(yaml.safe_dump({"behaviors": {"Walker": TINY_PPO}}))
    player = PlayerSpec("OwnRover", ((9,),), 0, (3, 2))
    with pytest.raises(PlayerSpecError) as caught:
        check_trainer_config(config, player)
    assert str(caught.value) == (
        f"{config}: behaviors names 'Walker', but the player's behaviour is 'OwnRover'; "
        "configure 'OwnRover' under behaviors"
    )
    config.write_text("behaviors: [oops\n")
    with pytest.raises(PlayerSpecError, match="not a readable trainer config"):
        check_trainer_config(config, player)


def test_probing_a_missing_player_says_so(tmp_path):
    with pytest.raises(PlayerSpecError, match="no player there; build it first"):
        probe_player(tmp_path / "Missing.x86_64")
