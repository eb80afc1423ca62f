"""``build --backend unity`` against a fake Unity Editor.

The fake editor (the ``editor`` fixture of conftest.py) is the one stand-in for a proprietary
binary in this suite: no Unity Editor can be installed here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mlops_unity_pipeline.build import build
from mlops_unity_pipeline.build.license import UnityLicenseError
from mlops_unity_pipeline.build.unity_backend import UnityBuildError, UnityEditorMissing

SECRETS = {
    "UNITY_SERIAL": "SB-XXXX-YYYY-ZZZZ-1234",
    "UNITY_EMAIL": "builder@example.com",
    "UNITY_PASSWORD": "hunter2-very-secret",
}
LICENSE_FILE = (
    '<?xml version="1.0"?>\n<root>\n  <DeveloperData Value="AQAAAEY0LUJHUlgtWEQ0RS1aQ1dWLUM1SlctR0RIQg=="/>\n</root>'
)


def calls(tmp_path: Path) -> list[dict]:
    record = tmp_path / "calls.json"
    return json.loads(record.read_text()) if record.exists() else []


def test_the_editor_runs_in_batchmode_with_the_exact_command_line(generated, editor, project, tmp_path, monkeypatch):
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    messages: list[str] = []
    result = build(
        generated,
        tmp_path / "out",
        backend="unity",
        unity_project=str(project),
        unity_editor=str(editor),
        log=messages.append,
    )
    (call,) = calls(tmp_path)
    build_path = call["argv"][call["argv"].index("-mlopsBuildPath") + 1]
    assert build_path.endswith("/SimpleAgent.x86_64")
    local_project = call["env"]["MLOPS_UNITY_PROJECT"]
    assert call["argv"] == [
        str(editor),
        "-batchmode",
        "-nographics",
        "-quit",
        "-projectPath",
        local_project,
        "-buildTarget",
        "StandaloneLinux64",
        "-standaloneBuildSubtarget",
        "Server",
        "-executeMethod",
        "UnityMLOps.Generated.SimpleAgentBuildScript.PerformBuild",
        "-logFile",
        "-",
        "-mlopsBuildPath",
        build_path,
        "-serial",
        SECRETS["UNITY_SERIAL"],
        "-username",
        SECRETS["UNITY_EMAIL"],
        "-password",
        SECRETS["UNITY_PASSWORD"],
    ]
    assert "Assets/UnityMLOps/SimpleAgent/Scripts/SimpleAgent.cs" in call["scripts"]
    assert result.backend == "unity" and result.executable == tmp_path / "out" / "SimpleAgent.x86_64"
    assert result.executable.read_text() == "player" and (tmp_path / "out" / "SimpleAgent_Data").is_dir()
    log = (tmp_path / "out" / "unity-build.log").read_text()
    assert "COMMAND LINE ARGUMENTS:" in log and "Build Finished, Result: Success." in log
    assert "-password ***" in log and "exit status 0" in log
    for secret in SECRETS.values():
        assert secret not in log and secret not in "\n".join(messages)


def test_a_license_file_is_installed_and_kept_out_of_the_log(generated, editor, project, tmp_path, monkeypatch):
    monkeypatch.setenv("UNITY_LICENSE", LICENSE_FILE)
    build(
        generated,
        tmp_path / "out",
        backend="unity",
        unity_project=str(project),
        unity_editor=str(editor),
        log=lambda _: None,
    )
    installed = tmp_path / "data-home" / "unity3d" / "Unity" / "Unity_lic.ulf"
    assert installed.read_text() == LICENSE_FILE
    (call,) = calls(tmp_path)
    assert "-serial" not in call["argv"]
    log = (tmp_path / "out" / "unity-build.log").read_text()
    assert "DeveloperData" not in log and "license line: ***" in log


@pytest.mark.parametrize(
    ("mode", "meaning", "quoted"),
    [
        (
            "exit:101",
            "the Unity build failed (BuildResult.Failed) (exit status 101)",
            "Error building Player: 3 errors",
        ),
        (
            "exit:102",
            "the Unity build was cancelled (BuildResult.Cancelled) (exit status 102)",
            "unity-mlops build Failed",
        ),
        ("exit:103", "the Unity build ended with an unknown result (exit status 103)", "Error building Player"),
        ("compile_error", "Unity could not compile the scripts (exit status 1)", "error CS0246"),
        ("exit:7", "Unity failed (exit status 7)", "Error building Player"),
    ],
)
def test_failures_become_clear_errors_with_the_log_lines(
    generated, editor, project, tmp_path, monkeypatch, mode, meaning, quoted
):
    monkeypatch.setenv("FAKE_UNITY", mode)
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(UnityBuildError) as failure:
        build(
            generated,
            tmp_path / "out",
            backend="unity",
            unity_project=str(project),
            unity_editor=str(editor),
            log=lambda _: None,
        )
    message = str(failure.value)
    log = tmp_path / "out" / "unity-build.log"
    assert meaning in message and quoted in message and f"from {log}" in message
    assert quoted in log.read_text()
    assert not any(secret in message for secret in SECRETS.values())


def test_an_editor_that_writes_no_player_is_an_error(generated, editor, project, tmp_path, monkeypatch):
    monkeypatch.setenv("FAKE_UNITY", "no_output")
    with pytest.raises(UnityBuildError, match="Unity exited 0 but wrote no SimpleAgent.x86_64"):
        build(
            generated,
            tmp_path / "out",
            backend="unity",
            unity_project=str(project),
            unity_editor=str(editor),
            log=lambda _: None,
        )


def test_a_missing_editor_says_how_to_configure_one(generated, project, tmp_path, cli):
    with pytest.raises(UnityEditorMissing, match=r"UNITY_EDITOR_PATH.*--backend standin"):
        build(generated, tmp_path / "out", backend="unity", unity_project=str(project), log=lambda _: None)
    result = cli(
        "build",
        "--generated",
        str(generated),
        "--out",
        str(tmp_path / "out"),
        "--backend",
        "unity",
        "--unity-project",
        str(project),
        "--unity-editor",
        str(tmp_path / "no-such-unity"),
        env={**os.environ},
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{tmp_path / 'no-such-unity'} does not exist" in result.stderr and "UNITY_EDITOR_PATH" in result.stderr


def test_unity_build_command_overrides_the_editor(generated, editor, project, tmp_path, monkeypatch):
    monkeypatch.setenv("UNITY_BUILD_COMMAND", f"{editor} -batchmode -quit -projectPath '{project}' -executeMethod X.Y")
    messages: list[str] = []
    build(generated, tmp_path / "out", unity_project=str(project), log=messages.append)
    (call,) = calls(tmp_path)
    assert call["argv"][:8] == [
        str(editor),
        "-batchmode",
        "-quit",
        "-projectPath",
        str(project),
        "-executeMethod",
        "X.Y",
        "-mlopsBuildPath",
    ]
    assert call["env"]["MLOPS_UNITY_PROJECT"] != str(project)
    assert call["env"]["MLOPS_EXECUTE_METHOD"] == "UnityMLOps.Generated.SimpleAgentBuildScript.PerformBuild"
    assert f"backend auto chose unity: $UNITY_BUILD_COMMAND is configured and the project is {project}" in messages


def test_the_same_project_reuses_the_build_and_a_changed_one_rebuilds(
    generated, editor, project, tmp_path, monkeypatch
):
    monkeypatch.setenv("UNITY_EDITOR_PATH", str(editor))
    first = build(generated, tmp_path / "a", unity_project=str(project), log=lambda _: None)
    again = build(generated, tmp_path / "b", unity_project=str(project), log=lambda _: None)
    assert first.backend == "unity" and again.reused and len(calls(tmp_path)) == 1
    assert (tmp_path / "b" / "SimpleAgent.x86_64").read_text() == "player"
    (project / "Assets" / "Scenes" / "Main.unity").write_text("changed scene")
    changed = build(generated, tmp_path / "c", unity_project=str(project), log=lambda _: None)
    assert not changed.reused and changed.cache_key != first.cache_key and len(calls(tmp_path)) == 2


def test_a_partial_serial_license_names_what_is_missing(generated, editor, project, tmp_path, monkeypatch):
    monkeypatch.setenv("UNITY_SERIAL", SECRETS["UNITY_SERIAL"])
    monkeypatch.setenv("UNITY_EMAIL", SECRETS["UNITY_EMAIL"])
    with pytest.raises(UnityLicenseError) as failure:
        build(
            generated,
            tmp_path / "out",
            backend="unity",
            unity_project=str(project),
            unity_editor=str(editor),
            log=lambda _: None,
        )
    assert "UNITY_PASSWORD not set" in str(failure.value)
    assert SECRETS["UNITY_SERIAL"] not in str(failure.value) and not calls(tmp_path)


def test_auto_needs_a_project_as_well_as_an_editor(generated, editor, tmp_path, monkeypatch):
    """The Unity builder image configures the Editor for every run; without a project auto builds the stand-in."""
    monkeypatch.setenv("UNITY_EDITOR_PATH", str(editor))
    messages: list[str] = []
    result = build(generated, tmp_path / "out", log=messages.append)
    assert result.backend == "standin" and calls(tmp_path) == []
    assert (
        f"backend auto chose standin: the Unity Editor at {editor} is configured but no Unity project is given"
        in messages
    )


def test_auto_builds_with_unity_when_the_project_comes_from_the_environment(
    generated, editor, project, tmp_path, monkeypatch
):
    monkeypatch.setenv("UNITY_EDITOR_PATH", str(editor))
    monkeypatch.setenv("UNITY_PROJECT_PATH", str(project))
    assert build(generated, tmp_path / "out", log=lambda _: None).backend == "unity"


def test_unity_builds_a_private_copy_and_never_writes_to_the_project(generated, editor, project, tmp_path):
    """A gs:// project is a shared /gcs/ mount on Vertex AI, read by parallel builds at once."""
    (project / "Library").mkdir()
    (project / "Library" / "ArtifactDB").write_text("import cache")
    (project / "Temp").mkdir()
    (project / "Temp" / "lock").write_text("held by another Editor")
    before = sorted(str(path.relative_to(project)) for path in project.rglob("*"))
    build(
        generated,
        tmp_path / "out",
        backend="unity",
        unity_project=str(project),
        unity_editor=str(editor),
        log=lambda _: None,
    )
    (call,) = calls(tmp_path)
    local_project = Path(call["env"]["MLOPS_UNITY_PROJECT"])
    assert local_project.name == project.name and local_project.parent != project.parent
    assert call["scripts"] and sorted(str(path.relative_to(project)) for path in project.rglob("*")) == before
    assert not local_project.exists(), "the private copy is removed after the build"


class FakeSecretManager:
    """Secret Manager's ``AccessSecretVersion`` answered in memory: the one service call that cannot run here."""

    def __init__(self, secrets: dict[str, str]) -> None:
        self.secrets = secrets
        self.names: list[str] = []

    def access_secret_version(self, name: str, **_: object):
        from google.api_core import exceptions
        from google.cloud.secretmanager_v1 import types

        self.names.append(name)
        if name not in self.secrets:
            raise exceptions.NotFound(f"Secret Version [{name}] not found.")
        return types.AccessSecretVersionResponse(
            name=name, payload=types.SecretPayload(data=self.secrets[name].encode())
        )


@pytest.fixture
def secret_manager(monkeypatch):
    """The real SecretManagerServiceClient with anonymous credentials and only its service call faked."""
    import google.auth
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import secretmanager

    service = FakeSecretManager(
        {
            "projects/p/secrets/unity-serial/versions/latest": json.dumps(SECRETS),
            "projects/p/secrets/unity-ulf/versions/3": LICENSE_FILE,
            "projects/p/secrets/broken/versions/1": '{"UNITY_SERIAL": "SB-XXXX", "PASSWORD": "x"}',
        }
    )
    monkeypatch.setattr(google.auth, "default", lambda *args, **kwargs: (AnonymousCredentials(), "p"))
    monkeypatch.setattr(
        secretmanager.SecretManagerServiceClient,
        "access_secret_version",
        lambda self, name, **kwargs: service.access_secret_version(name),
    )
    return service


def test_a_serial_license_from_secret_manager_activates_the_editor_and_is_never_logged(
    generated, editor, project, tmp_path, secret_manager
):
    messages: list[str] = []
    build(
        generated,
        tmp_path / "out",
        backend="unity",
        unity_project=str(project),
        unity_editor=str(editor),
        license_secret="projects/p/secrets/unity-serial/versions/latest",
        log=messages.append,
    )
    (call,) = calls(tmp_path)
    assert call["argv"][-6:] == [
        "-serial",
        SECRETS["UNITY_SERIAL"],
        "-username",
        SECRETS["UNITY_EMAIL"],
        "-password",
        SECRETS["UNITY_PASSWORD"],
    ]
    assert secret_manager.names == ["projects/p/secrets/unity-serial/versions/latest"]
    log = (tmp_path / "out" / "unity-build.log").read_text()
    for secret in SECRETS.values():
        assert secret not in log and secret not in "\n".join(messages)


def test_a_license_file_from_secret_manager_is_installed(generated, editor, project, tmp_path, secret_manager):
    build(
        generated,
        tmp_path / "out",
        backend="unity",
        unity_project=str(project),
        unity_editor=str(editor),
        license_secret="projects/p/secrets/unity-ulf/versions/3",
        log=lambda _: None,
    )
    assert (tmp_path / "data-home" / "unity3d" / "Unity" / "Unity_lic.ulf").read_text() == LICENSE_FILE
    assert "DeveloperData" not in (tmp_path / "out" / "unity-build.log").read_text()


def test_a_stand_in_build_never_reads_the_secret(generated, tmp_path, secret_manager):
    build(
        generated,
        tmp_path / "out",
        backend="standin",
        license_secret="projects/p/secrets/unity-ulf/versions/3",
        log=lambda _: None,
    )
    assert secret_manager.names == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "projects/p/secrets/missing/versions/1",
            "cannot read the Unity license secret projects/p/secrets/missing/versions/1",
        ),
        ("projects/p/secrets/broken/versions/1", "must be a license file or a JSON object with UNITY_LICENSE"),
        (
            "unity-license",
            "'unity-license' is not a secret version; expected projects/PROJECT/secrets/NAME/versions/VERSION",
        ),
    ],
)
def test_a_secret_that_cannot_give_a_license_is_a_clear_error(
    generated, editor, project, tmp_path, secret_manager, name, message
):
    with pytest.raises(UnityLicenseError) as failure:
        build(
            generated,
            tmp_path / "out",
            backend="unity",
            unity_project=str(project),
            unity_editor=str(editor),
            license_secret=name,
            log=lambda _: None,
        )
    assert message in str(failure.value) and "SB-XXXX" not in str(failure.value)
    assert calls(tmp_path) == []
