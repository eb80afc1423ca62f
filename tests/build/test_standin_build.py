"""``build --backend standin``: a launcher mlagents-learn can run, cached by its inputs."""

from __future__ import annotations

import json
import os
import stat
import subprocess

from mlops_unity_pipeline.build import build
from mlops_unity_pipeline.layouts import BuildLayout


def test_the_command_writes_an_executable_player(generated, tmp_path, cli):
    out = tmp_path / "build"
    result = cli("build", "--generated", str(generated), "--out", str(out), env=dict(os.environ))
    assert result.returncode == 0, result.stderr
    assert "backend auto chose standin" in result.stderr
    executable = out / "SimpleAgent.x86_64"
    assert result.stdout.strip() == str(executable)
    assert executable.stat().st_mode & stat.S_IXUSR
    assert (out / "behavior.json").read_bytes() == (generated / "behavior.json").read_bytes()
    info = json.loads(BuildLayout(out).info_path.read_text())
    assert info["backend"] == "standin" and info["executable"] == "SimpleAgent.x86_64" and not info["reused"]


def test_the_same_inputs_reuse_the_earlier_build(generated, tmp_path):
    first = build(generated, tmp_path / "a", backend="standin", log=lambda _: None)
    second = build(generated, tmp_path / "b", backend="standin", log=lambda _: None)
    assert second.reused and second.cache_key == first.cache_key
    assert (tmp_path / "b" / "SimpleAgent.x86_64").read_bytes() == (tmp_path / "a" / "SimpleAgent.x86_64").read_bytes()


def test_changed_generated_code_is_built_again(generated, tmp_path):
    first = build(generated, tmp_path / "a", backend="standin", log=lambda _: None)
    changed = tmp_path / "generated"
    subprocess.run(["cp", "-r", str(generated), str(changed)], check=True)
    manifest = json.loads((changed / "manifest.json").read_text())
    manifest["inputs_sha256"] = "0" * 64
    (changed / "manifest.json").write_text(json.dumps(manifest))
    second = build(changed, tmp_path / "b", backend="standin", log=lambda _: None)
    assert not second.reused and second.cache_key != first.cache_key


def test_the_launcher_passes_every_argument_to_the_chosen_python(generated, tmp_path):
    build(generated, tmp_path / "build", backend="standin", log=lambda _: None)
    fake_python = tmp_path / "python"
    fake_python.write_text('#!/bin/sh\nprintf "%s\\n" "PYTHONPATH=$PYTHONPATH" "$@"\n')
    fake_python.chmod(0o755)
    result = subprocess.run(
        [
            str(tmp_path / "build" / "SimpleAgent.x86_64"),
            "-nographics",
            "-batchmode",
            "--mlagents-port",
            "5005",
            "-logFile",
            "/tmp/x y.log",
            "--custom",
            "1",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "MLOPS_STANDIN_PYTHON": str(fake_python)},
        check=True,
    )
    lines = result.stdout.splitlines()
    data = tmp_path / "build" / "SimpleAgent_Data"
    assert lines[0] == f"PYTHONPATH={data / 'python'}" or lines[0].startswith(f"PYTHONPATH={data / 'python'}:")
    assert lines[1:] == [
        "-m",
        "mlops_unity_pipeline.standin.player",
        "--behavior",
        str(data / "behavior.json"),
        "-nographics",
        "-batchmode",
        "--mlagents-port",
        "5005",
        "-logFile",
        "/tmp/x y.log",
        "--custom",
        "1",
    ]


def test_a_folder_that_is_not_codegen_output_is_a_clear_error(tmp_path, cli):
    result = cli("build", "--generated", str(tmp_path), "--out", str(tmp_path / "out"), env=dict(os.environ))
    assert result.returncode == 2
    assert "manifest.json does not exist" in result.stderr and "codegen" in result.stderr
