"""The serving image's server, answering real HTTP requests for real ONNX policies.

Models come from the file registry, from a plain folder and from the GCS emulator (as Vertex AI
hands them over in ``AIP_STORAGE_URI``); nothing is mocked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from mlops_unity_pipeline.behavior import BehaviorSpec
from mlops_unity_pipeline.onnx_policy import OnnxPolicy, PolicyMismatchError
from mlops_unity_pipeline.serving import ServingConfig, ServingConfigError, make_server

REPO_ROOT = Path(__file__).resolve().parents[2]


def http(method: str, url: str, body: object | None = None) -> tuple[int, dict]:
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def running(tmp_path):
    """``running(model_dir, **config)`` → base URL of an in-process server on a free port."""
    servers = []

    def start(model_dir: Path, **fields) -> str:
        server = make_server(ServingConfig(str(model_dir), port=0, host="127.0.0.1", **fields))
        servers.append(server)
        host, port = server.start()
        return f"http://{host}:{port}"

    yield start
    for server in servers:
        server.stop()


def model_folder(spec_dir: Path, target: Path, onnx_policy, seed: int = 0) -> Path:
    spec = BehaviorSpec.load(spec_dir)
    onnx_policy(spec, target / "model.onnx", seed=seed)
    (target / "behavior.json").write_bytes((spec_dir / "behavior.json").read_bytes())
    return target


def test_continuous_policy_answers_a_batch_with_the_policy_s_own_actions(tmp_path, codegen_dir, onnx_policy, running):
    folder = model_folder(codegen_dir("Reacher"), tmp_path / "model", onnx_policy)
    spec = BehaviorSpec.load(folder)
    url = running(folder, health_route="/v1/healthz", predict_route="/v1/models/policy:predict")

    assert http("GET", f"{url}/v1/healthz") == (200, {"status": "ready", "observation_size": spec.observation_size})
    observations = np.random.default_rng(0).uniform(-1, 1, (3, spec.observation_size)).round(4)
    status, body = http("POST", f"{url}/v1/models/policy:predict", {"instances": observations.tolist()})
    assert status == 200 and len(body["predictions"]) == 3
    expected = OnnxPolicy(folder / "model.onnx").act(observations).continuous
    for prediction, row in zip(body["predictions"], expected, strict=True):
        assert list(prediction) == ["continuous_actions"]
        assert len(prediction["continuous_actions"]) == spec.actions.continuous_size == 2
        assert prediction["continuous_actions"] == pytest.approx(row.tolist(), abs=1e-6)


def test_discrete_policy_honours_action_masks(tmp_path, codegen_dir, onnx_policy, running):
    spec_dir = codegen_dir("Walker", action_space={"type": "discrete", "branches": [3, 3]})
    folder = model_folder(spec_dir, tmp_path / "model", onnx_policy, seed=4)
    size = BehaviorSpec.load(folder).observation_size
    url = running(folder)
    observations = np.random.default_rng(1).uniform(-1, 1, (16, size)).round(3).tolist()
    only = [0, 0, 1, 1, 0, 0]  # branch 0 may only pick 2, branch 1 only 0
    instances = [{"observation": obs, "action_mask": only} for obs in observations] + [observations[0]]
    status, body = http("POST", f"{url}/predict", {"instances": instances})
    assert status == 200
    actions = [p["discrete_actions"] for p in body["predictions"]]
    assert actions[:16] == [[2, 0]] * 16
    assert len(actions[16]) == 2 and all(0 <= a < 3 for a in actions[16])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "body is not JSON"),
        ({"inputs": []}, 'body must be {"instances": [...]}'),
        ({"instances": [[0.0] * 3]}, "instances[0]: expected a list of 12 numbers, got 3"),
        ({"instances": [[0.0] * 12, [0.0] * 11 + ["x"]]}, "instances[1][11]: 'x' is not a finite number"),
        ({"instances": [{"obs": [0.0] * 12}]}, "instances[0]: expected keys 'observation'"),
        ({"instances": [{"observation": [0.0] * 12, "action_mask": [1]}]}, "has no discrete actions to mask"),
    ],
)
def test_bad_requests_get_400_saying_what_and_where(tmp_path, codegen_dir, onnx_policy, running, body, message):
    folder = model_folder(codegen_dir("Reacher"), tmp_path / "model", onnx_policy)
    assert BehaviorSpec.load(folder).observation_size == 12
    url = running(folder)
    status, answer = http("POST", f"{url}/predict", body)
    assert status == 400 and message in answer["error"]
    assert http("GET", f"{url}/nope")[0] == 404 and http("POST", f"{url}/health", {})[0] == 404


def test_a_policy_that_does_not_fit_its_behavior_is_refused_before_serving(tmp_path, codegen_dir, onnx_policy):
    folder = model_folder(codegen_dir("Reacher"), tmp_path / "model", onnx_policy)
    other = BehaviorSpec.load(codegen_dir("Walker", action_space={"type": "discrete", "branches": [5]}))
    onnx_policy(other, folder / "model.onnx")
    with pytest.raises(PolicyMismatchError, match="does not match behavior Reacher"):
        make_server(ServingConfig(str(folder), port=0))


def test_config_comes_from_vertex_s_environment_variables():
    env = {"AIP_STORAGE_URI": "gs://b/m", "AIP_HTTP_PORT": "9000", "AIP_HEALTH_ROUTE": "/h", "AIP_PREDICT_ROUTE": "/p"}
    assert ServingConfig.from_env(env) == ServingConfig("gs://b/m", 9000, "0.0.0.0", "/h", "/p")
    assert ServingConfig.from_env({"AIP_STORAGE_URI": "/m"}, port=1).port == 1
    with pytest.raises(ServingConfigError, match="set AIP_STORAGE_URI"):
        ServingConfig.from_env({})
    with pytest.raises(ServingConfigError, match="AIP_HTTP_PORT 'http' is not a port number"):
        ServingConfig.from_env({"AIP_STORAGE_URI": "/m", "AIP_HTTP_PORT": "http"})


def test_the_serve_command_loads_a_model_from_gcs_like_vertex_ai_does(
    tmp_path, codegen_dir, onnx_policy, gcs_bucket, gcs_emulator_host
):
    """A real subprocess, configured only through the ``AIP_*`` variables, reading the GCS emulator."""
    folder = model_folder(codegen_dir("Reacher"), tmp_path / "model", onnx_policy, seed=2)
    for path in folder.iterdir():
        gcs_bucket.blob(f"vertex-copy/{path.name}").upload_from_filename(str(path))
    port = _free_port()
    env = {
        **os.environ,
        "STORAGE_EMULATOR_HOST": gcs_emulator_host,
        "AIP_HTTP_PORT": str(port),
        "AIP_STORAGE_URI": f"gs://{gcs_bucket.name}/vertex-copy",
        "AIP_HEALTH_ROUTE": "/health",
        "AIP_PREDICT_ROUTE": "/predict",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "mlops_unity_pipeline", "serve"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(f"{url}/health", process)
        status, body = http("POST", f"{url}/predict", {"instances": [[0.5] * 12, [-0.5] * 12]})
        assert status == 200 and [len(p["continuous_actions"]) for p in body["predictions"]] == [2, 2]
    finally:
        process.terminate()
        process.wait(timeout=10)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited: {process.stderr.read()}")
        try:
            if http("GET", url)[0] == 200:
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"{url} never became healthy")


TRAINED = Path(__file__).resolve().parent / "data" / "simple_agent_trained"


def test_a_policy_trained_by_the_pipeline_is_served_with_actions_of_the_right_shape(running):
    """``data/simple_agent_trained`` holds a policy.onnx exported by mlagents-learn in the train stage."""
    spec = BehaviorSpec.load(TRAINED)
    url = running(TRAINED)
    observations = np.random.default_rng(5).uniform(-1, 1, (32, spec.observation_size)).round(4)
    status, body = http("POST", f"{url}/predict", {"instances": observations.tolist()})
    assert status == 200 and len(body["predictions"]) == 32
    actions = np.array([p["continuous_actions"] for p in body["predictions"]])
    assert actions.shape == (32, spec.actions.continuous_size) and np.all(np.abs(actions) <= 1.0)
    expected = OnnxPolicy(TRAINED / "model.onnx", spec).act(observations).continuous
    assert actions == pytest.approx(expected, abs=1e-6)
    assert len({tuple(row) for row in actions.round(3)}) > 1, "different observations, different actions"
