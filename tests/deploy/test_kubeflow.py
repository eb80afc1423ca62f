"""Submitting and scheduling on Kubeflow Pipelines through a real ``kfp.Client``.

Only the KFP API service calls are mocked: the generated ``kfp_server_api`` service methods
(experiments, runs, recurring runs) are patched, so the client's own request building runs and
the tests assert the request bodies it would have sent.
"""

from __future__ import annotations

from unittest import mock

import kfp_server_api
import pytest
import yaml

from mlops_unity_pipeline.deploy import deployment
from mlops_unity_pipeline.deploy.compiler import Target
from mlops_unity_pipeline.deploy.kubeflow import KubeflowSettings
from mlops_unity_pipeline.deploy.parameters import validate_parameters
from mlops_unity_pipeline.errors import CronError
from mlops_unity_pipeline.specs import TrainingSchedule

HOST = "http://localhost:8080"
pytestmark = pytest.mark.filterwarnings("ignore:This client only works:FutureWarning")


@pytest.fixture
def api():
    """The KFP API: one existing experiment, and runs and recurring runs created with fixed ids."""
    experiment = kfp_server_api.V2beta1Experiment(experiment_id="exp-1", display_name="unity-mlops")
    with (
        mock.patch.object(
            kfp_server_api.ExperimentServiceApi, "experiment_service_list_experiments"
        ) as list_experiments,
        mock.patch.object(
            kfp_server_api.ExperimentServiceApi, "experiment_service_create_experiment"
        ) as create_experiment,
        mock.patch.object(kfp_server_api.HealthzServiceApi, "healthz_service_get_healthz") as healthz,
        mock.patch.object(kfp_server_api.RunServiceApi, "run_service_create_run") as create_run,
        mock.patch.object(
            kfp_server_api.RecurringRunServiceApi, "recurring_run_service_create_recurring_run"
        ) as create_recurring,
        mock.patch.object(
            kfp_server_api.RecurringRunServiceApi,
            "recurring_run_service_list_recurring_runs",
            return_value=kfp_server_api.V2beta1ListRecurringRunsResponse(recurring_runs=[]),
        ),
    ):
        healthz.return_value = kfp_server_api.V2beta1GetHealthzResponse(multi_user=False)
        list_experiments.return_value = kfp_server_api.V2beta1ListExperimentsResponse(
            experiments=[experiment], total_size=1
        )
        create_run.return_value = kfp_server_api.V2beta1Run(run_id="run-1", display_name="r")
        create_recurring.return_value = kfp_server_api.V2beta1RecurringRun(recurring_run_id="rr-1", display_name="rr")
        yield mock.Mock(
            list_experiments=list_experiments,
            create_experiment=create_experiment,
            create_run=create_run,
            create_recurring=create_recurring,
        )


@pytest.fixture
def settings() -> KubeflowSettings:
    return KubeflowSettings(host=HOST, experiment="unity-mlops")


@pytest.fixture
def parameters(asset_spec_dict: dict) -> dict:
    return validate_parameters({"asset_specs": [asset_spec_dict], "build_backend": "standin"})


def test_a_run_carries_the_package_its_parameters_and_experiment(compiled, settings, parameters, api) -> None:
    run_id = deployment.run_now(compiled[Target.KFP], "unity-mlops-training", parameters, settings)

    assert run_id == "run-1"
    body = api.create_run.call_args.kwargs["run"]
    assert body.experiment_id == "exp-1"
    assert body.display_name.startswith("unity-mlops-training ")
    assert body.runtime_config.parameters["build_backend"] == "standin"
    assert body.runtime_config.parameters["asset_specs"][0]["asset_id"] == "reach-001"
    assert body.pipeline_spec["pipeline_spec"]["pipelineInfo"]["name"] == "unity-mlops-training"
    platform = body.pipeline_spec["platform_spec"]["platforms"]["kubernetes"]
    assert "exec-train" in platform["deploymentSpec"]["executors"]
    api.create_experiment.assert_not_called()


def test_a_recurring_run_gets_six_field_cron_and_catch_up_setting(compiled, settings, parameters, api) -> None:
    plan = deployment.plan_schedule("nightly", parameters, settings, "30 2 * * 5-7", "UTC", catch_up=False)
    recurring_id = deployment.create_schedule(compiled[Target.KFP], plan, settings)

    assert recurring_id == "rr-1"
    body = api.create_recurring.call_args.kwargs["recurring_run"]
    assert body.display_name == "nightly"
    assert body.trigger.cron_schedule.cron == "0 30 2 * * 0,5,6"
    assert body.max_concurrency == 1
    assert body.no_catchup is True
    assert body.mode == "ENABLE"
    assert body.experiment_id == "exp-1"
    assert body.runtime_config.parameters["build_backend"] == "standin"
    assert body.pipeline_spec["pipeline_spec"]["pipelineInfo"]["name"] == "unity-mlops-training"
    assert "kubernetes" in body.pipeline_spec["platform_spec"]["platforms"]


def test_a_seed_training_schedule_deploys_as_a_recurring_run(
    compiled, settings, asset_spec_dict, api, tmp_path
) -> None:
    path = tmp_path / "schedule.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "schedule_id": "hourly",
                "cron_expression": "15 * * * *",
                "asset_specs": [asset_spec_dict],
                "catch_up": True,
                "enabled": False,
            }
        )
    )

    plan = deployment.plan_training_schedule(TrainingSchedule.load(path), settings)
    recurring_id = deployment.create_schedule(compiled[Target.KFP], plan, settings)

    assert recurring_id == "rr-1"
    body = api.create_recurring.call_args.kwargs["recurring_run"]
    assert body.display_name == "hourly"
    assert body.trigger.cron_schedule.cron == "0 15 * * * *"
    assert body.no_catchup is False
    assert body.mode == "DISABLE"
    assert body.runtime_config.parameters["asset_specs"][0]["asset_id"] == "reach-001"


def test_non_utc_schedules_are_refused_for_kubeflow(compiled, settings, parameters, api) -> None:
    with pytest.raises(CronError, match="UTC"):
        deployment.plan_schedule("nightly", parameters, settings, "0 2 * * *", "Europe/Berlin")
    api.create_recurring.assert_not_called()
