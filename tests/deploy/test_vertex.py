"""Submitting and scheduling on Vertex AI, tested as python-aiplatform tests itself.

Only the Vertex AI service calls are mocked: AnonymousCredentials, the PipelineService and
ScheduleService clients' methods patched, and the pipeline-root bucket check patched (it would
retry for minutes). Everything else, from reading the compiled YAML to building the request
messages, is the real aiplatform code; the tests assert what would have been sent.
"""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud.aiplatform.compat.services import pipeline_service_client, schedule_service_client
from google.cloud.aiplatform.compat.types import pipeline_job as gca_pipeline_job
from google.cloud.aiplatform.compat.types import pipeline_state as gca_pipeline_state
from google.cloud.aiplatform.compat.types import schedule as gca_schedule
from google.cloud.aiplatform.utils import gcs_utils

from mlops_unity_pipeline.deploy import deployment
from mlops_unity_pipeline.deploy.compiler import Target
from mlops_unity_pipeline.deploy.parameters import validate_parameters
from mlops_unity_pipeline.deploy.vertex import VertexSettings
from mlops_unity_pipeline.errors import DeployError, SpecValidationError
from mlops_unity_pipeline.specs import TrainingSchedule

PROJECT, LOCATION = "test-project", "europe-west4"
PARENT = f"projects/{PROJECT}/locations/{LOCATION}"
JOB_NAME = f"{PARENT}/pipelineJobs/unity-mlops-training-20250101000000"
SCHEDULE_NAME = f"{PARENT}/schedules/123"
ROOT = "gs://test-bucket/pipeline-root"
SA = "pipelines@test-project.iam.gserviceaccount.com"


@pytest.fixture
def settings() -> VertexSettings:
    return VertexSettings(
        project=PROJECT,
        location=LOCATION,
        pipeline_root=ROOT,
        service_account=SA,
        labels={"team": "agents"},
        credentials=AnonymousCredentials(),
    )


@pytest.fixture(autouse=True)
def bucket_check():
    """The pipeline-root bucket check would call Cloud Storage (and retry for minutes)."""
    with mock.patch.object(gcs_utils, "create_gcs_bucket_for_pipeline_artifacts_if_it_does_not_exist") as check:
        yield check


@pytest.fixture
def create_pipeline_job():
    with mock.patch.object(pipeline_service_client.PipelineServiceClient, "create_pipeline_job") as create:
        create.return_value = gca_pipeline_job.PipelineJob(
            name=JOB_NAME, state=gca_pipeline_state.PipelineState.PIPELINE_STATE_PENDING
        )
        yield create


@pytest.fixture
def schedule_service():
    with (
        mock.patch.object(schedule_service_client.ScheduleServiceClient, "create_schedule") as create,
        mock.patch.object(schedule_service_client.ScheduleServiceClient, "pause_schedule") as pause,
        mock.patch.object(schedule_service_client.ScheduleServiceClient, "list_schedules", return_value=[]),
    ):
        create.return_value = gca_schedule.Schedule(name=SCHEDULE_NAME, state=gca_schedule.Schedule.State.ACTIVE)
        yield create, pause


@pytest.fixture
def parameters(asset_spec_dict: dict, settings: VertexSettings) -> dict:
    return validate_parameters(
        {
            **deployment.parameter_defaults(settings),
            "asset_specs": [asset_spec_dict],
            "rl_config": {"max_steps": 5000},
            "eval_episodes": 7,
        }
    )


def test_submit_sends_the_compiled_spec_with_parameters_root_labels_and_service_account(
    compiled, settings, parameters, create_pipeline_job, bucket_check
) -> None:
    name = deployment.run_now(compiled[Target.VERTEX], "unity-mlops-training", parameters, settings)

    assert name == JOB_NAME
    request = create_pipeline_job.call_args.kwargs
    assert request["parent"] == PARENT
    job = request["pipeline_job"]
    assert job.display_name == "unity-mlops-training"
    assert job.service_account == SA
    assert dict(job.labels) == {"team": "agents"}
    assert job.runtime_config.gcs_output_directory == ROOT
    values = type(job).to_dict(job)["runtime_config"]["parameter_values"]
    assert values["asset_specs"][0]["asset_id"] == "reach-001"
    assert values["rl_config"]["max_steps"] == 5000
    assert values["eval_episodes"] == 7
    assert (values["vertex_project"], values["vertex_region"], values["staging_bucket"]) == (
        PROJECT,
        LOCATION,
        "gs://test-bucket",
    )
    spec = job.pipeline_spec
    assert spec["pipelineInfo"]["name"] == "unity-mlops-training"
    assert "notify" in spec["root"]["dag"]["tasks"]
    bucket_check.assert_called_once()
    assert bucket_check.call_args.kwargs["output_artifacts_gcs_dir"] == ROOT


def test_the_job_keeps_the_caching_each_task_was_compiled_with(
    compiled, settings, parameters, create_pipeline_job
) -> None:
    """A job-wide switch would cache train and register too; caching is chosen per task when compiling."""
    deployment.run_now(compiled[Target.VERTEX], "run", parameters, settings)
    spec = create_pipeline_job.call_args.kwargs["pipeline_job"].pipeline_spec
    tasks = {
        name: task
        for component_name, component in spec["components"].items()
        if component_name.startswith("comp-for-loop")
        for name, task in component["dag"]["tasks"].items()
    }
    assert tasks["codegen"]["cachingOptions"]["enableCache"] is True
    assert tasks["train"]["cachingOptions"].get("enableCache", False) is False


def test_schedule_sends_vertex_cron_with_time_zone(compiled, settings, parameters, schedule_service) -> None:
    create, pause = schedule_service
    plan = deployment.plan_schedule("nightly", parameters, settings, "30 2 * * 1-5", "Europe/Berlin")
    name = deployment.create_schedule(compiled[Target.VERTEX], plan, settings)

    assert name == SCHEDULE_NAME
    request = create.call_args.kwargs
    assert request["parent"] == PARENT
    schedule = request["schedule"]
    assert schedule.cron == "TZ=Europe/Berlin 30 2 * * 1-5"
    assert schedule.display_name == "nightly"
    assert schedule.max_concurrent_run_count == 1
    job_request = schedule.create_pipeline_job_request
    assert job_request.parent == PARENT
    assert job_request.pipeline_job.service_account == SA
    assert job_request.pipeline_job.runtime_config.gcs_output_directory == ROOT
    assert job_request.pipeline_job.runtime_config.parameter_values["eval_episodes"] == 7
    pause.assert_not_called()


def test_a_seed_training_schedule_deploys_as_a_vertex_schedule(
    compiled, settings, asset_spec_dict, schedule_service
) -> None:
    create, pause = schedule_service
    seed = TrainingSchedule.from_dict(
        {
            "schedule_id": "weekend",
            "cron_expression": "0 6 * * 6,7",
            "timezone": "America/New_York",
            "asset_specs": [asset_spec_dict, {**asset_spec_dict, "asset_id": "reach-002"}],
            "rl_config": {"algorithm": "SAC", "max_steps": 1000},
            "enabled": False,
        }
    )

    plan = deployment.plan_training_schedule(seed, settings, {"model_name": "walkers"})
    name = deployment.create_schedule(compiled[Target.VERTEX], plan, settings)

    assert name == SCHEDULE_NAME
    schedule = create.call_args.kwargs["schedule"]
    assert schedule.cron == "TZ=America/New_York 0 6 * * 0,6"
    assert schedule.display_name == "weekend"
    job = schedule.create_pipeline_job_request.pipeline_job
    values = type(job).to_dict(job)["runtime_config"]["parameter_values"]
    assert [spec["asset_id"] for spec in values["asset_specs"]] == ["reach-001", "reach-002"]
    assert values["rl_config"]["algorithm"] == "SAC"
    assert values["model_name"] == "walkers"
    pause.assert_called_once_with(name=SCHEDULE_NAME)


def test_a_run_without_a_lasting_registry_is_refused_before_any_request(
    compiled, settings, parameters, create_pipeline_job
) -> None:
    """On Vertex AI a file registry inside the register task's output would start empty in every run."""
    with pytest.raises(DeployError, match="vertex_project is empty and so is registry_dir"):
        deployment.run_now(compiled[Target.VERTEX], "run", {**parameters, "vertex_project": ""}, settings)
    create_pipeline_job.assert_not_called()


def test_the_platform_decides_the_registry_only_where_the_parameters_do_not(settings) -> None:
    assert deployment.parameter_defaults(settings) == {
        "vertex_project": PROJECT,
        "vertex_region": LOCATION,
        "staging_bucket": "gs://test-bucket",
    }
    seed = TrainingSchedule.from_dict(
        {
            "schedule_id": "s",
            "cron_expression": "0 2 * * *",
            "asset_specs": [{"asset_id": "a", "name": "A", "description": "Reach the target"}],
        }
    )
    plan = deployment.plan_training_schedule(
        seed, settings, {"vertex_region": "us-east1", "staging_bucket": "gs://models"}
    )
    assert (plan.parameters["vertex_project"], plan.parameters["vertex_region"], plan.parameters["staging_bucket"]) == (
        PROJECT,
        "us-east1",
        "gs://models",
    )


def test_the_kubeflow_yaml_is_refused_before_any_request(compiled, settings, parameters, create_pipeline_job) -> None:
    with pytest.raises(DeployError, match="--target vertex"):
        deployment.run_now(compiled[Target.KFP], "run", parameters, settings)
    create_pipeline_job.assert_not_called()


def test_bad_cron_is_refused_before_any_request(compiled, settings, parameters, schedule_service) -> None:
    create, _ = schedule_service
    with pytest.raises(SpecValidationError, match="5 fields"):
        deployment.plan_schedule("bad", parameters, settings, "0 0 2 * * *")
    create.assert_not_called()


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"project": ""}, "VERTEX_PROJECT_ID"), ({"pipeline_root": "/tmp/root"}, "gs://")],
)
def test_settings_name_what_is_missing(fields: dict, message: str) -> None:
    values = {"project": PROJECT, "location": LOCATION, "pipeline_root": ROOT, **fields}
    with pytest.raises(DeployError, match=message):
        VertexSettings(**values)


def test_the_template_path_must_exist(settings, parameters, tmp_path: Path) -> None:
    with pytest.raises(DeployError, match="cannot read"):
        deployment.run_now(tmp_path / "missing.yaml", "run", parameters, settings)
