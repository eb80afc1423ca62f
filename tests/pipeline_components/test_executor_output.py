"""The executor-output helper: what it writes must be KFP's ``ExecutorOutput`` message."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from google.protobuf import json_format
from kfp.pipeline_spec import pipeline_spec_pb2

from mlops_unity_pipeline.cli import main
from mlops_unity_pipeline.kfp_executor_output import (
    ExecutorOutputError,
    OutputArtifact,
    executor_output,
    uri_for_local_path,
    write_executor_output,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("/gcs/bucket/root/run/train/model", "gs://bucket/root/run/train/model"),
        ("/minio/mlpipeline/v2/artifacts/x", "minio://mlpipeline/v2/artifacts/x"),
        ("/s3/bucket/key", "s3://bucket/key"),
        ("/tmp/local-root/task/generated", "/tmp/local-root/task/generated"),
    ],
)
def test_mount_paths_map_back_to_the_uris_the_launcher_mounted(path: str, uri: str) -> None:
    assert uri_for_local_path(path) == uri


def test_a_relative_path_becomes_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert uri_for_local_path("out/policy.onnx") == str(tmp_path / "out" / "policy.onnx")


def test_the_document_parses_as_kfp_executor_output(tmp_path: Path) -> None:
    path = write_executor_output(
        tmp_path / "nested" / "executor_output.json",
        {
            "model": OutputArtifact("/gcs/b/train/policy.onnx", {"framework": "onnx", "opset": 9}),
            "metrics": OutputArtifact("/gcs/b/train/metrics.json", {"final_mean_reward": 0.75, "steps": 1000}),
        },
        {"behavior_name": "SimpleAgent", "episodes": 20},
    )
    message = json_format.Parse(path.read_text(), pipeline_spec_pb2.ExecutorOutput())
    model = message.artifacts["model"].artifacts[0]
    assert model.uri == "gs://b/train/policy.onnx"
    assert model.metadata["framework"] == "onnx"
    assert message.artifacts["metrics"].artifacts[0].metadata["final_mean_reward"] == 0.75
    assert message.parameter_values["behavior_name"].string_value == "SimpleAgent"
    assert message.parameter_values["episodes"].number_value == 20


def test_no_outputs_is_an_empty_message() -> None:
    assert executor_output() == {}


@pytest.mark.parametrize("bad", [math.nan, math.inf, object()])
def test_values_json_cannot_carry_are_named(bad: object) -> None:
    with pytest.raises(ExecutorOutputError, match="metrics.loss"):
        executor_output({"metrics": OutputArtifact("/tmp/m", {"loss": bad})})


def test_codegen_writes_its_executor_output(tmp_path: Path) -> None:
    examples = REPO_ROOT / "examples" / "simple_agent"
    eo = tmp_path / "kfp" / "executor_output.json"
    out = tmp_path / "generated"
    status = main(
        [
            "--executor-output",
            str(eo),
            "codegen",
            "--asset-spec",
            str(examples / "asset_spec.yaml"),
            "--rl-config",
            str(examples / "rl_config.yaml"),
            "--out",
            str(out),
        ]
    )
    assert status == 0
    document = json.loads(eo.read_text())
    generated = document["artifacts"]["generated"]["artifacts"][0]
    assert generated["uri"] == str(out)
    assert generated["metadata"] == {"asset_id": "test-001", "behavior_name": "SimpleAgent"}
    assert document["parameterValues"] == {"asset_id": "test-001", "behavior_name": "SimpleAgent"}


def test_the_helper_imports_neither_kfp_nor_google_cloud() -> None:
    """Stages in the trainer's Python 3.10 environment (no kfp, old protobuf) must be able to use it.

    (The bare ``google.cloud`` namespace is imported by a .pth file at start-up; no package under it may be.)
    """
    code = (
        "import sys, mlops_unity_pipeline.kfp_executor_output, mlops_unity_pipeline.cli;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'kfp' or m.startswith('google.cloud.')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT)
    assert result.stdout.strip() == "[]"
