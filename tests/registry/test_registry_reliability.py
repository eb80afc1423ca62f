"""The file registry where paths are relative and files damaged: clear errors, nothing lost."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from test_registry_cli import REPO_ROOT, register_argv

from mlops_unity_pipeline import UnityMLOpsOrchestrator
from mlops_unity_pipeline.registry import FileRegistry, RegistryError, register_model


def _cli(*args, cwd, env=None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlops_unity_pipeline", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), **(env or {})},
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize("given_by", ["--registry", "MLOPS_REGISTRY_DIR", "API"])
def test_a_relative_registry_path_is_made_absolute_where_it_comes_in(given_by, tmp_path, make_run, monkeypatch):
    run = make_run("job-rel", 3.0)
    work = tmp_path / "cwd"
    work.mkdir()
    expected = (work / "reg" / "reacher" / "versions" / "1").as_uri()
    if given_by == "API":
        monkeypatch.chdir(work)
        registration = register_model(
            run["model"],
            run["generated"],
            run["training"],
            run["evaluation"],
            job_id="job-rel",
            model_name="reacher",
            registry_dir="reg",
        )
        uri, promoted = registration.uri, registration.promoted
        monkeypatch.chdir(tmp_path)
    else:
        argv = register_argv(run, "reg")
        env = {}
        if given_by == "MLOPS_REGISTRY_DIR":
            argv = argv[:-2]
            env = {"MLOPS_REGISTRY_DIR": "reg"}
        result = _cli(*argv, cwd=work, env=env)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        uri, promoted = result.stdout.strip(), "promoted to champion" in result.stderr
    assert uri == expected and promoted
    version = FileRegistry(work / "reg").get("reacher", "champion")
    assert version.uri == expected and FileRegistry(work / "reg").verify("reacher") == []


def test_the_orchestrator_keeps_the_registry_it_was_given_even_after_a_chdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    orchestrator = UnityMLOpsOrchestrator(work_dir="runs", registry_dir="relreg")
    monkeypatch.chdir("/")
    assert orchestrator.registry_dir == tmp_path / "relreg"
    assert orchestrator.work_dir == tmp_path / "runs"


DAMAGE = {
    "aliases.json is a list": ("aliases.json", "[]"),
    "aliases.json has a list of aliases": ("aliases.json", '{"aliases": [], "history": []}'),
    "aliases.json is not JSON": ("aliases.json", '{"aliases": {'),
    "metadata.json lacks its metrics": ("versions/1/metadata.json", '{"files": {}, "created_at": "now"}'),
    "metadata.json is a string": ("versions/1/metadata.json", '"metadata"'),
}


@pytest.mark.parametrize("damage", DAMAGE)
@pytest.mark.parametrize(
    "action", [["list", "reacher"], ["get", "reacher"], ["verify", "reacher"], ["promote", "reacher", "1"]]
)
def test_damaged_registry_files_are_named_without_a_traceback(damage, action, tmp_path, make_run):
    registry = tmp_path / "reg"
    assert _cli(*register_argv(make_run("job-1", 3.0), registry), cwd=REPO_ROOT).returncode == 0
    relative, content = DAMAGE[damage]
    damaged = registry / "reacher" / relative
    damaged.write_text(content)
    result = _cli("models", *action, "--registry", registry, cwd=REPO_ROOT)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"error: {damaged} is damaged"), result.stderr
    assert damaged.read_text() == content, "the damaged file is left for the user to restore"
    assert (registry / "reacher" / "versions" / "1" / "model.onnx").is_file()


@pytest.mark.parametrize("alias", ["beta\n", "champion\n", "Beta", "b"])
def test_aliases_are_matched_whole(alias, tmp_path, make_run):
    run = make_run("job-1", 3.0)
    with pytest.raises(RegistryError, match="is not allowed"):
        register_model(
            run["model"],
            run["generated"],
            run["training"],
            run["evaluation"],
            job_id="job-1",
            model_name="reacher",
            registry_dir=tmp_path / "reg",
            aliases=[alias],
        )
    assert not (tmp_path / "reg" / "reacher" / "versions").exists()
    with pytest.raises(RegistryError, match="is not allowed"):
        register_model(
            run["model"],
            run["generated"],
            run["training"],
            run["evaluation"],
            job_id="job-1\n",
            model_name="reacher",
            registry_dir=tmp_path / "reg",
        )
