"""``register`` and ``models`` on the command line, run as real subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlops_unity_pipeline", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
        timeout=120,
    )


def register_argv(run: dict, registry: Path, *extra: str) -> list[str]:
    return [
        "register",
        "--model",
        run["model"],
        "--generated",
        run["generated"],
        "--training",
        run["training"],
        "--evaluation",
        run["evaluation"],
        "--job-id",
        run["job_id"],
        "--model-name",
        run["model_name"],
        "--registry",
        registry,
        *extra,
    ]


def test_register_prints_the_uri_and_the_models_commands_read_it_back(tmp_path, make_run):
    registry = tmp_path / "reg"
    run = make_run("job-a", 4.0, seed=1)
    first = cli(*register_argv(run, registry, "--out", tmp_path / "out", "--alias", "nightly"))
    assert first.returncode == 0, first.stderr
    uri = (registry / "reacher" / "versions" / "1").as_uri()
    assert first.stdout.strip() == uri
    assert "promoted to champion: no champion yet" in first.stderr
    assert json.loads((tmp_path / "out" / "registration.json").read_text())["uri"] == uri

    second = cli(*register_argv(make_run("job-b", 4.5, seed=2), registry, "--champion-margin", "1"))
    assert second.returncode == 0, second.stderr
    assert "not promoted: mean_reward 4.5 does not beat champion 4 + margin 1" in second.stderr

    assert cli("models", "list", "--registry", registry).stdout.split() == ["reacher"]
    listing = cli("models", "list", "reacher", "--registry", registry).stdout.splitlines()
    assert [line.split("\t")[:3] for line in listing] == [
        ["reacher@1", "champion,nightly", "mean_reward=4"],
        ["reacher@2", "-", "mean_reward=4.5"],
    ]
    got = json.loads(cli("models", "get", "reacher", "--registry", registry).stdout)
    assert got["reference"] == "reacher@1" and got["metadata"]["job_id"] == "job-a"

    promoted = cli("models", "promote", "reacher", "2", "--registry", registry, "--reason", "manual")
    assert promoted.returncode == 0 and promoted.stdout.startswith("champion -> reacher@2 ")
    assert json.loads(cli("models", "get", "reacher", "champion", "--registry", registry).stdout)["version"] == 2
    assert cli("models", "verify", "reacher", "--registry", registry).returncode == 0


def test_errors_are_one_clear_line_and_exit_status_2(tmp_path, make_run):
    result = cli("models", "get", "reacher", "9", "--registry", tmp_path)
    assert result.returncode == 2 and result.stderr.startswith("error: model 'reacher' has no versions")
    bad_alias = cli(*register_argv(make_run("job-c", 1.0), tmp_path, "--alias", "champion"))
    assert bad_alias.returncode == 2 and "set only by the quality gate" in bad_alias.stderr
    assert "Traceback" not in bad_alias.stderr


def test_verify_reports_a_tampered_file(tmp_path, make_run):
    registry = tmp_path / "reg"
    assert cli(*register_argv(make_run("job-d", 1.0), registry)).returncode == 0
    (registry / "reacher" / "versions" / "1" / "model.onnx").write_bytes(b"tampered")
    result = cli("models", "verify", "reacher", "--registry", registry)
    assert result.returncode == 1 and result.stdout.startswith("reacher@1: model.onnx is ")


def test_register_names_its_registration_folder_in_the_kfp_executor_output(tmp_path, make_run):
    """kfp.local.DockerRunner (and KFP's launcher) take a container's output artifacts from this file alone."""
    executor_output = tmp_path / "kfp" / "executor_output.json"
    result = cli(
        "--executor-output",
        executor_output,
        *register_argv(make_run("job-a", 4.0), tmp_path / "reg", "--out", tmp_path / "out"),
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(executor_output.read_text())
    registration = document["artifacts"]["registration"]["artifacts"][0]
    assert registration["uri"] == str(tmp_path / "out")
    assert registration["metadata"] == {"uri": result.stdout.strip(), "promoted": True, "gate_method": "no champion"}
    assert document["parameterValues"] == {"uri": result.stdout.strip(), "promoted": True}
