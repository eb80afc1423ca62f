"""``python compile.py``: compile both targets, then submit, schedule or deploy a TrainingSchedule.

Only Vertex AI and KFP service calls are mocked (patched service clients, AnonymousCredentials
through ``aiplatform.init`` as python-aiplatform's own tests do, the pipeline-root bucket check).
"""

from __future__ import annotations

import datetime
import os
import re
import shlex
from pathlib import Path
from unittest import mock

import kfp_server_api
import pytest
import yaml
from google.auth.credentials import AnonymousCredentials
from google.cloud.aiplatform import initializer
from google.cloud.aiplatform.compat.services import pipeline_service_client, schedule_service_client
from google.cloud.aiplatform.compat.types import pipeline_job as gca_pipeline_job
from google.cloud.aiplatform.compat.types import schedule as gca_schedule
from google.cloud.aiplatform.utils import gcs_utils

import compile as compile_cli
from mlops_unity_pipeline.deploy import invocation
from mlops_unity_pipeline.deploy.compiler import read_pipeline_documents
from mlops_unity_pipeline.deploy.images import ImageSet

PROJECT, LOCATION = "test-project", "us-central1"
REPO_ROOT = Path(__file__).resolve().parents[2]
#: The custom training job's launcher: Google's image, run as it is.
GCPC_LAUNCHER = "gcr.io/ml-pipeline/google-cloud-pipeline-components:2.22.0"
pytestmark = pytest.mark.filterwarnings("ignore:This client only works:FutureWarning")


@pytest.fixture(autouse=True)
def vertex_environment(monkeypatch: pytest.MonkeyPatch):
    for name in (
        "IMAGE_REGISTRY",
        "IMAGE_TAG",
        "KFP_HOST",
        "ENABLE_PIPELINE_CACHING",
        "VERTEX_SA_EMAIL",
        "KFP_SERVICE_ACCOUNT",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VERTEX_PROJECT_ID", PROJECT)
    monkeypatch.setenv("VERTEX_LOCATION", LOCATION)
    monkeypatch.setenv("VERTEX_PIPELINE_ROOT", "gs://test-bucket/root")
    initializer.global_config.init(project=PROJECT, location=LOCATION, credentials=AnonymousCredentials())
    with (
        mock.patch.object(gcs_utils, "create_gcs_bucket_for_pipeline_artifacts_if_it_does_not_exist"),
        mock.patch.object(pipeline_service_client.PipelineServiceClient, "create_pipeline_job") as create_job,
        mock.patch.object(schedule_service_client.ScheduleServiceClient, "create_schedule") as create_schedule,
        mock.patch.object(schedule_service_client.ScheduleServiceClient, "list_schedules", return_value=[]),
    ):
        create_job.return_value = gca_pipeline_job.PipelineJob(
            name=f"projects/{PROJECT}/locations/{LOCATION}/pipelineJobs/j1"
        )
        create_schedule.return_value = gca_schedule.Schedule(
            name=f"projects/{PROJECT}/locations/{LOCATION}/schedules/s1"
        )
        yield mock.Mock(create_job=create_job, create_schedule=create_schedule)
    # Reset in place: aiplatform.init is bound to this very object, so replacing it would leave
    # later aiplatform.init calls configuring an object nobody reads.
    initializer.global_config.__init__()


@pytest.fixture
def params_file(tmp_path: Path, asset_spec_dict: dict) -> Path:
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump({"asset_specs": [asset_spec_dict], "rl_config": {"max_steps": 3000}}))
    return path


def test_compile_writes_the_vertex_yaml_and_prints_its_path(tmp_path: Path, capsys, vertex_environment) -> None:
    out = tmp_path / "p.yaml"
    assert compile_cli.main(["--output", str(out), "--image-registry", "reg.example/unity", "--image-tag", "v9"]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    (spec,) = read_pipeline_documents(out)
    images = {e["container"]["image"] for e in spec["deploymentSpec"]["executors"].values()}
    assert images == {
        "reg.example/unity/pipeline:v9",
        "reg.example/unity/unity-builder:v9",
        "reg.example/unity/trainer:v9",
        GCPC_LAUNCHER,
    }  # the trainer image also evaluates
    (pool,) = spec["components"]["comp-train"]["inputDefinitions"]["parameters"]["worker_pool_specs"]["defaultValue"]
    assert pool["container_spec"]["image_uri"] == "reg.example/unity/trainer:v9"
    vertex_environment.create_job.assert_not_called()


def test_compile_for_kubeflow_writes_two_documents(tmp_path: Path) -> None:
    out = tmp_path / "k.yaml"
    assert compile_cli.main(["--target", "kfp", "--output", str(out)]) == 0
    assert len(read_pipeline_documents(out)) == 2


def test_submit_validates_then_runs_on_vertex(tmp_path: Path, params_file: Path, capsys, vertex_environment) -> None:
    argv = [
        "--output",
        str(tmp_path / "p.yaml"),
        "--parameters",
        str(params_file),
        "--param",
        "eval_episodes=9",
        "--label",
        "team=agents",
        "--no-cache",
        "--service-account",
        "sa@test-project.iam.gserviceaccount.com",
        "--submit",
    ]
    assert compile_cli.main(argv) == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith("/pipelineJobs/j1")
    job = vertex_environment.create_job.call_args.kwargs["pipeline_job"]
    assert dict(job.labels) == {"team": "agents"}
    assert job.service_account == "sa@test-project.iam.gserviceaccount.com"
    values = type(job).to_dict(job)["runtime_config"]["parameter_values"]
    assert values["eval_episodes"] == 9 and values["rl_config"]["max_steps"] == 3000


def test_two_runs_submitted_within_one_second_get_distinct_job_ids(
    tmp_path: Path, params_file: Path, vertex_environment
) -> None:
    """Vertex AI refuses a job id it has seen (409); aiplatform's own id changes once a second."""
    argv = ["--output", str(tmp_path / "p.yaml"), "--parameters", str(params_file), "--submit"]
    frozen = datetime.datetime(2026, 12, 1, 4, 5, 6)
    with mock.patch("mlops_unity_pipeline.deploy.vertex.datetime", wraps=datetime.datetime) as clock:
        clock.now.return_value = frozen
        assert compile_cli.main(argv) == 0
        assert compile_cli.main(argv) == 0
    ids = [call.kwargs["pipeline_job_id"] for call in vertex_environment.create_job.call_args_list]
    assert len(set(ids)) == 2
    for job_id in ids:
        assert re.fullmatch(r"unity-mlops-training-20261201040506-[0-9a-f]{6}", job_id)


def test_schedule_converts_cron_for_vertex(tmp_path: Path, params_file: Path, vertex_environment) -> None:
    argv = [
        "--output",
        str(tmp_path / "p.yaml"),
        "--parameters",
        str(params_file),
        "--schedule",
        "0 3 * * 7",
        "--timezone",
        "Europe/Berlin",
        "--display-name",
        "nightly",
    ]
    assert compile_cli.main(argv) == 0
    schedule = vertex_environment.create_schedule.call_args.kwargs["schedule"]
    assert (schedule.cron, schedule.display_name) == ("TZ=Europe/Berlin 0 3 * * 0", "nightly")


def test_a_training_schedule_file_becomes_a_vertex_schedule(
    tmp_path: Path, asset_spec_dict: dict, vertex_environment
) -> None:
    seed = tmp_path / "nightly.yaml"
    seed.write_text(
        yaml.safe_dump(
            {
                "schedule_id": "nightly",
                "cron_expression": "0 2 * * *",
                "timezone": "Asia/Tokyo",
                "asset_specs": [asset_spec_dict],
            }
        )
    )
    assert compile_cli.main(["--output", str(tmp_path / "p.yaml"), "--training-schedule", str(seed)]) == 0
    schedule = vertex_environment.create_schedule.call_args.kwargs["schedule"]
    assert (schedule.cron, schedule.display_name) == ("TZ=Asia/Tokyo 0 2 * * *", "nightly")


def test_invalid_parameters_stop_everything_before_compiling(tmp_path: Path, capsys, vertex_environment) -> None:
    out = tmp_path / "p.yaml"
    argv = ["--output", str(out), "--param", "asset_specs=[{asset_id: a}]", "--submit"]
    assert compile_cli.main(argv) == 2
    assert "asset_specs[0].name: is required" in capsys.readouterr().err
    assert not out.exists()
    vertex_environment.create_job.assert_not_called()


def test_kfp_host_creates_a_recurring_run_with_six_field_cron(tmp_path: Path, params_file: Path) -> None:
    with (
        mock.patch.object(kfp_server_api.HealthzServiceApi, "healthz_service_get_healthz"),
        mock.patch.object(kfp_server_api.ExperimentServiceApi, "experiment_service_list_experiments") as experiments,
        mock.patch.object(
            kfp_server_api.RecurringRunServiceApi, "recurring_run_service_create_recurring_run"
        ) as create,
        mock.patch.object(
            kfp_server_api.RecurringRunServiceApi,
            "recurring_run_service_list_recurring_runs",
            return_value=kfp_server_api.V2beta1ListRecurringRunsResponse(recurring_runs=[]),
        ),
    ):
        experiments.return_value = kfp_server_api.V2beta1ListExperimentsResponse(
            experiments=[kfp_server_api.V2beta1Experiment(experiment_id="e1", display_name="unity-mlops")], total_size=1
        )
        create.return_value = kfp_server_api.V2beta1RecurringRun(recurring_run_id="rr-9")
        argv = [
            "--output",
            str(tmp_path / "k.yaml"),
            "--parameters",
            str(params_file),
            "--kfp-host",
            "http://localhost:8080",
            "--schedule",
            "@daily",
        ]
        assert compile_cli.main(argv) == 0
    body = create.call_args.kwargs["recurring_run"]
    assert body.trigger.cron_schedule.cron == "0 0 0 * * *"
    assert "platform_spec" in body.pipeline_spec


def test_one_bad_training_schedule_stops_them_all_before_compiling(
    tmp_path: Path, asset_spec_dict: dict, capsys
) -> None:
    files = []
    for name, zone in [("utc-nightly", "UTC"), ("berlin-nightly", "Europe/Berlin")]:
        path = tmp_path / f"{name}.yaml"
        path.write_text(
            yaml.safe_dump(
                {
                    "schedule_id": name,
                    "cron_expression": "0 2 * * *",
                    "timezone": zone,
                    "asset_specs": [asset_spec_dict],
                }
            )
        )
        files += ["--training-schedule", str(path)]
    out = tmp_path / "k.yaml"
    with mock.patch.object(
        kfp_server_api.RecurringRunServiceApi, "recurring_run_service_create_recurring_run"
    ) as create:
        assert compile_cli.main(["--output", str(out), "--kfp-host", "http://localhost:8080", *files]) == 2
    assert "Europe/Berlin" in capsys.readouterr().err
    assert not out.exists()
    create.assert_not_called()


def test_run_local_compiles_with_the_aliases_then_runs_the_yaml_here(tmp_path: Path, params_file: Path, capsys) -> None:
    """The local run itself needs Docker (tests/pipeline_local); here only its wiring."""
    with (
        mock.patch.object(invocation, "run_local") as run_local,
        mock.patch.object(invocation, "describe", return_value="ran"),
    ):
        status = compile_cli.main(
            [
                "--parameters",
                str(params_file),
                "--image-alias",
                "unity-builder=pipeline",
                "--run-local",
                "--local-root",
                str(tmp_path / "root"),
                "--output",
                str(tmp_path / "p.yaml"),
            ]
        )
    assert status == 0
    (output, parameters, root), _ = run_local.call_args
    (spec,) = read_pipeline_documents(output)
    images = ImageSet.from_env()
    assert {e["container"]["image"] for e in spec["deploymentSpec"]["executors"].values()} == {
        images.ref("pipeline"),
        images.ref("trainer"),
    }
    assert parameters["rl_config"]["max_steps"] == 3000 and root == str(tmp_path / "root")
    assert capsys.readouterr().out.splitlines()[-1] == "ran"


def test_run_local_cannot_be_combined_with_a_submission(params_file: Path) -> None:
    with pytest.raises(SystemExit):
        compile_cli.main(["--parameters", str(params_file), "--run-local", "--submit"])


DOCUMENTED_SUBMIT = [
    "--target",
    "vertex",
    "--parameters",
    "pipelines/training.parameters.yaml",
    "--submit",
    "--project",
    "docs-project",
    "--region",
    "europe-west4",
    "--pipeline-root",
    "gs://docs-bucket/root",
]


def test_the_documented_submission_registers_in_the_projects_model_registry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, vertex_environment
) -> None:
    """README "Pipelines": the flags reach the parameters register reads, the model staged in the root's bucket."""
    monkeypatch.chdir(REPO_ROOT)
    assert compile_cli.main([*DOCUMENTED_SUBMIT, "--output", str(tmp_path / "p.yaml")]) == 0
    request = vertex_environment.create_job.call_args.kwargs
    assert request["parent"] == "projects/docs-project/locations/europe-west4"
    job = request["pipeline_job"]
    values = type(job).to_dict(job)["runtime_config"]["parameter_values"]
    assert (values["vertex_project"], values["vertex_region"], values["staging_bucket"]) == (
        "docs-project",
        "europe-west4",
        "gs://docs-bucket",
    )
    assert values["build_backend"] == "auto" and "unity_project_uri" not in values
    assert job.runtime_config.gcs_output_directory == "gs://docs-bucket/root"


def test_the_documented_submission_takes_its_settings_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, vertex_environment
) -> None:
    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.setenv("VERTEX_PROJECT_ID", "env-project")
    monkeypatch.setenv("VERTEX_LOCATION", "asia-northeast1")
    monkeypatch.setenv("VERTEX_PIPELINE_ROOT", "gs://env-bucket/pipelines/root")
    argv = [
        "--target",
        "vertex",
        "--parameters",
        "pipelines/training.parameters.yaml",
        "--submit",
        "--output",
        str(tmp_path / "p.yaml"),
    ]
    assert compile_cli.main(argv) == 0
    job = vertex_environment.create_job.call_args.kwargs["pipeline_job"]
    values = type(job).to_dict(job)["runtime_config"]["parameter_values"]
    assert (values["vertex_project"], values["vertex_region"], values["staging_bucket"]) == (
        "env-project",
        "asia-northeast1",
        "gs://env-bucket",
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--param", "build_backend=unity"],
            "unity_project_uri: build_backend is 'unity' but no Unity project is given; set unity_project_uri",
        ),
        (["--param", "accelerator_count=3"], "machine_type: NVIDIA_L4 comes in 1, 2, 4 or 8 per machine, not 3"),
        (
            ["--param", "accelerator_type=NVIDIA_K80"],
            "machine_type: accelerator_type 'NVIDIA_K80' is not a Vertex AI training GPU",
        ),
        (["--param", "acclerator_count=2"], "acclerator_count"),
    ],
    ids=["unity-without-project", "l4-times-3", "unknown-gpu", "unknown-parameter"],
)
def test_what_a_vertex_run_would_fail_on_is_refused_before_compiling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, vertex_environment, extra: list[str], message: str
) -> None:
    monkeypatch.chdir(REPO_ROOT)
    out = tmp_path / "p.yaml"
    assert compile_cli.main([*DOCUMENTED_SUBMIT, "--output", str(out), *extra]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
    vertex_environment.create_job.assert_not_called()


def _loop_caching(path: Path) -> dict[str, bool]:
    (spec,) = read_pipeline_documents(path)
    loops = [
        c for name, c in spec["components"].items() if name.startswith("comp-for-loop")
    ]  # assets, and seeds in them
    return {
        name: task.get("cachingOptions", {}).get("enableCache", False)
        for loop in loops
        for name, task in loop["dag"]["tasks"].items()
        if not name.startswith("for-loop")
    }


@pytest.mark.parametrize(
    ("flags", "cached"),
    [
        ([], {"codegen", "build"}),
        (["--cache"], {"codegen", "build"}),
        (["--no-cache"], set()),
        (["--cache-task", "train", "--cache-task", "evaluate"], {"codegen", "build", "train", "evaluate"}),
        (["--no-cache", "--cache-task", "register"], {"register"}),
    ],
)
def test_caching_is_chosen_per_task_and_cache_never_caches_train_or_register(
    tmp_path: Path, params_file: Path, vertex_environment, flags: list[str], cached: set[str]
) -> None:
    out = tmp_path / "p.yaml"
    assert compile_cli.main(["--output", str(out), "--parameters", str(params_file), *flags, "--submit"]) == 0
    assert {name for name, on in _loop_caching(out).items() if on} == cached
    assert vertex_environment.create_job.call_args.kwargs["pipeline_job"].pipeline_spec["root"]["dag"]["tasks"]


def test_the_train_machine_and_parallelism_are_compiled_from_the_parameters(
    tmp_path: Path, params_file: Path, vertex_environment
) -> None:
    out = tmp_path / "p.yaml"
    argv = [
        "--output",
        str(out),
        "--parameters",
        str(params_file),
        "--param",
        "machine_type=a2-highgpu-2g",
        "--param",
        "accelerator_type=NVIDIA_TESLA_A100",
        "--param",
        "accelerator_count=2",
        "--param",
        "scheduling_strategy=SPOT",
        "--parallelism",
        "2",
        "--submit",
    ]
    assert compile_cli.main(argv) == 0
    (spec,) = read_pipeline_documents(out)
    (pool,) = spec["components"]["comp-train"]["inputDefinitions"]["parameters"]["worker_pool_specs"]["defaultValue"]
    assert pool["machine_spec"] == {
        "machine_type": "a2-highgpu-2g",
        "accelerator_type": "NVIDIA_TESLA_A100",
        "accelerator_count": 2,
    }
    handler = next(c for name, c in spec["components"].items() if name.startswith("comp-exit-handler"))
    (loop_task,) = handler["dag"]["tasks"].values()
    assert loop_task["iteratorPolicy"] == {"parallelismLimit": 2}
    job = vertex_environment.create_job.call_args.kwargs["pipeline_job"]
    values = type(job).to_dict(job)["runtime_config"]["parameter_values"]
    assert (values["machine_type"], values["scheduling_strategy"]) == ("a2-highgpu-2g", "SPOT")


def test_a_template_compiled_for_another_machine_is_refused(
    tmp_path: Path, params_file: Path, capsys, vertex_environment
) -> None:
    """The custom job's machine is fixed when compiling; a run asking for another would silently get the compiled one."""
    from mlops_unity_pipeline.deploy import deployment
    from mlops_unity_pipeline.deploy.parameters import load_parameters
    from mlops_unity_pipeline.deploy.vertex import VertexSettings
    from mlops_unity_pipeline.errors import DeployError

    out = tmp_path / "p.yaml"
    assert compile_cli.main(["--output", str(out)]) == 0
    settings = VertexSettings(project=PROJECT, location=LOCATION, pipeline_root="gs://test-bucket/root")
    parameters = load_parameters(
        params_file,
        {"machine_type": "g2-standard-24", "accelerator_count": 2},
        platform=deployment.parameter_defaults(settings),
    )
    with pytest.raises(
        DeployError,
        match=r"trains on g2-standard-8 with 1 x NVIDIA_L4, fixed when compiling, but the parameters "
        r"ask for machine_type 'g2-standard-24' \(compiled: 'g2-standard-8'\)",
    ):
        deployment.run_now(out, "run", parameters, settings)
    vertex_environment.create_job.assert_not_called()


def test_parallelism_must_be_positive(tmp_path: Path, capsys) -> None:
    assert compile_cli.main(["--output", str(tmp_path / "p.yaml"), "--parallelism", "0"]) == 2
    assert "--parallelism 0 must be at least 1" in capsys.readouterr().err


@pytest.mark.parametrize("platform", [[], ["--kfp-host", "http://localhost:8080"]], ids=["vertex", "kfp"])
def test_a_schedule_that_never_fires_is_refused_before_compiling(
    tmp_path: Path, params_file: Path, capsys, vertex_environment, platform: list[str]
) -> None:
    out = tmp_path / "p.yaml"
    argv = ["--output", str(out), "--parameters", str(params_file), "--schedule", "0 0 30 2 *", *platform]
    assert compile_cli.main(argv) == 2
    assert (
        "'0 0 30 2 *' never fires: none of its months has that day-of-month (e.g. 30 February)"
        in capsys.readouterr().err
    )
    assert not out.exists()
    vertex_environment.create_schedule.assert_not_called()


@pytest.fixture
def kfp_runs():
    with (
        mock.patch.object(kfp_server_api.HealthzServiceApi, "healthz_service_get_healthz"),
        mock.patch.object(kfp_server_api.ExperimentServiceApi, "experiment_service_list_experiments") as experiments,
        mock.patch.object(kfp_server_api.RunServiceApi, "run_service_create_run") as create,
    ):
        experiments.return_value = kfp_server_api.V2beta1ListExperimentsResponse(
            experiments=[kfp_server_api.V2beta1Experiment(experiment_id="e1", display_name="unity-mlops")], total_size=1
        )
        create.return_value = kfp_server_api.V2beta1Run(run_id="run-9")
        yield create


def test_the_vertex_service_account_never_reaches_kubernetes(
    tmp_path: Path, params_file: Path, monkeypatch: pytest.MonkeyPatch, kfp_runs
) -> None:
    """$VERTEX_SA_EMAIL is a Google account; Kubeflow Pipelines runs pods as a Kubernetes service account."""
    monkeypatch.setenv("VERTEX_SA_EMAIL", "pipelines@test-project.iam.gserviceaccount.com")
    argv = [
        "--output",
        str(tmp_path / "k.yaml"),
        "--parameters",
        str(params_file),
        "--kfp-host",
        "http://localhost:8080",
        "--submit",
    ]
    assert compile_cli.main(argv) == 0
    assert kfp_runs.call_args.kwargs["run"].service_account in (None, "")
    monkeypatch.setenv("KFP_SERVICE_ACCOUNT", "pipeline-runner")
    assert compile_cli.main(argv) == 0
    assert kfp_runs.call_args.kwargs["run"].service_account == "pipeline-runner"


def test_an_email_is_refused_as_a_kubernetes_service_account(
    tmp_path: Path, params_file: Path, capsys, kfp_runs
) -> None:
    argv = [
        "--output",
        str(tmp_path / "k.yaml"),
        "--parameters",
        str(params_file),
        "--kfp-host",
        "http://localhost:8080",
        "--service-account",
        "pipelines@test-project.iam.gserviceaccount.com",
        "--submit",
    ]
    assert compile_cli.main(argv) == 2
    assert "is not a Kubernetes service account name" in capsys.readouterr().err
    kfp_runs.assert_not_called()


def _readme_steps() -> list[str]:
    """The compile.py commands of README's "From zero to a nightly run on Vertex AI", as written."""
    text = (REPO_ROOT / "README.md").read_text()
    section = text.split("### From zero to a nightly run on Vertex AI", 1)[1].split("\n### ", 1)[0]
    return re.findall(r"^\s+`(python compile\.py [^`]+)`$", section, re.MULTILINE)


def test_the_readme_steps_run_and_schedule_as_documented(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, vertex_environment
) -> None:
    """Steps 10 and 11, with env.sh.example's variables, against aiplatform's real client code."""
    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.setenv("VERTEX_PROJECT_ID", "my-gcp-project")
    monkeypatch.setenv("VERTEX_BUCKET", "gs://my-pipeline-bucket")
    monkeypatch.setenv("VERTEX_PIPELINE_ROOT", "gs://my-pipeline-bucket/pipeline-root")
    monkeypatch.setenv("VERTEX_SA_EMAIL", "unity-mlops-pipelines@my-gcp-project.iam.gserviceaccount.com")
    run, schedule = _readme_steps()
    secret = "projects/my-gcp-project/secrets/unity-license/versions/latest"
    for command in (run, schedule):
        argv = shlex.split(os.path.expandvars(command))[2:]
        assert compile_cli.main([*argv, "--output", str(tmp_path / "p.yaml")]) == 0, command
    job = vertex_environment.create_job.call_args.kwargs["pipeline_job"]
    scheduled = vertex_environment.create_schedule.call_args.kwargs["schedule"]
    for pipeline_job in (job, scheduled.create_pipeline_job_request.pipeline_job):
        values = type(pipeline_job).to_dict(pipeline_job)["runtime_config"]["parameter_values"]
        assert values["unity_license_secret"] == secret
        assert (values["vertex_project"], values["staging_bucket"]) == ("my-gcp-project", "gs://my-pipeline-bucket")
        assert pipeline_job.service_account == "unity-mlops-pipelines@my-gcp-project.iam.gserviceaccount.com"
    assert (scheduled.cron, scheduled.display_name) == ("TZ=Europe/Berlin 0 2 * * *", "unity-mlops-nightly")
