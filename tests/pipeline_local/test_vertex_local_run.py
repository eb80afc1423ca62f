"""The Vertex AI pipeline as the README submits it, run here twice with kfp.local.DockerRunner.

``python compile.py --target vertex --submit --project P --region R --pipeline-root gs://B/root
--parameters pipelines/training.parameters.yaml`` runs for real and sends its ``PipelineJob`` to a
fake Vertex AI; the test takes the pipeline spec and the parameter values from that request (not
retyped) and runs them here, every task in its image, twice. The second run must compare with
the champion the first one registered, and register version 2.

Fake (they cannot run here): Vertex AI, Secret Manager and Resource Manager, one local HTTP server
on 127.0.0.1 (:mod:`google_api_fake`) that the real client libraries reach through their
``api_endpoint`` (``VERTEX_AI_API_ENDPOINT``, ``SECRET_MANAGER_API_ENDPOINT``; aiplatform's own
Resource Manager client, which asks for the project's number to check that the pipeline root's
bucket belongs to the project, is given the server's), with service-account credentials
whose token endpoint is that server; and Vertex AI's JobService over gRPC for the train task's
custom training job (:mod:`google_api_fake.custom_jobs`), which runs the job's worker container
for real and reports its state. Real: compile.py and aiplatform's ``PipelineJob``, every stage in
its container (``network_mode="host"`` so they reach 127.0.0.1), google-cloud-pipeline-components'
custom-job launcher, mlagents-learn, and Cloud Storage on the ``gcp-storage-emulator``.

Two things Vertex AI's backend does that kfp.local does not, done here instead: the launcher's
image is google-cloud-pipeline-components' own, which cannot be pulled here, so the ``pipeline``
image (which installs the same release) is tagged with its name; and kfp.local resolves neither
the job's project and location placeholders of google-cloud-pipeline-components nor the
placeholders inside the custom job's worker spec (a parameter whose value holds placeholders of
its own), and it writes whole numbers as ``1.0`` where Vertex AI writes ``1``; the test adds
these to kfp.local's placeholder resolution.

Changes to the documented command that are not parameters: ``--output`` (the YAML goes to the
test's folder), ``--display-name`` (a job id of its own) and ``--image-alias unity-builder=pipeline``
(the Unity image needs Unity's own base, which cannot be pulled here; a stand-in build needs only
the library). The training budget
is made tiny with compile.py's own ``--param rl_config=...``; the test checks that every other
parameter equals what the documented command submits.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from google.auth.credentials import AnonymousCredentials
from google.cloud import storage
from google.cloud.aiplatform import initializer
from google.protobuf import json_format
from google_api_fake.credentials import service_account_file
from google_api_fake.custom_jobs import FakeCustomJobs
from google_api_fake.resource_manager import FakeResourceManager, projects_client_at, resource_manager_routes
from google_api_fake.secret_manager import FakeSecretManager, secret_manager_routes
from google_api_fake.server import FakeGoogleApis
from google_api_fake.vertex import FakeVertexAI, vertex_routes

import compile as compile_cli
from mlops_unity_pipeline.google_endpoints import SECRET_MANAGER, VERTEX_AI

from .test_docker_run import REPO_ROOT

PROJECT, REGION, BUCKET = "unity-mlops-test", "us-central1", "unity-mlops-e2e"
DOCUMENTED = [
    "--target",
    "vertex",
    "--submit",
    "--project",
    PROJECT,
    "--region",
    REGION,
    "--pipeline-root",
    f"gs://{BUCKET}/root",
    "--parameters",
    "pipelines/training.parameters.yaml",
]
TINY_BUDGET = "rl_config={algorithm: PPO, max_steps: 3000, num_envs: 1, time_scale: 20.0}"
MODELS = ("unity-mlops-policy-test-001", "unity-mlops-policy-patrol-001")
GCPC_IMAGE = "gcr.io/ml-pipeline/google-cloud-pipeline-components"


def submit(server: FakeGoogleApis, service: FakeVertexAI, argv: list[str], output: Path) -> dict[str, Any]:
    """Run compile.py with ``argv`` against the fake; return the PipelineJob it created, as JSON."""
    before = len(service.resources)
    initializer.global_config.init(
        project=PROJECT,
        location=REGION,
        credentials=AnonymousCredentials(),
        api_endpoint=server.endpoint,
        api_transport="rest",
    )
    errors = io.StringIO()
    with contextlib.chdir(REPO_ROOT), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(errors):
        status = compile_cli.main([*argv, "--output", str(output)])
    assert status == 0, errors.getvalue()
    (job,) = [r for name, r in list(service.resources.items())[before:] if "/pipelineJobs/" in name]
    return json_format.MessageToDict(type(job).pb(job))


def typed_parameters(job: dict[str, Any]) -> dict[str, Any]:
    """The job's parameter values with integers made integers again, as Vertex AI reads them by the
    spec's types (a protobuf ``Value`` holds every number as a double)."""
    types = job["pipelineSpec"]["root"]["inputDefinitions"]["parameters"]
    values = job["runtimeConfig"]["parameterValues"]
    return {
        name: int(value) if types[name]["parameterType"] == "NUMBER_INTEGER" else value
        for name, value in values.items()
    }


def resolve_as_vertex_ai_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make kfp.local resolve placeholders as Vertex AI's backend does: the job's project and location,
    placeholders inside resolved values (a custom job's worker spec), numbers as protobuf JSON."""
    from google_cloud_pipeline_components import _placeholders
    from kfp.local import placeholder_utils

    resolve_once = placeholder_utils.resolve_individual_placeholder
    # What Vertex AI puts there for a job submitted as above: its project and region, no account
    # (the project's default), network, persistent resource or key.
    vertex_only = {
        _placeholders.PROJECT_ID_PLACEHOLDER: PROJECT,
        _placeholders.LOCATION_PLACEHOLDER: REGION,
        _placeholders.SERVICE_ACCOUNT_PLACEHOLDER: "",
        _placeholders.NETWORK_PLACEHOLDER: "",
        _placeholders.PERSISTENT_RESOURCE_ID_PLACEHOLDER: "",
        _placeholders.ENCRYPTION_SPEC_KMS_KEY_NAME_PLACEHOLDER: "",
    }

    def resolve(element: str, *args: Any, **kwargs: Any) -> str:
        kwargs["executor_input_dict"] = whole_numbers(kwargs["executor_input_dict"])
        for placeholder, value in vertex_only.items():
            element = element.replace(placeholder, value)
        resolved = resolve_once(element, *args, **kwargs)
        while resolved != element:
            element, resolved = resolved, resolve_once(resolved, *args, **kwargs)
        return resolved

    monkeypatch.setattr(placeholder_utils, "resolve_individual_placeholder", resolve)


@contextlib.contextmanager
def launcher_image(job: dict[str, Any], client: str) -> Iterator[None]:
    """The ``pipeline`` image tagged as the custom-job launcher's image (after checking it holds that
    release) while the block runs; the tag is removed afterwards."""
    executors = job["pipelineSpec"]["deploymentSpec"]["executors"]
    images = {executor["container"]["image"] for executor in executors.values()}
    (launcher,) = [image for image in images if image.startswith(GCPC_IMAGE)]
    pipeline = executors["exec-register"]["container"]["image"]
    installed = subprocess.run(
        [
            client,
            "run",
            "--rm",
            pipeline,
            "python",
            "-c",
            "import importlib.metadata as m; print(m.version('google-cloud-pipeline-components'))",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.strip()
    assert launcher == f"{GCPC_IMAGE}:{installed}", (
        f"{pipeline} holds google-cloud-pipeline-components {installed}, the spec runs {launcher}"
    )
    subprocess.run([client, "tag", pipeline, launcher], check=True, timeout=60)
    try:
        yield
    finally:
        subprocess.run([client, "rmi", launcher], capture_output=True, check=False, timeout=60)


def whole_numbers(value: Any) -> Any:
    """Integral floats as integers: Vertex AI writes a parameter's numbers into a command line as
    protobuf JSON does (``1``), kfp.local as Python's JSON does (``1.0``), which the custom job's
    replica and GPU counts cannot take."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [whole_numbers(item) for item in value]
    return value


def run_here(job: dict[str, Any], root: Path, environment: dict[str, str]) -> Path:
    """Run the submitted spec with its parameters under kfp.local.DockerRunner; return the run's folder."""
    from kfp import components, local

    spec = root.parent / "submitted.yaml"
    spec.write_text(yaml.safe_dump(job["pipelineSpec"]))
    before = set(root.iterdir())
    local.init(
        runner=local.DockerRunner(network_mode="host", environment=environment),
        pipeline_root=str(root),
        raise_on_error=True,
    )
    components.load_component_from_file(str(spec))(**typed_parameters(job))
    name = job["pipelineSpec"]["pipelineInfo"]["name"]  # beside it: the run's checkpoints/ and the key
    (folder,) = [path for path in set(root.iterdir()) - before if path.is_dir() and path.name.startswith(name)]
    return folder


def registrations(folder: Path) -> dict[str, dict[str, Any]]:
    """Each asset's registration.json, by registered model name."""
    found = {}
    for path in folder.rglob("register/registration/registration.json"):
        document = json.loads(path.read_text())
        found[document["model_name"]] = {
            **document,
            "executor_output": json.loads((path.parents[1] / "executor_output.json").read_text()),
        }
    return found


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_the_submitted_vertex_pipeline_runs_here_twice_and_the_second_run_registers_version_2(
    tmp_path, gcs_emulator_host, monkeypatch, local_images
):

    for name in ("ENABLE_PIPELINE_CACHING", "VERTEX_SA_EMAIL", "VERTEX_PROJECT_ID", "VERTEX_PIPELINE_ROOT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", gcs_emulator_host)
    bucket = storage.Client(project=PROJECT, credentials=AnonymousCredentials()).create_bucket(BUCKET)
    projects = FakeResourceManager({PROJECT: str(bucket.project_number)})
    vertex = FakeVertexAI()
    secrets = FakeSecretManager(
        {
            f"projects/{PROJECT}/secrets/unity-license": [
                b'{"UNITY_SERIAL": "S", "UNITY_EMAIL": "e", "UNITY_PASSWORD": "p"}'
            ]
        }
    )
    root = tmp_path / "root"
    root.mkdir()
    try:
        with FakeGoogleApis(
            [(vertex_routes(), vertex), (secret_manager_routes(), secrets), (resource_manager_routes(), projects)]
        ) as server:
            projects_client_at(monkeypatch, server.endpoint)
            documented = submit(server, vertex, DOCUMENTED, tmp_path / "documented.yaml")
            job = submit(
                server,
                vertex,
                [
                    *DOCUMENTED,
                    "--image-alias",
                    "unity-builder=pipeline",
                    "--param",
                    TINY_BUDGET,
                    "--display-name",
                    "unity-mlops-training-here",
                ],
                tmp_path / "submitted.vertex.yaml",
            )
            parameters, expected = (
                job["runtimeConfig"]["parameterValues"],
                documented["runtimeConfig"]["parameterValues"],
            )
            assert {k: v for k, v in parameters.items() if k != "rl_config"} == {
                k: v for k, v in expected.items() if k != "rl_config"
            }
            assert parameters["vertex_project"] == PROJECT and parameters["vertex_region"] == REGION
            assert job["runtimeConfig"]["gcsOutputDirectory"] == f"gs://{BUCKET}/root"

            key = service_account_file(root / "key.json", PROJECT, f"{server.endpoint}/token")
            environment = {
                "STORAGE_EMULATOR_HOST": gcs_emulator_host,
                VERTEX_AI: server.endpoint,
                SECRET_MANAGER: server.endpoint,
                "GOOGLE_APPLICATION_CREDENTIALS": str(key),
                "NO_GCE_CHECK": "True",
                # Every task and custom-job worker shares this machine's network here (on Vertex AI each
                # has its own), so they share one cache folder, and with it the port reservations that
                # keep two trainings or evaluations on one machine off each other's ports.
                "MLOPS_CACHE_DIR": str(root / "machine-cache"),
            }
            resolve_as_vertex_ai_does(monkeypatch)
            with launcher_image(job, local_images), FakeCustomJobs(root, root, environment) as custom_jobs:
                tasks = environment | custom_jobs.environment  # the launcher's; the workers get the rest
                first = registrations(run_here(job, root, tasks))
                second = registrations(run_here(job, root, tasks))
            trainings = list(custom_jobs.service.jobs.values())
    finally:
        initializer.global_config.__init__()

    assert sorted(first) == sorted(second) == sorted(MODELS)
    for name in MODELS:
        parent = f"projects/{PROJECT}/locations/{REGION}/models/{name}"
        one, two = first[name], second[name]
        assert (one["backend"], one["uri"], one["quality_gate"]["reason"]) == (
            "vertex",
            f"{parent}@1",
            "no champion yet",
        )
        assert one["artifact_uri"].startswith(f"gs://{BUCKET}/")
        assert two["uri"] == f"{parent}@2"
        gate = two["quality_gate"]
        assert (gate["champion_version"], gate["champion"]) == ("1", one["quality_gate"]["candidate"])
        champion = "2" if gate["promoted"] else "1"
        assert [("champion" in aliases) for aliases in vertex.version_aliases(parent)] == [
            champion == "1",
            champion == "2",
        ]
        (model,) = two["executor_output"]["artifacts"]["vertex_model"]["artifacts"]
        assert model["metadata"] == {"resourceName": f"{parent}@2"}
        assert len(vertex.evaluations[f"{parent}@1"]) == len(vertex.evaluations[f"{parent}@2"]) == 1

    assert server.requests("GetProject"), "the submission did not check the pipeline root's bucket"
    assert len(trainings) == 4 and {training.state.name for training in trainings} == {"JOB_STATE_SUCCEEDED"}
    workers = {spec.container_spec.image_uri for training in trainings for spec in training.job_spec.worker_pool_specs}
    assert len(workers) == 1 and workers.pop().split(":")[0].endswith("/trainer")
    uploads = server.requests("UploadModel")
    assert sorted(request.parent_model for request in uploads) == sorted(
        ["", ""] + [f"projects/{PROJECT}/locations/{REGION}/models/{m}" for m in MODELS]
    )
    staged = {
        blob.name for blob in storage.Client(project=PROJECT, credentials=AnonymousCredentials()).list_blobs(BUCKET)
    }
    assert sum(name.endswith("/model.onnx") for name in staged) == 4
    runs = [name for name in vertex.resources if "/metadataStores/default/contexts/" in name and name.count("-") > 3]
    assert len([name for name in runs if any(f"/contexts/{m}-" in name for m in MODELS)]) == 4
