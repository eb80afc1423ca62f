"""The seed's input types: defaults, JSON/YAML round trips and schema validation messages."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mlops_unity_pipeline import (
    RLTrainingConfig,
    SpecValidationError,
    TrainingJob,
    TrainingSchedule,
    UnityAssetSpec,
)
from mlops_unity_pipeline.specs import DEFAULT_ACTION_SPACE, DEFAULT_OBSERVATION_SPACE


def quickstart_asset() -> UnityAssetSpec:
    return UnityAssetSpec(
        asset_id="test-001",
        name="SimpleAgent",
        asset_type="behavior",
        description="Reach target position while avoiding obstacles",
        observation_space={"raycast": 8, "velocity": 2},
        action_space={"type": "continuous", "size": 2},
    )


def test_asset_without_spaces_gets_documented_defaults():
    asset = UnityAssetSpec(asset_id="patrol-001", name="PatrolAgent", asset_type="behavior", description="Patrol")
    assert asset.observation_space == DEFAULT_OBSERVATION_SPACE == {"raycast": 8, "velocity": 2}
    assert asset.action_space == DEFAULT_ACTION_SPACE == {"type": "continuous", "size": 2}
    # Defaults are copies: changing one asset's space never changes another's.
    asset.observation_space["position"] = 2
    assert UnityAssetSpec(asset_id="a", name="b").observation_space == {"raycast": 8, "velocity": 2}


def test_rl_config_defaults_match_the_seed_fields():
    config = RLTrainingConfig()
    assert (config.algorithm, config.use_offline_rl, config.demonstrations_path) == ("PPO", False, None)
    quick = RLTrainingConfig(algorithm="PPO", max_steps=100_000, num_envs=8, time_scale=20.0)
    assert (quick.max_steps, quick.num_envs, quick.time_scale) == (100_000, 8, 20.0)


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".yml"])
def test_every_type_round_trips_through_files(tmp_path, suffix):
    asset = quickstart_asset()
    config = RLTrainingConfig(max_steps=100_000, num_envs=8, hyperparameters={"batch_size": 64})
    documents = [
        asset,
        config,
        TrainingJob(job_id="smoke-test-job", asset_spec=asset, rl_config=config),
        TrainingSchedule(
            schedule_id="nightly",
            cron_expression="0 2 * * *",
            asset_specs=[asset],
            rl_config=config,
            timezone="Europe/Berlin",
        ),
    ]
    for document in documents:
        path = tmp_path / f"{type(document).__name__}{suffix}"
        document.dump(path)
        loaded = type(document).load(path)
        assert loaded == document
        assert loaded.to_dict() == document.to_dict()


def test_the_documented_error_message_for_a_bad_algorithm():
    with pytest.raises(SpecValidationError) as caught:
        TrainingJob.from_dict(
            {"job_id": "j", "asset_spec": {"asset_id": "a", "name": "A"}, "rl_config": {"algorithm": "A2C"}}
        )
    assert "rl_config.algorithm: 'A2C' is not one of PPO, SAC, POCA" in str(caught.value)


def test_every_problem_is_listed_with_its_path_value_and_what_is_allowed():
    bad = {
        "job_id": "has spaces",
        "asset_spec": {
            "asset_id": "a",
            "name": "A",
            "asset_type": "prefab",
            "observation_space": {"lidar": 3, "velocity": 4},
            "action_space": {"type": "hybrid"},
        },
        "rl_config": {"max_steps": -5, "num_envs": "8", "hyperparameters": {"tau": 0.01}},
    }
    with pytest.raises(SpecValidationError) as caught:
        TrainingJob.from_dict(bad, source="job.yaml")
    messages = [str(problem) for problem in caught.value.problems]
    assert any(m.startswith("job_id: 'has spaces' is not allowed; expected 1-128 letters") for m in messages)
    assert "asset_spec.asset_type: 'prefab' is not one of behavior" in messages
    assert any(
        m.startswith("asset_spec.observation_space.lidar: unknown field(s) 'lidar'; allowed: position, raycast")
        for m in messages
    )
    assert "asset_spec.observation_space.velocity: 4 is not one of 2, 3" in messages
    assert "asset_spec.action_space.type: 'hybrid' is not one of continuous, discrete" in messages
    assert "rl_config.max_steps: -5 is not allowed; must be >= 1" in messages
    assert "rl_config.num_envs: '8' is not of type integer" in messages
    assert any(m.startswith("rl_config.hyperparameters: 'tau' is not one of batch_size") for m in messages)
    assert "job.yaml" in str(caught.value)


def test_discrete_actions_take_branches_of_any_size_of_at_least_one_value():
    with pytest.raises(SpecValidationError) as caught:
        UnityAssetSpec(asset_id="a", name="A", action_space={"type": "discrete", "branches": [4, -1]})
    assert "action_space.branches[1]: -1 is not allowed; must be >= 1" in str(caught.value)
    UnityAssetSpec(asset_id="a", name="A", action_space={"type": "discrete", "branches": [4, 1, 9]})


def test_integers_that_arrive_as_floats_are_integers_again():
    """KFP passes dict parameters as protobuf Structs, whose numbers are all doubles."""
    asset = UnityAssetSpec.from_dict(
        {
            "asset_id": "a",
            "name": "A",
            "observation_space": {"raycast": 8.0, "velocity": 2.0},
            "action_space": {"type": "discrete", "branches": [3.0, 3.0]},
        }
    )
    assert asset.observation_space == {"raycast": 8, "velocity": 2}
    assert all(type(n) is int for n in [*asset.observation_space.values(), *asset.action_space["branches"]])
    rl = RLTrainingConfig.from_dict(
        {"max_steps": 3000.0, "num_envs": 1.0, "time_scale": 20.0, "hyperparameters": {"batch_size": 64.0}}
    )
    assert (type(rl.max_steps), type(rl.num_envs), type(rl.hyperparameters["batch_size"])) == (int, int, int)
    assert type(rl.time_scale) is float
    with pytest.raises(SpecValidationError, match="max_steps: 2000.5 is not of type integer"):
        RLTrainingConfig.from_dict({"max_steps": 2000.5})


def test_offline_rl_requires_demonstrations():
    with pytest.raises(SpecValidationError, match="demonstrations_path: is required"):
        RLTrainingConfig(use_offline_rl=True)
    RLTrainingConfig(use_offline_rl=True, demonstrations_path="demos/expert.demo")


def test_schedule_checks_cron_and_time_zone():
    with pytest.raises(SpecValidationError) as caught:
        TrainingSchedule(
            schedule_id="s", cron_expression="0 0 2 * * *", asset_specs=[quickstart_asset()], timezone="Mars/Olympus"
        )
    text = str(caught.value)
    assert "cron_expression: '0 0 2 * * *' has 6 field(s); expected 5 fields" in text
    assert "timezone: 'Mars/Olympus' is not an IANA time zone" in text


def test_malformed_yaml_is_a_clear_error(tmp_path):
    path = tmp_path / "asset.yaml"
    path.write_text("asset_id: [unclosed\n")
    with pytest.raises(SpecValidationError, match="not valid YAML"):
        UnityAssetSpec.load(path)


def test_cli_reports_bad_input_without_a_traceback(tmp_path):
    asset = tmp_path / "asset.yaml"
    asset.write_text("asset_id: a\nname: A\nobservation_space: {sonar: 4}\n")
    config = tmp_path / "rl.yaml"
    config.write_text("algorithm: A2C\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mlops_unity_pipeline",
            "codegen",
            "--asset-spec",
            str(asset),
            "--out",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "observation_space.sonar: unknown field(s) 'sonar'" in result.stderr
    assert "Traceback" not in result.stderr
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mlops_unity_pipeline",
            "codegen",
            "--asset-spec",
            str(asset),
            "--rl-config",
            str(config),
            "--out",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert not (tmp_path / "o").exists()
