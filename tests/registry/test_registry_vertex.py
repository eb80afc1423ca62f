"""Registering in the Vertex AI Model Registry, tested the way python-aiplatform tests itself.

Mocked: only the Vertex AI ModelService calls (``ModelServiceClient.get_model`` and
``upload_model``, which returns a long-running operation), answered by an in-memory
:class:`FakeModelService` that keeps versions and moves aliases as Vertex does; credentials are
``AnonymousCredentials``. Real: every Cloud Storage upload and read, against the local
``gcp-storage-emulator``, and every file the register step reads.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from google.api_core import exceptions as api_exceptions
from google.auth.credentials import AnonymousCredentials

from mlops_unity_pipeline.codegen.manifest import sha256_file
from mlops_unity_pipeline.registry import VertexConfig, VertexRegistryError, register_model


PROJECT, REGION = "test-project", "us-central1"
PARENT = f"projects/{PROJECT}/locations/{REGION}/models/reacher"
REPO_ROOT = Path(__file__).resolve().parents[2]


def config(bucket) -> VertexConfig:
    return VertexConfig(PROJECT, REGION, f"gs://{bucket.name}/pipelines", credentials=AnonymousCredentials())


def test_first_version_creates_the_model_with_artifacts_in_gcs(tmp_path, make_run, vertex, gcs_bucket, monkeypatch):
    monkeypatch.setenv("MLOPS_REGISTRY_DIR", str(tmp_path / "file-registry"))
    _, upload = vertex
    run = make_run("job-1", 5.0, seed=1)
    registration = register_model(**run, vertex=config(gcs_bucket), aliases=["nightly"], out=tmp_path / "out")

    assert registration.uri == f"{PARENT}@1" and registration.backend == "vertex"
    assert registration.aliases == ("champion", "nightly") and registration.promoted
    request = upload.call_args.kwargs["request"]
    assert request.parent == f"projects/{PROJECT}/locations/{REGION}"
    assert request.model_id == "reacher" and request.parent_model == ""
    assert request.model.display_name == "reacher"
    assert list(request.model.version_aliases) == ["nightly", "champion", "default"]
    assert dict(request.model.labels) == {
        "managed_by": "unity-mlops", "job_id": "job-1", "quality_gate": "promoted",
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
    assert sorted(blobs) == ["behavior.json", "metadata.json", "model.onnx"]
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
    service, upload = vertex
    register_model(**make_run("job-1", 5.0, seed=1), vertex=config(gcs_bucket))
    held = register_model(**make_run("job-2", 5.5, seed=2), vertex=config(gcs_bucket), margin=1.0, aliases=["canary"])

    request = upload.call_args.kwargs["request"]
    assert request.parent_model == PARENT and request.model_id == ""
    assert list(request.model.version_aliases) == ["canary"], "not champion, not the default version"
    assert request.model.labels["quality_gate"] == "held"
    assert held.uri == f"{PARENT}@2" and not held.promoted
    assert (held.quality_gate["candidate"], held.quality_gate["champion"]) == (5.5, 5.0)
    assert held.quality_gate["champion_version"] == "1"

    promoted = register_model(**make_run("job-3", 7.0, seed=3), vertex=config(gcs_bucket), margin=1.0)
    request = upload.call_args.kwargs["request"]
    assert list(request.model.version_aliases) == ["champion", "default"]
    assert promoted.uri == f"{PARENT}@3" and promoted.promoted and promoted.quality_gate["champion"] == 5.0
    assert request.model.version_description.startswith("job job-3: quality gate mean_reward 7 beats champion 5")
    assert [list(v.version_aliases) for v in service.versions[PARENT]] == [[], ["canary"], ["champion", "default"]]


def test_an_api_error_is_a_clear_error_and_nothing_falls_back(tmp_path, make_run, vertex, gcs_bucket, monkeypatch):
    monkeypatch.setenv("MLOPS_REGISTRY_DIR", str(tmp_path / "file-registry"))
    _, upload = vertex
    upload.side_effect = api_exceptions.PermissionDenied("aiplatform.models.upload denied")
    run = make_run("job-1", 5.0)
    with pytest.raises(VertexRegistryError) as error:
        register_model(**run, vertex=config(gcs_bucket))
    message = str(error.value)
    assert "Vertex AI registration failed: 403 aiplatform.models.upload denied" in message
    assert f"the model stays at {run['model']}" in message and "are not registered" in message
    assert run["model"].is_file() and not (tmp_path / "file-registry").exists()


def test_a_missing_bucket_stops_before_any_upload(tmp_path, make_run, vertex, gcs_bucket):
    _, upload = vertex
    missing = VertexConfig(PROJECT, REGION, "gs://no-such-bucket-here", credentials=AnonymousCredentials())
    with pytest.raises(VertexRegistryError, match="staging bucket gs://no-such-bucket-here does not exist"):
        register_model(**make_run("job-1", 5.0), vertex=missing)
    upload.assert_not_called()


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
        "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "NO_GCE_CHECK": "True",
        "GOOGLE_APPLICATION_CREDENTIALS": str(tmp_path / "missing.json"),
        "MLOPS_REGISTRY_DIR": str(tmp_path / "file-registry"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "mlops_unity_pipeline", "register", "--model", str(run["model"]),
         "--generated", str(run["generated"]), "--training", str(run["training"]),
         "--evaluation", str(run["evaluation"]), "--job-id", "job-1", "--model-name", "reacher",
         "--vertex-project", PROJECT, "--staging-bucket", "gs://bucket"],
        capture_output=True, text=True, cwd=REPO_ROOT, env=env, timeout=120, check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "error: no usable Google Cloud credentials" in result.stderr
    assert "GOOGLE_APPLICATION_CREDENTIALS" in result.stderr and f"the model stays at {run['model']}" in result.stderr
    assert not (tmp_path / "file-registry").exists()
