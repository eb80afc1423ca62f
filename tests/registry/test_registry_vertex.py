"""Registering in the Vertex AI Model Registry with the real aiplatform client against a local fake.

Fake: Vertex AI itself (it cannot run here), answered over HTTP on 127.0.0.1 by
:class:`google_api_fake.vertex.FakeVertexAI`, which keeps versions and moves aliases as Vertex
does; aiplatform reaches it through ``VERTEX_AI_API_ENDPOINT`` and sends every request itself.
Credentials are ``AnonymousCredentials``. Real: every Cloud Storage upload and read, against the
local ``gcp-storage-emulator``, and every file the register step reads.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from google.api_core import exceptions as api_exceptions
from google.auth.credentials import AnonymousCredentials
from google_api_fake.credentials import service_account_file

from mlops_unity_pipeline.codegen.manifest import sha256_file
from mlops_unity_pipeline.registry import VertexConfig, VertexRegistryError, register_model
from mlops_unity_pipeline.registry.quality_gate import GateSettings

PROJECT, REGION = "test-project", "us-central1"
PARENT = f"projects/{PROJECT}/locations/{REGION}/models/reacher"
REPO_ROOT = Path(__file__).resolve().parents[2]


def config(bucket) -> VertexConfig:
    return VertexConfig(PROJECT, REGION, f"gs://{bucket.name}/pipelines", credentials=AnonymousCredentials())


def test_first_version_creates_the_model_with_artifacts_in_gcs(tmp_path, make_run, vertex, gcs_bucket, monkeypatch):
    monkeypatch.setenv("MLOPS_REGISTRY_DIR", str(tmp_path / "file-registry"))
    _, server = vertex
    run = make_run("job-1", 5.0, seed=1)
    registration = register_model(**run, vertex=config(gcs_bucket), aliases=["nightly"], out=tmp_path / "out")

    assert registration.uri == f"{PARENT}@1" and registration.backend == "vertex"
    assert registration.aliases == ("champion", "nightly") and registration.promoted
    (request,) = server.requests("UploadModel")
    assert request.parent == f"projects/{PROJECT}/locations/{REGION}"
    assert request.model_id == "reacher" and request.parent_model == ""
    assert request.model.display_name == "reacher"
    assert list(request.model.version_aliases) == ["nightly", "champion", "default"]
    assert dict(request.model.labels) == {
        "managed_by": "unity-mlops",
        "job_id": "job-1",
        "quality_gate": "promoted",
        "spec_sha256": json.loads((run["generated"] / "manifest.json").read_text())["inputs_sha256"][:16],
        "behavior_sha256": sha256_file(run["generated"] / "behavior.json")[:16],
    }
    assert request.model.description == "ML-Agents policy for behavior Reacher (asset reacher-1)"
    spec = request.model.container_spec
    assert spec.image_uri == f"{REGION}-docker.pkg.dev/{PROJECT}/unity-mlops/serving:latest"
    assert (spec.predict_route, spec.health_route, spec.ports[0].container_port) == ("/predict", "/health", 8080)

    artifact = request.model.artifact_uri
    assert artifact.startswith(f"gs://{gcs_bucket.name}/pipelines/unity-mlops/reacher/job-1-")
    prefix = artifact.removeprefix(f"gs://{gcs_bucket.name}/")
    blobs = {blob.name.removeprefix(prefix + "/"): blob for blob in gcs_bucket.client.list_blobs(gcs_bucket)}
    assert sorted(blobs) == ["behavior.json", "evaluation_metrics_schema.yaml", "metadata.json", "model.onnx"]
    assert blobs["model.onnx"].download_as_bytes() == run["model"].read_bytes()
    metadata = json.loads(blobs["metadata.json"].download_as_bytes())
    assert metadata["job_id"] == "job-1" and metadata["artifact_uri"] == artifact
    assert metadata["files"]["model.onnx"] == sha256_file(run["model"])
    assert metadata["quality_gate"]["reason"] == "no champion yet"
    assert json.loads((tmp_path / "out" / "registration.json").read_text())["uri"] == f"{PARENT}@1"
    assert not (tmp_path / "file-registry").exists(), "Vertex registration never also writes the file registry"


def test_later_versions_go_under_the_parent_model_and_the_gate_reads_the_champion_from_gcs(
    make_run, vertex, gcs_bucket
):
    service, server = vertex
    register_model(**make_run("job-1", 5.0, seed=1), vertex=config(gcs_bucket))
    held = register_model(
        **make_run("job-2", 5.5, seed=2), vertex=config(gcs_bucket), gate=GateSettings(margin=1.0), aliases=["canary"]
    )

    request = server.requests("UploadModel")[-1]
    assert request.parent_model == PARENT and request.model_id == ""
    assert list(request.model.version_aliases) == ["canary"], "not champion, not the default version"
    assert request.model.labels["quality_gate"] == "held"
    assert held.uri == f"{PARENT}@2" and not held.promoted
    assert (held.quality_gate["candidate"], held.quality_gate["champion"]) == (5.5, 5.0)
    assert held.quality_gate["champion_version"] == "1"

    promoted = register_model(
        **make_run("job-3", 7.0, seed=3), vertex=config(gcs_bucket), gate=GateSettings(margin=1.0)
    )
    request = server.requests("UploadModel")[-1]
    assert list(request.model.version_aliases) == ["champion", "default"]
    assert promoted.uri == f"{PARENT}@3" and promoted.promoted and promoted.quality_gate["champion"] == 5.0
    assert request.model.version_description.startswith("job job-3: quality gate mean_reward 7 beats champion 5")
    assert service.version_aliases(PARENT) == [[], ["canary"], ["champion", "default"]]


def test_an_api_error_is_a_clear_error_and_nothing_falls_back(tmp_path, make_run, vertex, gcs_bucket, monkeypatch):
    monkeypatch.setenv("MLOPS_REGISTRY_DIR", str(tmp_path / "file-registry"))
    service, _ = vertex

    def denied(request):
        raise api_exceptions.PermissionDenied("aiplatform.models.upload denied")

    monkeypatch.setattr(service, "upload_model", denied)
    run = make_run("job-1", 5.0)
    with pytest.raises(VertexRegistryError) as error:
        register_model(**run, vertex=config(gcs_bucket))
    message = str(error.value)
    assert "Vertex AI registration failed: 403 POST" in message and "aiplatform.models.upload denied" in message
    assert f"the model stays at {run['model']}" in message and "are not registered" in message
    assert run["model"].is_file() and not (tmp_path / "file-registry").exists()


def test_a_missing_bucket_stops_before_any_upload(tmp_path, make_run, vertex, gcs_bucket):
    _, server = vertex
    missing = VertexConfig(PROJECT, REGION, "gs://no-such-bucket-here", credentials=AnonymousCredentials())
    with pytest.raises(VertexRegistryError, match="staging bucket gs://no-such-bucket-here does not exist"):
        register_model(**make_run("job-1", 5.0), vertex=missing)
    assert server.rpcs() == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"project": ""}, "vertex_project is empty"),
        ({"region": "Europe"}, "vertex_region 'Europe' is not a region name"),
        ({"staging_bucket": None}, "needs a staging bucket"),
        ({"staging_bucket": "s3://bucket"}, "staging bucket 's3://bucket' is not allowed"),
    ],
)
def test_incomplete_configuration_is_refused(fields, message):
    with pytest.raises(VertexRegistryError, match=message):
        VertexConfig(**{"project": PROJECT, "region": REGION, "staging_bucket": "gs://b", **fields}).checked()


def test_no_credentials_on_the_command_line_is_exit_2_with_the_fix(tmp_path, make_run):
    """A real subprocess with no usable credentials: nothing is mocked here, and nothing is sent anywhere."""
    run = make_run("job-1", 5.0)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "NO_GCE_CHECK": "True",
        "GOOGLE_APPLICATION_CREDENTIALS": str(tmp_path / "missing.json"),
        "MLOPS_REGISTRY_DIR": str(tmp_path / "file-registry"),
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mlops_unity_pipeline",
            "register",
            "--model",
            str(run["model"]),
            "--generated",
            str(run["generated"]),
            "--training",
            str(run["training"]),
            "--evaluation",
            str(run["evaluation"]),
            "--job-id",
            "job-1",
            "--model-name",
            "reacher",
            "--vertex-project",
            PROJECT,
            "--staging-bucket",
            "gs://bucket",
        ],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "error: no usable Google Cloud credentials" in result.stderr
    assert "GOOGLE_APPLICATION_CREDENTIALS" in result.stderr and f"the model stays at {run['model']}" in result.stderr
    assert not (tmp_path / "file-registry").exists()


TENSORBOARD = f"projects/{PROJECT}/locations/{REGION}/tensorboards/42"


def _with_curve(run: dict, curve: list[tuple[int, float, float]]) -> dict:
    metrics = json.loads((run["training"] / "metrics.json").read_text())
    metrics["reward_curve"] = [{"step": s, "mean_reward": m, "std_reward": d} for s, m, d in curve]
    (run["training"] / "metrics.json").write_text(json.dumps(metrics))
    return run


def test_the_console_gets_the_evaluation_an_experiment_run_and_the_training_curves(make_run, vertex, gcs_bucket):
    from google.cloud.aiplatform_v1.types import tensorboard as gca_tensorboard

    service, server = vertex
    service.resources[TENSORBOARD] = gca_tensorboard.Tensorboard(name=TENSORBOARD, display_name="curves")
    run = _with_curve(make_run("nightly-7", 5.0, seed=1), [(500, 1.0, 0.5), (1000, 2.5, 0.25)])
    settings = VertexConfig(
        PROJECT,
        REGION,
        f"gs://{gcs_bucket.name}",
        credentials=AnonymousCredentials(),
        experiment="walkers",
        tensorboard=TENSORBOARD,
    )
    registration = register_model(**run, vertex=settings)

    (imported,) = server.requests("ImportModelEvaluation")
    assert imported.parent == f"{PARENT}@1"
    evaluation = imported.model_evaluation
    assert dict(evaluation.metrics)["mean_reward"] == 5.0 and dict(evaluation.metrics)["episodes"] == 2
    schema_uri = evaluation.metrics_schema_uri
    assert schema_uri == f"{registration.artifact_uri}/evaluation_metrics_schema.yaml"
    bucket, name = schema_uri.removeprefix("gs://").split("/", 1)
    schema = yaml.safe_load(gcs_bucket.client.bucket(bucket).blob(name).download_as_bytes())
    assert schema["properties"]["mean_reward"] == {"type": "number"} and schema["properties"]["episodes"] == {
        "type": "integer"
    }
    assert registration.vertex["evaluation"] == service.evaluations[f"{PARENT}@1"][0].name

    experiment_run = service.resources[registration.vertex["experiment_run"]]
    assert registration.vertex["experiment_run"].endswith("/metadataStores/default/contexts/walkers-nightly-7")
    logged = dict(experiment_run.metadata)
    assert logged["_state"] == "COMPLETE"
    assert (
        dict(logged["_params"])["model_version"] == f"{PARENT}@1" and dict(logged["_params"])["gate_promoted"] == "true"
    )
    assert dict(logged["_params"])["gate_method"] == "no champion"
    assert dict(logged["_metrics"])["mean_reward"] == 5.0 and dict(logged["_metrics"])["training_steps"] == 1000

    curves = {
        service.resources[name].display_name: [(p.step, p.scalar.value) for p in points]
        for name, points in service.time_series_data.items()
    }
    assert curves == {"mean_reward": [(500, 1.0), (1000, 2.5)], "std_reward": [(500, 0.5), (1000, 0.25)]}
    assert {name.rsplit("/", 2)[0] for name in service.time_series_data} == {
        f"{TENSORBOARD}/experiments/walkers/runs/nightly-7"
    }


def test_without_a_tensorboard_nothing_is_sent_to_one(make_run, vertex, gcs_bucket):
    _, server = vertex
    register_model(**_with_curve(make_run("job-1", 5.0), [(500, 1.0, 0.5)]), vertex=config(gcs_bucket))
    assert not [rpc for rpc in server.rpcs() if "Tensorboard" in rpc]
    assert "ImportModelEvaluation" in server.rpcs() and "CreateContext" in server.rpcs()


def test_a_failure_after_the_upload_says_the_version_is_registered(make_run, vertex, gcs_bucket, monkeypatch):
    service, _ = vertex

    def denied(request):
        raise api_exceptions.PermissionDenied("aiplatform.modelEvaluations.import denied")

    monkeypatch.setattr(service, "import_model_evaluation", denied)
    with pytest.raises(VertexRegistryError, match=rf"version {PARENT}@1 is registered, but its evaluation"):
        register_model(**make_run("job-1", 5.0), vertex=config(gcs_bucket))


def test_the_command_line_writes_a_vertex_model_artifact_for_kfp(
    tmp_path, make_run, vertex, gcs_bucket, gcs_emulator_host
):
    """A real subprocess with service-account credentials whose token endpoint is the fake's."""
    _, server = vertex
    key = service_account_file(tmp_path / "key.json", PROJECT, f"{server.endpoint}/token")
    run = make_run("job-1", 5.0)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "NO_GCE_CHECK": "True",
        "GOOGLE_APPLICATION_CREDENTIALS": str(key),
        "STORAGE_EMULATOR_HOST": gcs_emulator_host,
        "VERTEX_AI_API_ENDPOINT": server.endpoint,
        "PYTHONPATH": str(REPO_ROOT),
    }
    executor_output = tmp_path / "executor_output.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mlops_unity_pipeline",
            "--executor-output",
            str(executor_output),
            "register",
            "--model",
            str(run["model"]),
            "--generated",
            str(run["generated"]),
            "--training",
            str(run["training"]),
            "--evaluation",
            str(run["evaluation"]),
            "--run-name",
            "nightly run/for-loop-1",
            "--model-name",
            "reacher",
            "--vertex-project",
            PROJECT,
            "--staging-bucket",
            f"gs://{gcs_bucket.name}",
            "--registry",
            "",
            "--experiment",
            "",
            "--tensorboard",
            "",
            "--registry-in-output",
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(f"{PARENT}@1")
    output = json.loads(executor_output.read_text())
    (model,) = output["artifacts"]["vertex_model"]["artifacts"]
    assert model["uri"] == f"https://{REGION}-aiplatform.googleapis.com/v1/{PARENT}@1"
    assert model["metadata"] == {"resourceName": f"{PARENT}@1"}
    assert output["parameterValues"] == {"uri": f"{PARENT}@1", "promoted": True}
    registration = json.loads((tmp_path / "out" / "registration.json").read_text())
    assert registration["backend"] == "vertex" and registration["vertex"]["experiment_run"].endswith(
        "/contexts/reacher-nightly-run-for-loop-1"
    )
    assert not (tmp_path / "out" / "registry").exists()
    (upload,) = server.requests("UploadModel")
    assert upload.model.labels["job_id"] == "nightly_run_for-loop-1"


def test_the_evaluate_stage_fetches_the_champion_from_vertex_ai(tmp_path, make_run, vertex, gcs_bucket):
    """What the evaluate stage runs against: the champion's own model.onnx, downloaded from its artifacts."""
    from mlops_unity_pipeline.registry import VertexRegistry

    registry = VertexRegistry(config(gcs_bucket))
    assert registry.champion_model("reacher", tmp_path / "none") is None
    first = make_run("job-1", 5.0, seed=1)
    register_model(**first, vertex=config(gcs_bucket))
    register_model(**make_run("job-2", 4.0, seed=2), vertex=config(gcs_bucket), gate=GateSettings(margin=1.0))

    champion = registry.champion_model("reacher", tmp_path / "champion")
    assert champion is not None and champion.version == "1"
    assert champion.path == tmp_path / "champion" / "model.onnx"
    assert champion.path.read_bytes() == first["model"].read_bytes()


def test_a_registration_beside_another_one_finds_the_metadata_store_the_other_created(
    make_run, vertex, gcs_bucket, monkeypatch
):
    """Two assets register at once: both look for the default metadata store, the other creates it first."""
    service, server = vertex
    look_up = type(service).__getattr__(service, "get_metadata_store")
    create = type(service).__getattr__(service, "create_metadata_store")
    raced = []

    def get_metadata_store(request):
        if not raced:  # the other registration creates the store right after this look-up misses it
            raced.append(request.name)
            parent, _, store_id = request.name.rpartition("/metadataStores/")
            from google.cloud.aiplatform_v1.types import metadata_service, metadata_store

            create(
                metadata_service.CreateMetadataStoreRequest(
                    parent=parent, metadata_store=metadata_store.MetadataStore(), metadata_store_id=store_id
                )
            )
            raise api_exceptions.NotFound(f"{request.name} not found")
        return look_up(request)

    monkeypatch.setattr(service, "get_metadata_store", get_metadata_store, raising=False)
    registration = register_model(**make_run("job-1", 5.0), vertex=config(gcs_bucket))
    assert raced and registration.vertex["experiment_run"].endswith("/contexts/reacher-job-1")
    assert server.rpcs().count("CreateMetadataStore") == 1, "the second attempt found the store"


def test_a_paired_decision_reaches_the_version_and_its_experiment_run(tmp_path, make_run, vertex, gcs_bucket):
    """The evaluation here is written by hand (20 episodes, the candidate 1.0 better in each); the evaluate
    stage that makes real ones is tested in tests/evaluate/test_paired_gate.py."""
    from mlops_unity_pipeline.evaluation_report import ChampionEpisodes, Episode, EvaluationReport
    from mlops_unity_pipeline.registry import VertexRegistry

    service, server = vertex
    register_model(**make_run("job-1", 5.0, seed=1), vertex=config(gcs_bucket))
    champion = VertexRegistry(config(gcs_bucket)).champion_model("reacher", tmp_path / "champion")
    run = make_run("job-2", 5.0, seed=2)
    theirs = tuple(Episode(float(i % 3), 10, True) for i in range(20))
    ours = tuple(Episode(episode.reward + 1.0, 10, True) for episode in theirs)
    EvaluationReport(
        "Reacher",
        sha256_file(run["model"]),
        "standin",
        4,
        ours,
        ChampionEpisodes(champion.version, sha256_file(champion.path), theirs),
    ).write(run["evaluation"])
    registration = register_model(**run, vertex=config(gcs_bucket))

    assert registration.promoted and registration.quality_gate["method"] == "paired"
    assert server.requests("UploadModel")[-1].model.version_description.startswith(
        "job job-2: quality gate paired over 20 episodes: mean_reward "
    )
    logged = dict(service.resources[registration.vertex["experiment_run"]].metadata)
    assert dict(logged["_params"])["gate_method"] == "paired"
    assert dict(logged["_metrics"])["gate_interval_low"] == dict(logged["_metrics"])["gate_mean_difference"] == 1.0
