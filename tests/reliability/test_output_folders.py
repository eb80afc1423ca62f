"""Stage output folders: a stage replaces only what it owns, never a user's files."""

from __future__ import annotations

import json

import pytest

from mlops_unity_pipeline.output_folder import OWNER_FILE
from tests.conftest import run_cli

from .conftest import REPO_ROOT, assert_clear_error


def _user_tree(folder):
    """A source tree a user might point ``--out`` at by mistake."""
    (folder / ".git").mkdir(parents=True)
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (folder / "README.md").write_text("my project\n")
    (folder / "src").mkdir()
    (folder / "src" / "main.py").write_text("print('hi')\n")
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("stage", ["build", "train"])
def test_a_folder_with_foreign_files_is_refused_and_left_as_it_was(stage, simple_generated, tmp_path):
    out = tmp_path / "project"
    before = _user_tree(out)
    if stage == "build":
        result = run_cli("build", "--generated", simple_generated, "--out", out, "--backend", "standin")
    else:
        build = tmp_path / "build"
        assert run_cli("build", "--generated", simple_generated, "--out", build).returncode == 0
        result = run_cli("train", "--build", build, "--generated", simple_generated, "--out", out)
    assert_clear_error(result, str(out), f"was not made by the {stage} stage", "nothing was changed")
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == before
    assert (out / "README.md").read_text() == "my project\n"


@pytest.mark.parametrize("stage", ["build", "train", "codegen"])
def test_an_out_that_is_a_file_is_refused(stage, simple_generated, tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("keep me\n")
    argv = {
        "build": ["build", "--generated", simple_generated, "--out", target],
        "train": ["train", "--build", tmp_path, "--generated", simple_generated, "--out", target],
        "codegen": ["codegen", "--asset-spec", "examples/simple_agent/asset_spec.yaml", "--out", target],
    }[stage]
    if stage == "train":  # a player to train, so that the check of --out is reached
        assert run_cli("build", "--generated", simple_generated, "--out", tmp_path / "b").returncode == 0
        argv[2] = tmp_path / "b"
    assert_clear_error(run_cli(*argv), str(target), "is a file")
    assert target.read_text() == "keep me\n"


def test_the_build_stage_refills_its_own_folder_and_an_empty_one(simple_generated, tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    assert run_cli("build", "--generated", simple_generated, "--out", out).returncode == 0
    assert (out / OWNER_FILE).read_text().strip() == "build"
    (out / "stale.txt").write_text("from an earlier build\n")
    again = run_cli("build", "--generated", simple_generated, "--out", out)
    assert again.returncode == 0, again.stderr
    assert not (out / "stale.txt").exists()
    assert json.loads((out / "build_info.json").read_text())["reused"] is True


def test_a_build_folder_from_before_owner_files_is_still_the_stages(simple_generated, tmp_path):
    out = tmp_path / "old-build"
    assert run_cli("build", "--generated", simple_generated, "--out", out).returncode == 0
    (out / OWNER_FILE).unlink()
    assert run_cli("build", "--generated", simple_generated, "--out", out).returncode == 0


def test_codegen_removes_only_the_files_its_previous_manifest_listed(tmp_path):
    out = tmp_path / "generated"
    spec = "examples/simple_agent/asset_spec.yaml"
    assert run_cli("codegen", "--asset-spec", spec, "--out", out).returncode == 0
    mine = out / "unity" / "Assets" / "MyOwn.cs"
    mine.write_text("// a user's script\n")
    (out / "notes.md").write_text("mine\n")
    renamed = tmp_path / "renamed.yaml"
    renamed.write_text((REPO_ROOT / spec).read_text().replace("name: SimpleAgent", "name: OtherAgent"))
    result = run_cli("codegen", "--asset-spec", renamed, "--out", out)
    assert result.returncode == 0, result.stderr
    assert mine.read_text() == "// a user's script\n" and (out / "notes.md").read_text() == "mine\n"
    assert not list(out.rglob("SimpleAgent*.cs"))
    assert list(out.rglob("OtherAgent*.cs"))
