"""Deploying a schedule twice leaves one schedule, on Vertex AI and on Kubeflow Pipelines.

The real client code runs (``aiplatform.PipelineJobSchedule``, ``kfp.Client``); only the service
calls are answered, by small in-memory services that keep what was created, as the platforms do.
"""

from __future__ import annotations

import itertools
import json
from unittest import mock

import kfp_server_api
import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud.aiplatform.compat.services import schedule_service_client
from google.cloud.aiplatform.compat.types import schedule as gca_schedule
from google.cloud.aiplatform.utils import gcs_utils

from mlops_unity_pipeline.deploy import deployment
from mlops_unity_pipeline.deploy.compiler import Target
from mlops_unity_pipeline.deploy.kubeflow import KubeflowSettings
from mlops_unity_pipeline.deploy.parameters import validate_parameters
from mlops_unity_pipeline.deploy.vertex import NEVER, VertexSettings

PROJECT, LOCATION = "test-project", "europe-west4"
PARENT = f"projects/{PROJECT}/locations/{LOCATION}"
pytestmark = pytest.mark.filterwarnings("ignore:This client only works:FutureWarning")


class FakeScheduleService:
    """Vertex AI's ScheduleService kept in memory: schedules by name, each ACTIVE until paused."""

    def __init__(self) -> None:
        self.schedules: dict[str, gca_schedule.Schedule] = {}
        self.ids = itertools.count(1)
        self.calls: list[str] = []

    def create_schedule(self, parent: str, schedule: gca_schedule.Schedule, **_: object) -> gca_schedule.Schedule:
        self.calls.append("create")
        created = gca_schedule.Schedule(schedule)
        created.name = f"{parent}/schedules/{next(self.ids)}"
        created.state = gca_schedule.Schedule.State.ACTIVE
        self.schedules[created.name] = created
        return created

    def list_schedules(self, request: dict, **_: object) -> list[gca_schedule.Schedule]:
        wanted = request["filter"].partition("=")[2].strip('"')
        return [s for s in self.schedules.values() if s.display_name == wanted]

    def get_schedule(self, name: str, **_: object) -> gca_schedule.Schedule:
        return self.schedules[name]

    def pause_schedule(self, name: str, **_: object) -> None:
        self.calls.append("pause")
        self.schedules[name].state = gca_schedule.Schedule.State.PAUSED

    def delete_schedule(self, name: str, **_: object):
        self.calls.append("delete")
        del self.schedules[name]
        return mock.Mock(result=mock.Mock(return_value=None))


@pytest.fixture
def schedules():
    service = FakeScheduleService()
    client = schedule_service_client.ScheduleServiceClient
    with (
        mock.patch.object(gcs_utils, "create_gcs_bucket_for_pipeline_artifacts_if_it_does_not_exist"),
        mock.patch.multiple(
            client,
            **{
                name: mock.Mock(side_effect=getattr(service, name))
                for name in ("create_schedule", "list_schedules", "get_schedule", "pause_schedule", "delete_schedule")
            },
        ),
    ):
        yield service


@pytest.fixture
def vertex_settings() -> VertexSettings:
    return VertexSettings(
        project=PROJECT, location=LOCATION, pipeline_root="gs://test-bucket/root", credentials=AnonymousCredentials()
    )


def _parameters(settings, asset_spec_dict: dict, **values) -> dict:
    return validate_parameters({**deployment.parameter_defaults(settings), "asset_specs": [asset_spec_dict], **values})


def test_deploying_a_vertex_schedule_twice_leaves_one_with_the_new_settings(
    compiled, schedules, vertex_settings, asset_spec_dict
) -> None:
    path = compiled[Target.VERTEX]

    def schedule(name: str, parameters: dict, *cron: str) -> str:
        return deployment.create_schedule(
            path, deployment.plan_schedule(name, parameters, vertex_settings, *cron), vertex_settings
        )

    first = schedule("nightly", _parameters(vertex_settings, asset_spec_dict), "0 2 * * *")
    second = schedule(
        "nightly", _parameters(vertex_settings, asset_spec_dict, eval_episodes=50), "30 3 * * *", "Europe/Berlin"
    )
    other = schedule("weekly", _parameters(vertex_settings, asset_spec_dict), "@weekly")

    assert first != second
    assert sorted(s.display_name for s in schedules.schedules.values()) == ["nightly", "weekly"]
    (nightly,) = [s for s in schedules.schedules.values() if s.display_name == "nightly"]
    assert nightly.name == second and nightly.cron == "TZ=Europe/Berlin 30 3 * * *"
    assert nightly.create_pipeline_job_request.pipeline_job.runtime_config.parameter_values["eval_episodes"] == 50
    assert schedules.calls == ["create", "create", "delete", "create"], "the new schedule first, then the old one goes"
    assert other in schedules.schedules


def test_a_disabled_vertex_schedule_can_never_fire(compiled, schedules, vertex_settings, asset_spec_dict) -> None:
    """Vertex AI creates schedules active: a disabled one starts in the year 9999, then is paused."""
    plan = deployment.plan_schedule(
        "nightly", _parameters(vertex_settings, asset_spec_dict), vertex_settings, "0 2 * * *", enabled=False
    )
    name = deployment.create_schedule(compiled[Target.VERTEX], plan, vertex_settings)
    created = schedules.schedules[name]
    assert created.start_time == NEVER and created.state == gca_schedule.Schedule.State.PAUSED
    assert schedules.calls == ["create", "pause"]


class FakeRecurringRuns:
    """Kubeflow Pipelines' recurring-run service kept in memory."""

    def __init__(self) -> None:
        self.runs: dict[str, kfp_server_api.V2beta1RecurringRun] = {}
        self.ids = itertools.count(1)
        self.calls: list[str] = []

    def create(
        self, recurring_run: kfp_server_api.V2beta1RecurringRun, **_: object
    ) -> kfp_server_api.V2beta1RecurringRun:
        self.calls.append("create")
        recurring_run.recurring_run_id = f"rr-{next(self.ids)}"
        self.runs[recurring_run.recurring_run_id] = recurring_run
        return recurring_run

    def list(self, experiment_id: str, filter: str, page_token: str = "", page_size: int = 10, **_: object):
        (predicate,) = json.loads(filter)["predicates"]
        matching = [
            run
            for run in self.runs.values()
            if run.experiment_id == experiment_id and run.display_name == predicate["string_value"]
        ]
        return kfp_server_api.V2beta1ListRecurringRunsResponse(recurring_runs=matching, total_size=len(matching))

    def delete(self, recurring_run_id: str, **_: object) -> None:
        self.calls.append("delete")
        del self.runs[recurring_run_id]


@pytest.fixture
def recurring_runs():
    service = FakeRecurringRuns()
    api = kfp_server_api.RecurringRunServiceApi
    experiment = kfp_server_api.V2beta1Experiment(experiment_id="exp-1", display_name="unity-mlops")
    with (
        mock.patch.object(kfp_server_api.HealthzServiceApi, "healthz_service_get_healthz"),
        mock.patch.object(
            kfp_server_api.ExperimentServiceApi,
            "experiment_service_list_experiments",
            return_value=kfp_server_api.V2beta1ListExperimentsResponse(experiments=[experiment], total_size=1),
        ),
        mock.patch.object(api, "recurring_run_service_create_recurring_run", side_effect=service.create),
        mock.patch.object(api, "recurring_run_service_list_recurring_runs", side_effect=service.list),
        mock.patch.object(api, "recurring_run_service_delete_recurring_run", side_effect=service.delete),
    ):
        yield service


def test_deploying_a_kubeflow_recurring_run_twice_leaves_one(compiled, recurring_runs, asset_spec_dict) -> None:
    settings = KubeflowSettings(host="http://localhost:8080")
    parameters = validate_parameters({"asset_specs": [asset_spec_dict], "build_backend": "standin"})
    nightly = deployment.plan_schedule("nightly", parameters, settings, "0 2 * * *")
    first = deployment.create_schedule(compiled[Target.KFP], nightly, settings)
    later = deployment.plan_schedule("nightly", parameters, settings, "0 3 * * *", enabled=False)
    second = deployment.create_schedule(compiled[Target.KFP], later, settings)

    assert first != second and list(recurring_runs.runs) == [second]
    replaced = recurring_runs.runs[second]
    assert replaced.trigger.cron_schedule.cron == "0 0 3 * * *"
    assert replaced.mode == "DISABLE", "created disabled, never enabled first"
    assert recurring_runs.calls == ["create", "create", "delete"]
