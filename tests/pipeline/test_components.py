"""The components: each compiles on its own, is documented, and runs the stage command it should.

Two levels, as kubeflow/pipelines-components tests: the component's interface and command line
(against a recording stand-in for ``python``), and a local run of the codegen component whose
outputs kfp reads back from the executor output the stage wrote.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest
from kfp import compiler, dsl

from components.build import build
from components.codegen import codegen
from components.evaluate import evaluate
from components.notify import notify
from components.register import register
from components.train import train

from .local_run import run_component

COMPONENTS_DIR = Path(__file__).resolve().parents[2] / "components"
ALL = {"codegen": codegen, "build": build, "train": train, "evaluate": evaluate, "register": register, "notify": notify}


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


def _stage_args(argv: list[str]) -> list[str]:
    assert argv[:3] == ["-m", "mlops_unity_pipeline", "--executor-output"]
    assert argv[3].endswith("executor_output.json")
    return argv[4:]


def test_build_passes_a_gcs_project_as_its_mount_path(recording_python, tmp_path: Path) -> None:
    env, log = recording_python
    generated = _artifact(dsl.Artifact, tmp_path / "gen")
    run_component(build, {"generated": generated, "unity_project_uri": "gs://bucket/Game", "backend": "unity"}, tmp_path / "root", env)
    args = _stage_args(json.loads(log.read_text()))
    assert args[:7] == ["build", "--generated", str(tmp_path / "gen"), "--out", args[4], "--backend", "unity"]
    assert args[4].endswith("/player")
    assert args[7:] == ["--unity-project", "/gcs/bucket/Game"]


def test_build_without_a_project_leaves_the_flag_out(recording_python, tmp_path: Path) -> None:
    env, log = recording_python
    generated = _artifact(dsl.Artifact, tmp_path / "gen")
    run_component(build, {"generated": generated, "unity_project_uri": "", "backend": "standin"}, tmp_path / "root", env)
    assert "--unity-project" not in json.loads(log.read_text())


@pytest.mark.parametrize(("demos", "expected"), [("", []), ("gs://b/demos/expert.demo", ["--demos", "/gcs/b/demos/expert.demo"])])
def test_train_adds_demonstrations_only_when_given(recording_python, tmp_path: Path, demos: str, expected: list[str]) -> None:
    env, log = recording_python
    arguments = {
        "generated": _artifact(dsl.Artifact, tmp_path / "gen"),
        "player": _artifact(dsl.Artifact, tmp_path / "player"),
        "demonstrations_uri": demos,
    }
    run_component(train, arguments, tmp_path / "root", env)
    args = _stage_args(json.loads(log.read_text()))
    assert args[:7] == ["train", "--build", str(tmp_path / "player"), "--generated", str(tmp_path / "gen"), "--out", args[6]]
    assert args[6].endswith("/training")
    assert args[7:] == expected


def test_evaluate_runs_the_policy_file_for_the_episodes(recording_python, tmp_path: Path) -> None:
    env, log = recording_python
    model = tmp_path / "training" / "policy.onnx"
    model.parent.mkdir()
    model.write_bytes(b"onnx")
    arguments = {
        "model": dsl.Model(name="model", uri=str(model), metadata={}),
        "player": _artifact(dsl.Artifact, tmp_path / "player"),
        "generated": _artifact(dsl.Artifact, tmp_path / "gen"),
        "episodes": 12,
    }
    run_component(evaluate, arguments, tmp_path / "root", env)
    args = _stage_args(json.loads(log.read_text()))
    assert args[:9] == ["evaluate", "--model", str(model), "--build", str(tmp_path / "player"), "--generated", str(tmp_path / "gen"), "--episodes", "12"]
    assert args[9] == "--out" and args[10].endswith("/evaluation")


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
        "vertex_project": "",
        "vertex_region": "us-central1",
        "staging_bucket": "",
        "serving_image": "reg.example/unity-mlops/serving:1",
        "registry_dir": "",
        **overrides,
    }


def test_register_goes_to_vertex_when_a_project_is_given(recording_python, tmp_path: Path) -> None:
    env, log = recording_python
    arguments = _register_arguments(tmp_path, vertex_project="my-project", staging_bucket="gs://staging")
    run_component(register, arguments, tmp_path / "root", env)
    args = _stage_args(json.loads(log.read_text()))
    assert args[:15] == [
        "register", "--model", str(tmp_path / "training" / "policy.onnx"), "--generated", str(tmp_path / "gen"),
        "--training", str(tmp_path / "training"), "--evaluation", str(tmp_path / "evaluation"),
        "--job-id", "run-7-reach-001", "--model-name", "walkers-reach-001", "--champion-margin", "0.05",
    ]
    assert args[15] == "--out" and args[16].endswith("/registration")
    assert args[17:] == [
        "--vertex-project", "my-project", "--vertex-region", "us-central1", "--staging-bucket", "gs://staging",
        "--serving-image", "reg.example/unity-mlops/serving:1",
    ]


@pytest.mark.parametrize("registry_dir", ["", "/registry"])
def test_register_uses_the_file_registry_without_a_project(recording_python, tmp_path: Path, registry_dir: str) -> None:
    env, log = recording_python
    run_component(register, _register_arguments(tmp_path, registry_dir=registry_dir), tmp_path / "root", env)
    args = json.loads(log.read_text())
    out = args[args.index("--out") + 1]
    assert args[-2:] == ["--registry", registry_dir or f"{out}/registry"]


def test_register_makes_a_job_id_of_any_run_name(recording_python, tmp_path: Path) -> None:
    """kfp.local names a loop iteration's run 'RUN/for-loop-2-iteration-0'; Kubeflow display names may hold spaces."""
    env, log = recording_python
    run_component(register, _register_arguments(tmp_path, job_id="nightly run/for-loop-2-iteration-0"), tmp_path / "root", env)
    args = json.loads(log.read_text())
    assert args[args.index("--job-id") + 1] == "nightly_run_for-loop-2-iteration-0-reach-001"


def test_codegen_runs_locally_and_kfp_reads_its_outputs(tmp_path: Path) -> None:
    """The real stage in a subprocess: outputs reach kfp only through the executor output it writes."""
    env = {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    asset = {"asset_id": "reach-001", "name": "ReachAgent", "description": "Reach the target"}
    outputs = run_component(codegen, {"asset_spec": asset, "rl_config": {"max_steps": 3000}}, tmp_path / "root", env)

    generated = outputs["generated"]
    assert isinstance(generated, dsl.Artifact)
    assert generated.metadata == {"asset_id": "reach-001", "behavior_name": "ReachAgent"}
    assert json.loads((Path(generated.path) / "behavior.json").read_text())["behavior_name"] == "ReachAgent"
    assert (Path(generated.path) / "trainer_config.yaml").is_file()
    assert (outputs["asset_id"], outputs["behavior_name"]) == ("reach-001", "ReachAgent")
