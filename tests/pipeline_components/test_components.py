"""The components: each compiles on its own, is documented, and runs the stage command it should.

Two levels, as kubeflow/pipelines-components tests: the component's interface and command line
(against a recording stand-in for ``python``), and a local run of the codegen component whose
outputs kfp reads back from the executor output the stage wrote.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from kfp import compiler, dsl

from components.build import build
from components.champion import champion
from components.codegen import codegen
from components.evaluate import evaluate
from components.notify import notify
from components.plan_seeds import plan_seeds
from components.project_version import project_version
from components.register import register
from components.select_seed import select_seed
from components.train import train

from .local_run import run_component

COMPONENTS_DIR = Path(__file__).resolve().parents[2] / "components"
ALL = {
    "codegen": codegen,
    "project_version": project_version,
    "build": build,
    "champion": champion,
    "plan_seeds": plan_seeds,
    "train": train,
    "select_seed": select_seed,
    "evaluate": evaluate,
    "register": register,
    "notify": notify,
}


@pytest.mark.parametrize("name", sorted(ALL))
def test_each_component_compiles_alone_and_has_a_readme_naming_its_io(name: str, tmp_path: Path) -> None:
    component = ALL[name]
    compiler.Compiler().compile(component, str(tmp_path / f"{name}.yaml"))
    readme = (COMPONENTS_DIR / name / "README.md").read_text()
    spec = component.component_spec
    for io_name in [*spec.inputs, *(spec.outputs or {})]:
        assert f"`{io_name}`" in readme, f"components/{name}/README.md does not document {io_name!r}"
    assert "## Example" in readme


@pytest.fixture
def recording_python(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """A ``python`` first on PATH that records its arguments instead of running a stage."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "argv.json"
    fake = bin_dir / "python"
    fake.write_text(f'#!{sys.executable}\nimport json, sys\njson.dump(sys.argv[1:], open({str(log)!r}, "w"))\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}, log


def _artifact(cls: type, path: Path) -> dsl.Artifact:
    path.mkdir(parents=True, exist_ok=True)
    return cls(name=path.name, uri=str(path), metadata={})


def _stage_args(argv: list[str], timeout: str = "60s") -> list[str]:
    assert argv[:3] == ["-m", "mlops_unity_pipeline", "--executor-output"]
    assert argv[3].endswith("executor_output.json")
    assert argv[4:6] == ["--timeout", timeout]
    return argv[6:]


def test_build_passes_every_value_as_given(recording_python, tmp_path: Path) -> None:
    """No shell: the stage command reads a gs:// project at /gcs/ and takes empty values as not set."""
    env, log = recording_python
    generated = _artifact(dsl.Artifact, tmp_path / "gen")
    arguments = {
        "generated": generated,
        "unity_project_uri": "gs://bucket/Game",
        "backend": "unity",
        "license_secret": "projects/p/secrets/unity/versions/2",
        "project_version": "abc123",
        "timeout": "60s",
    }
    run_component(build, arguments, tmp_path / "root", env)
    args = _stage_args(json.loads(log.read_text()))
    assert args == [
        "build",
        "--generated",
        str(tmp_path / "gen"),
        "--out",
        args[4],
        "--backend",
        "unity",
        "--unity-project",
        "gs://bucket/Game",
        "--license-secret",
        "projects/p/secrets/unity/versions/2",
        "--project-version",
        "abc123",
    ]
    assert args[4].endswith("/player")


def test_train_runs_in_the_checkpoints_of_its_run_and_asset(recording_python, tmp_path: Path) -> None:
    env, log = recording_python
    arguments = {
        "generated": _artifact(dsl.Artifact, tmp_path / "gen"),
        "player": _artifact(dsl.Artifact, tmp_path / "player"),
        "champion": _artifact(dsl.Artifact, tmp_path / "champion"),
        "demonstrations_uri": "gs://b/demos/expert.demo",
        "pipeline_root": "gs://bucket/root",
        "run_id": "run-7",
        "asset_id": "reach-001",
        "seed": 5,
        "seed_index": 1,
        "timeout": "86400s",
    }
    run_component(train, arguments, tmp_path / "root", env)
    args = _stage_args(json.loads(log.read_text()), timeout="86400s")
    assert args == [
        "train",
        "--build",
        str(tmp_path / "player"),
        "--generated",
        str(tmp_path / "gen"),
        "--out",
        args[6],
        "--demos",
        "gs://b/demos/expert.demo",
        "--pipeline-root",
        "gs://bucket/root",
        "--run-id",
        "run-7",
        "--asset-id",
        "reach-001",
        "--champion",
        str(tmp_path / "champion"),
        "--seed",
        "5",
        "--seed-index",
        "1",
    ]
    assert args[6].endswith("/training")


def test_the_stage_commands_read_gcs_uris_at_the_vertex_mount_and_empty_values_as_unset(tmp_path: Path) -> None:
    from mlops_unity_pipeline.kfp_executor_output import local_path_for_uri
    from mlops_unity_pipeline.pipeline_root import checkpoints_uri

    assert local_path_for_uri("gs://bucket/Game") == "/gcs/bucket/Game"
    assert local_path_for_uri("/data/Game") == "/data/Game" and local_path_for_uri("") == ""
    assert checkpoints_uri("gs://bucket/root/", "run-7", "reach-001") == "gs://bucket/root/checkpoints/run-7/reach-001"
    assert (
        checkpoints_uri("gs://bucket/root", "run-7", "reach-001", 2)
        == "gs://bucket/root/checkpoints/run-7/reach-001.seed-2"
    )
    env = {**os.environ, "PYTHONPATH": str(COMPONENTS_DIR.parent)}
    env.pop("UNITY_EDITOR_PATH", None)
    env.pop("UNITY_BUILD_COMMAND", None)
    generated = tmp_path / "gen"
    codegen_run = subprocess.run(
        [
            sys.executable,
            "-m",
            "mlops_unity_pipeline",
            "codegen",
            "--asset-spec",
            str(COMPONENTS_DIR.parent / "examples" / "simple_agent" / "asset_spec.yaml"),
            "--out",
            str(generated),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert codegen_run.returncode == 0, codegen_run.stderr
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "mlops_unity_pipeline",
            "build",
            "--generated",
            str(generated),
            "--out",
            str(tmp_path / "player"),
            "--backend",
            "auto",
            "--unity-project",
            "",
            "--license-secret",
            "",
            "--project-version",
            "",
        ],
        capture_output=True,
        text=True,
        env={**env, "MLOPS_BUILD_CACHE": str(tmp_path / "cache")},
        check=False,
    )
    assert built.returncode == 0, built.stderr
    assert json.loads((tmp_path / "player" / "build_info.json").read_text())["backend"] == "standin"
    trained = subprocess.run(
        [
            sys.executable,
            "-m",
            "mlops_unity_pipeline",
            "train",
            "--build",
            str(tmp_path / "player"),
            "--generated",
            str(generated),
            "--out",
            str(tmp_path / "training"),
            "--pipeline-root",
            "gs://bucket/root",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert trained.returncode == 2 and "--pipeline-root needs --run-id and --asset-id" in trained.stderr


def test_evaluate_runs_the_policy_and_the_fetched_champion_for_the_episodes(recording_python, tmp_path: Path) -> None:
    env, log = recording_python
    model = tmp_path / "training" / "policy.onnx"
    model.parent.mkdir()
    model.write_bytes(b"onnx")
    arguments = {
        "model": dsl.Model(name="model", uri=str(model), metadata={}),
        "player": _artifact(dsl.Artifact, tmp_path / "player"),
        "generated": _artifact(dsl.Artifact, tmp_path / "gen"),
        "champion": _artifact(dsl.Artifact, tmp_path / "champion"),
        "selection": _artifact(dsl.Artifact, tmp_path / "selection"),
        "episodes": 12,
        "timeout": "60s",
    }
    run_component(evaluate, arguments, tmp_path / "root", env)
    args = _stage_args(json.loads(log.read_text()))
    assert args[:13] == [
        "evaluate",
        "--model",
        str(model),
        "--build",
        str(tmp_path / "player"),
        "--generated",
        str(tmp_path / "gen"),
        "--champion",
        str(tmp_path / "champion"),
        "--selection",
        str(tmp_path / "selection"),
        "--episodes",
        "12",
    ]
    assert args[13] == "--out" and args[14].endswith("/evaluation") and len(args) == 15


def test_the_champion_task_passes_the_registry_settings(recording_python, tmp_path: Path) -> None:
    """The command decides: it fetches only from a lasting registry (tests/registry/test_champion_command.py)."""
    env, log = recording_python
    arguments = {
        "model_name": "walkers",
        "asset_id": "reach-001",
        "registry_dir": "/registry",
        "vertex_project": "",
        "vertex_region": "us-central1",
        "staging_bucket": "",
        "timeout": "60s",
    }
    run_component(champion, arguments, tmp_path / "root", env)
    args = _stage_args(json.loads(log.read_text()))
    assert args[:2] == ["champion", "--out"] and args[2].endswith("/champion")
    assert args[3:] == [
        "--model-prefix",
        "walkers",
        "--asset-id",
        "reach-001",
        "--registry",
        "/registry",
        "--vertex-project",
        "",
        "--vertex-region",
        "us-central1",
        "--staging-bucket",
        "",
    ]


def test_optional_settings_left_out_leave_their_flags_out(recording_python, tmp_path: Path) -> None:
    env, log = recording_python
    arguments = {
        key: value
        for key, value in _register_arguments(tmp_path).items()
        if key
        not in (
            "vertex_project",
            "vertex_region",
            "staging_bucket",
            "serving_image",
            "vertex_experiment",
            "vertex_tensorboard",
            "registry_dir",
        )
    }
    run_component(register, arguments, tmp_path / "root", env)
    args = _stage_args(json.loads(log.read_text()))
    assert args[-4:-1] == ["success_rate=0.8", "--registry-in-output", "--out"] and "--registry" not in args


def _register_arguments(tmp_path: Path, **overrides) -> dict:
    return {
        "model": dsl.Model(name="model", uri=str(tmp_path / "training" / "policy.onnx"), metadata={}),
        "generated": _artifact(dsl.Artifact, tmp_path / "gen"),
        "training": _artifact(dsl.Artifact, tmp_path / "training"),
        "evaluation": _artifact(dsl.Artifact, tmp_path / "evaluation"),
        "job_id": "run-7",
        "asset_id": "reach-001",
        "model_name": "walkers",
        "champion_margin": 0.05,
        "gate_confidence": 0.9,
        "gate_min_episodes": 50,
        "min_success_rate": 0.8,
        "vertex_project": "",
        "vertex_region": "us-central1",
        "staging_bucket": "",
        "serving_image": "reg.example/unity-mlops/serving:1",
        "vertex_experiment": "",
        "vertex_tensorboard": "",
        "registry_dir": "",
        "timeout": "60s",
        **overrides,
    }


def test_register_passes_every_setting_to_the_register_command(recording_python, tmp_path: Path) -> None:
    """No shell: the register command itself chooses the registry from the settings, empty ones included."""
    env, log = recording_python
    arguments = _register_arguments(
        tmp_path,
        vertex_project="my-project",
        staging_bucket="gs://staging",
        vertex_tensorboard="projects/p/locations/us-central1/tensorboards/1",
    )
    run_component(register, arguments, tmp_path / "root", env)
    args = _stage_args(json.loads(log.read_text()))
    out = args[-1]
    assert out.endswith("/registration")
    assert args == [
        "register",
        "--model",
        str(tmp_path / "training" / "policy.onnx"),
        "--generated",
        str(tmp_path / "gen"),
        "--training",
        str(tmp_path / "training"),
        "--evaluation",
        str(tmp_path / "evaluation"),
        "--run-name",
        "run-7",
        "--asset-id",
        "reach-001",
        "--model-prefix",
        "walkers",
        "--champion-margin",
        "0.05",
        "--gate-confidence",
        "0.9",
        "--gate-min-episodes",
        "50",
        "--floor",
        "success_rate=0.8",
        "--vertex-project",
        "my-project",
        "--vertex-region",
        "us-central1",
        "--staging-bucket",
        "gs://staging",
        "--serving-image",
        "reg.example/unity-mlops/serving:1",
        "--experiment",
        "",
        "--tensorboard",
        "projects/p/locations/us-central1/tensorboards/1",
        "--registry",
        "",
        "--registry-in-output",
        "--out",
        out,
    ]


def test_register_outputs_a_google_vertex_model() -> None:
    outputs = register.component_spec.outputs
    assert outputs["vertex_model"].type == "google.VertexModel@0.0.1"
    assert outputs["registration"].type == "system.Artifact@0.0.1"


def test_codegen_runs_locally_and_kfp_reads_its_outputs(tmp_path: Path) -> None:
    """The real stage in a subprocess: outputs reach kfp only through the executor output it writes."""
    env = {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    asset = {"asset_id": "reach-001", "name": "ReachAgent", "description": "Reach the target"}
    outputs = run_component(
        codegen, {"asset_spec": asset, "rl_config": {"max_steps": 3000}, "timeout": "600s"}, tmp_path / "root", env
    )

    generated = outputs["generated"]
    assert isinstance(generated, dsl.Artifact)
    assert generated.metadata == {"asset_id": "reach-001", "behavior_name": "ReachAgent"}
    assert json.loads((Path(generated.path) / "behavior.json").read_text())["behavior_name"] == "ReachAgent"
    assert (Path(generated.path) / "trainer_config.yaml").is_file()
    assert (outputs["asset_id"], outputs["behavior_name"]) == ("reach-001", "ReachAgent")
