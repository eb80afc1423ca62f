"""Pipeline parameters: the schema matches the pipeline, and bad input is refused with every problem named."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mlops_unity_pipeline.deploy import targets
from mlops_unity_pipeline.deploy.images import ImageSet
from mlops_unity_pipeline.deploy.parameters import load_parameters, parameters_from_flags, validate_parameters
from mlops_unity_pipeline.errors import SpecValidationError
from mlops_unity_pipeline.validation import validator_for
from pipelines import training

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_the_schema_names_exactly_the_pipeline_parameters() -> None:
    schema = validator_for("pipeline_parameters").schema
    declared = set(training.pipeline.component_spec.inputs)
    assert set(schema["properties"]) == declared
    assert set(schema["required"]) == {
        name
        for name, spec in training.pipeline.component_spec.inputs.items()
        if spec.default is None and not spec.optional
    }


def test_compile_defaults_are_valid_parameters(asset_spec_dict: dict) -> None:
    for target in targets.TARGET_DEFAULTS:
        defaults = targets.compile_defaults(target, ImageSet("europe-west4-docker.pkg.dev/p/r", "v1"))
        assert defaults["serving_image"] == "europe-west4-docker.pkg.dev/p/r/serving:v1"
        validate_parameters({"asset_specs": [asset_spec_dict], **defaults})


def test_specs_are_normalised_with_every_default_spelled_out(asset_spec_dict: dict) -> None:
    values = validate_parameters({"asset_specs": [asset_spec_dict]})
    assert values["asset_specs"][0]["action_space"] == {"type": "continuous", "size": 2}
    assert values["rl_config"]["algorithm"] == "PPO"


def test_every_problem_is_reported_with_its_place(asset_spec_dict: dict) -> None:
    with pytest.raises(SpecValidationError) as caught:
        validate_parameters(
            {
                "asset_specs": [{**asset_spec_dict, "name": ""}],
                "build_backend": "docker",
                "notification_webhook": "ftp://example",
                "cpu_limit": "eight",
                "vertex_project": "my-project",
                "typo": 1,
            }
        )
    paths = {problem.path for problem in caught.value.problems}
    assert paths == {
        "asset_specs[0].name",
        "build_backend",
        "notification_webhook",
        "cpu_limit",
        "staging_bucket",
        "typo",
    }


def test_semantic_spec_checks_and_duplicate_ids_are_reported(asset_spec_dict: dict) -> None:
    with pytest.raises(SpecValidationError) as caught:
        validate_parameters(
            {
                "asset_specs": [asset_spec_dict, {**asset_spec_dict, "name": "Other"}],
                "rl_config": {"use_offline_rl": True},
            }
        )
    messages = {problem.path: problem.message for problem in caught.value.problems}
    assert "rl_config.demonstrations_path" in messages
    with pytest.raises(SpecValidationError, match=r"asset_specs\[1\].asset_id: 'reach-001' is also asset_specs\[0\]"):
        validate_parameters({"asset_specs": [asset_spec_dict, {**asset_spec_dict, "name": "Other"}]})


def test_asset_ids_must_be_usable_in_model_names(asset_spec_dict: dict) -> None:
    with pytest.raises(
        SpecValidationError, match=r"asset_specs\[0\].asset_id: 'reach.v2' cannot name a registered model"
    ):
        validate_parameters({"asset_specs": [{**asset_spec_dict, "asset_id": "reach.v2"}]})


def test_a_file_and_flags_combine_with_flags_on_top(tmp_path: Path, asset_spec_dict: dict) -> None:
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump({"asset_specs": [asset_spec_dict], "eval_episodes": 5, "model_name": "from-file"}))
    flags = parameters_from_flags(
        [str(REPO_ROOT / "examples" / "simple_agent" / "asset_spec.yaml")],
        str(REPO_ROOT / "examples" / "simple_agent" / "rl_config.yaml"),
        ["model_name=from-flag", "cpu_limit=4", "champion_margin=0.05", "notification_webhook="],
    )
    values = load_parameters(path, flags)
    assert [spec["asset_id"] for spec in values["asset_specs"]] == ["test-001"]
    assert values["rl_config"]["num_envs"] == 8
    assert (values["model_name"], values["cpu_limit"], values["champion_margin"], values["eval_episodes"]) == (
        "from-flag",
        "4",
        0.05,
        5,
    )
    assert values["notification_webhook"] == ""


def test_a_malformed_assignment_is_refused() -> None:
    with pytest.raises(SpecValidationError, match="NAME=VALUE"):
        parameters_from_flags(assignments=["eval_episodes"])


def test_a_parameters_file_must_be_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "params.yaml"
    path.write_text("- just\n- a list\n")
    with pytest.raises(SpecValidationError, match="mapping"):
        load_parameters(path)
