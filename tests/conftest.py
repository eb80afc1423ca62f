"""Fixtures shared across the test suite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from vertex_fakes import vertex  # noqa: F401  (a fixture: Vertex AI's ModelService answered in memory)

from mlops_unity_pipeline import trainer_env as trainer_env_module

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # components/, pipelines/ and tests.* import from the checkout's root
    sys.path.insert(0, str(REPO_ROOT))

#: A small PPO trainer config for tests that need a policy, not learning: one update at 512 steps.
TINY_PPO = {
    "trainer_type": "ppo",
    "hyperparameters": {"batch_size": 64, "buffer_size": 512, "learning_rate": 3.0e-4, "num_epoch": 2},
    "network_settings": {"hidden_units": 32, "num_layers": 1},
    "time_horizon": 32,
    "max_steps": 1024,
    "summary_freq": 512,
}
#: TINY_PPO as the fields of an RL config (``RLTrainingConfig(**TINY_RL)``), for jobs that need a policy.
TINY_RL = {
    "max_steps": TINY_PPO["max_steps"],
    "num_envs": 1,
    "time_horizon": TINY_PPO["time_horizon"],
    "summary_freq": TINY_PPO["summary_freq"],
    "hyperparameters": TINY_PPO["hyperparameters"],
    "network_settings": TINY_PPO["network_settings"],
}


def run_cli(
    *args: object, cwd: Path = REPO_ROOT, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """``python -m mlops_unity_pipeline ARGS`` in a subprocess, its output captured, ``env`` added to this
    process's environment; the caller judges its exit status."""
    return subprocess.run(
        [sys.executable, "-m", "mlops_unity_pipeline", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        check=False,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def trainer_env() -> trainer_env_module.TrainerEnv:
    """The Python 3.10 environment with mlagents 1.1.0 (``make test`` builds it before the tests)."""
    env = trainer_env_module.locate()
    if env is None or not env.python.exists():
        pytest.fail("no trainer environment is ready: run 'make trainer-env' (make test does it first)")
    return env


@pytest.fixture(scope="session")
def run_in_trainer_env(trainer_env):
    """Run Python code in the trainer environment with this library importable; returns the process."""

    def run(code: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(trainer_env.python), "-c", code, *args],
            capture_output=True,
            text=True,
            env=trainer_env.environment(),
            timeout=timeout,
            check=False,
        )

    return run


# -- ONNX policies and stage folders for the evaluate / register / serve tests ----------------


def build_onnx_policy(spec, path: Path, seed: int = 0, weights=None) -> Path:
    """Write a small real ONNX policy with mlagents 1.1.0's input and output names and shapes.

    Continuous: ``tanh(obs @ W)``; discrete: per branch, the arg-max of ``obs @ W`` with masked
    actions pushed to -1e9. ``W`` is ``weights`` when given, else random from ``seed``.
    """
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(seed)
    obs_size = spec.observation_size
    inputs = [helper.make_tensor_value_info("obs_0", TensorProto.FLOAT, ["batch", obs_size])]
    outputs = [
        helper.make_tensor_value_info("version_number", TensorProto.FLOAT, [1]),
        helper.make_tensor_value_info("memory_size", TensorProto.FLOAT, [1]),
    ]
    inits = [
        numpy_helper.from_array(np.array([3.0], dtype=np.float32), "version_const"),
        numpy_helper.from_array(np.array([0.0], dtype=np.float32), "memory_const"),
    ]
    nodes = [
        helper.make_node("Identity", ["version_const"], ["version_number"]),
        helper.make_node("Identity", ["memory_const"], ["memory_size"]),
    ]
    if spec.actions.continuous_size:
        size = spec.actions.continuous_size
        inits += [
            numpy_helper.from_array(_weights(weights, rng, (obs_size, size)), "w"),
            numpy_helper.from_array(np.array([size], dtype=np.float32), "cont_shape"),
        ]
        nodes += [
            helper.make_node("MatMul", ["obs_0", "w"], ["logits"]),
            helper.make_node("Tanh", ["logits"], ["deterministic_continuous_actions"]),
            helper.make_node("Identity", ["deterministic_continuous_actions"], ["continuous_actions"]),
            helper.make_node("Identity", ["cont_shape"], ["continuous_action_output_shape"]),
        ]
        outputs += [
            helper.make_tensor_value_info(name, TensorProto.FLOAT, ["batch", size])
            for name in ("continuous_actions", "deterministic_continuous_actions")
        ] + [helper.make_tensor_value_info("continuous_action_output_shape", TensorProto.FLOAT, [1])]
    else:
        branches = list(spec.actions.discrete_branches)
        total = sum(branches)
        inputs.append(helper.make_tensor_value_info("action_masks", TensorProto.FLOAT, ["batch", total]))
        inits += [
            numpy_helper.from_array(_weights(weights, rng, (obs_size, total)), "w"),
            numpy_helper.from_array(np.array([1.0], dtype=np.float32), "one"),
            numpy_helper.from_array(np.array([1e9], dtype=np.float32), "big"),
            numpy_helper.from_array(np.array(branches, dtype=np.float32), "disc_shape"),
        ]
        nodes += [
            helper.make_node("MatMul", ["obs_0", "w"], ["logits"]),
            helper.make_node("Sub", ["action_masks", "one"], ["mask_off"]),
            helper.make_node("Mul", ["mask_off", "big"], ["penalty"]),
            helper.make_node("Add", ["logits", "penalty"], ["masked"]),
        ]
        starts = np.cumsum([0] + branches[:-1])
        picks = []
        for index, (start, size) in enumerate(zip(starts, branches)):
            inits += [
                numpy_helper.from_array(np.array([start], dtype=np.int64), f"s{index}"),
                numpy_helper.from_array(np.array([start + size], dtype=np.int64), f"e{index}"),
                numpy_helper.from_array(np.array([1], dtype=np.int64), f"a{index}"),
            ]
            nodes += [
                helper.make_node("Slice", ["masked", f"s{index}", f"e{index}", f"a{index}"], [f"branch{index}"]),
                helper.make_node("ArgMax", [f"branch{index}"], [f"pick{index}"], axis=1, keepdims=1),
            ]
            picks.append(f"pick{index}")
        nodes += [
            helper.make_node("Concat", picks, ["deterministic_discrete_actions"], axis=1),
            helper.make_node("Identity", ["deterministic_discrete_actions"], ["discrete_actions"]),
            helper.make_node("Identity", ["disc_shape"], ["discrete_action_output_shape"]),
        ]
        outputs += [
            helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", len(branches)])
            for name in ("discrete_actions", "deterministic_discrete_actions")
        ] + [helper.make_tensor_value_info("discrete_action_output_shape", TensorProto.FLOAT, [len(branches)])]
    graph = helper.make_graph(nodes, "policy", inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="tests")
    model.ir_version = 8
    onnx.checker.check_model(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(path))
    return path


def _weights(weights, rng, shape):
    import numpy as np

    return (rng.normal(0, 0.5, shape) if weights is None else np.asarray(weights)).astype(np.float32)


@pytest.fixture
def onnx_policy():
    """``onnx_policy(spec, path, seed=0)`` writes a small real ONNX policy; see :func:`build_onnx_policy`."""
    return build_onnx_policy


@pytest.fixture
def codegen_dir(tmp_path_factory):
    """Make a codegen output folder for an asset: ``codegen_dir(name, **asset_fields)`` → its path."""
    from mlops_unity_pipeline.codegen import generate
    from mlops_unity_pipeline.specs import RLTrainingConfig, UnityAssetSpec

    def make(name: str = "Reacher", **fields) -> Path:
        out = tmp_path_factory.mktemp(f"generated-{name}")
        asset = UnityAssetSpec(asset_id=f"{name.lower()}-1", name=name, **fields)
        generate(asset, RLTrainingConfig(max_steps=3000), out)
        return out

    return make


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def gcs_emulator_host():
    """A real local Cloud Storage emulator (``gcp-storage-emulator``, in memory) for the whole session."""
    import shutil
    import sys
    import time
    import urllib.request

    port = _free_port()
    executable = shutil.which("gcp-storage-emulator") or str(Path(sys.executable).parent / "gcp-storage-emulator")
    process = subprocess.Popen(
        [executable, "start", "--host", "127.0.0.1", "--port", str(port), "--in-memory", "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    host = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{host}/storage/v1/b?project=test", timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the GCS emulator did not start on {host}")
            time.sleep(0.05)
    yield host
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def gcs_bucket(gcs_emulator_host, monkeypatch, request):
    """A fresh bucket in the emulator, with ``STORAGE_EMULATOR_HOST`` set for this test; yields the bucket."""
    import re

    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    monkeypatch.setenv("STORAGE_EMULATOR_HOST", gcs_emulator_host)
    client = storage.Client(project="test-project", credentials=AnonymousCredentials())
    name = re.sub(r"[^a-z0-9-]", "-", request.node.name.lower())[:50].strip("-") + f"-{_free_port()}"
    return client.create_bucket(name)


@pytest.fixture(scope="session")
def unity_api(tmp_path_factory):
    """API stubs of UnityEngine, UnityEditor 6000.0 and com.unity.ml-agents 3.0, compiled with mcs."""
    from mono_csharp import build_unity_api

    return build_unity_api(tmp_path_factory.mktemp("unity-api"))


@pytest.fixture(scope="session")
def unity_shim(tmp_path_factory):
    """The small engine (and ML-Agents lifecycle) that runs generated Agents under mono."""
    from mono_csharp import build_unity_shim

    return build_unity_shim(tmp_path_factory.mktemp("unity-shim"))
