"""A team's own Unity project built by its own build method, against the fake Unity Editor.

The Editor binary is the one thing faked here (the ``editor`` fixture of conftest.py: no Unity
Editor can be installed here); the codegen record, the private copy of the project, the Editor's
command line, the log and the player copied into the build folder are the real stage's.
"""

from __future__ import annotations

import json
import os

import pytest
import yaml

from mlops_unity_pipeline.build.existing import build_existing
from mlops_unity_pipeline.build.records import ExistingBehavior, built_player
from mlops_unity_pipeline.build.unity_backend import UnityBuildError, UnityEditorMissing
from mlops_unity_pipeline.layouts import CodegenLayout
from tests.build.conftest import REPO_ROOT

METHOD = "Team.Builds.BuildLinuxServer"
PLAYER = "Builds/Linux/Rover.x86_64"


def existing_asset(project, tmp_path):
    path = tmp_path / "asset.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "asset_id": "own-002",
                "name": "Own Rover",
                "existing": {
                    "unity_project": str(project),
                    "behavior_name": "Rover",
                    "trainer_config": "training_config.yaml",
                    "player": PLAYER,
                    "build_method": METHOD,
                },
            }
        )
    )
    return path


def test_a_build_method_runs_in_the_editor_on_a_private_copy_and_its_player_becomes_the_build(
    editor, project, tmp_path, cli, monkeypatch
):
    monkeypatch.setenv("FAKE_UNITY", "project_build")
    monkeypatch.setenv("FAKE_UNITY_PLAYER", PLAYER)
    environment = {
        **os.environ,
        "UNITY_EDITOR_PATH": str(editor),
        "PYTHONPATH": str(REPO_ROOT),
        "UNITY_SERIAL": "SB-XXXX-YYYY-ZZZZ-1234",
        "UNITY_EMAIL": "b@example.com",
        "UNITY_PASSWORD": "hunter2",
    }
    generated, out = tmp_path / "generated", tmp_path / "player"
    recorded = cli(
        "codegen", "--asset-spec", str(existing_asset(project, tmp_path)), "--out", str(generated), env=environment
    )
    assert recorded.returncode == 0, recorded.stderr
    assert sorted(path.name for path in generated.iterdir()) == [CodegenLayout.EXISTING]  # nothing generated

    built = cli("build", "--generated", str(generated), "--out", str(out), env=environment)
    assert built.returncode == 0, built.stderr
    (call,) = json.loads((tmp_path / "calls.json").read_text())
    copy = call["env"]["MLOPS_UNITY_PROJECT"]
    assert copy != str(project) and not (project / "Builds").exists()  # the team's project is never written to
    assert call["argv"] == [
        str(editor),
        "-batchmode",
        "-nographics",
        "-quit",
        "-projectPath",
        copy,
        "-buildTarget",
        "StandaloneLinux64",
        "-executeMethod",
        METHOD,
        "-logFile",
        "-",
        "-serial",
        "SB-XXXX-YYYY-ZZZZ-1234",
        "-username",
        "b@example.com",
        "-password",
        "hunter2",
    ]
    info = json.loads((out / "build_info.json").read_text())
    assert (info["backend"], info["executable"], info["behavior_name"]) == ("existing", "Rover.x86_64", "Rover")
    assert built_player(out) == out / "Rover.x86_64" and built.stdout.strip() == str(out / "Rover.x86_64")
    assert (out / "Rover.x86_64").read_text() == "player" and (out / "Rover_Data").is_dir()
    log = (out / "build.log").read_text()
    assert "Build Finished, Result: Success." in log and "-password ***" in log and "hunter2" not in log


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("compile_error", "error CS0246"),
        ("no_output", f"{PLAYER}: the build finished but left no executable player there"),
    ],
)
def test_a_failed_build_method_is_a_clear_error(editor, project, tmp_path, monkeypatch, mode, expected):
    monkeypatch.setenv("FAKE_UNITY", mode)
    monkeypatch.setenv("UNITY_EDITOR_PATH", str(editor))
    existing = ExistingBehavior.from_spec(
        {
            "unity_project": str(project),
            "behavior_name": "Rover",
            "trainer_config": "training_config.yaml",
            "player": PLAYER,
            "build_method": METHOD,
        }
    )
    with pytest.raises(UnityBuildError, match=expected.replace(".", r"\.")):
        build_existing(existing, tmp_path / "player")
    assert not (tmp_path / "player" / "build_info.json").exists()


def test_a_build_method_without_an_editor_says_how_to_configure_one(project, tmp_path):
    existing = ExistingBehavior.from_spec(
        {
            "unity_project": str(project),
            "behavior_name": "Rover",
            "trainer_config": "training_config.yaml",
            "player": PLAYER,
            "build_method": METHOD,
        }
    )
    with pytest.raises(UnityEditorMissing, match=f"existing.build_method '{METHOD}' needs the Unity Editor"):
        build_existing(existing, tmp_path / "player")
