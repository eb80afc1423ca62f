"""The Unity project's version, which the cached build is keyed on, follows the project's content.

Cloud Storage is the real local emulator (gcp-storage-emulator); the command runs as the
project_version task runs it, in a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
PROJECT_FILES = {
    "Assets/Scenes/Main.unity": "scene",
    "Packages/manifest.json": '{"dependencies": {"com.unity.ml-agents": "3.0.0"}}',
    "ProjectSettings/ProjectVersion.txt": "m_EditorVersion: 6000.0.32f1\n",
}


def version(uri: str, tmp_path: Path) -> tuple[subprocess.CompletedProcess, str | None]:
    executor_output = tmp_path / "executor_output.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mlops_unity_pipeline",
            "--executor-output",
            str(executor_output),
            "--timeout",
            "120s",
            "project-version",
            "--unity-project",
            uri,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        timeout=180,
        check=False,
    )
    written = (
        json.loads(executor_output.read_text())["parameterValues"]["version"] if executor_output.exists() else None
    )
    return result, written


def test_a_gcs_project_is_versioned_by_its_objects_and_a_change_changes_it(gcs_bucket, tmp_path: Path) -> None:
    for name, text in PROJECT_FILES.items():
        gcs_bucket.blob(f"games/Reach/{name}").upload_from_string(text)
        gcs_bucket.blob(f"copies/Reach/{name}").upload_from_string(text)
    gcs_bucket.blob("games/Reach/Library/ArtifactDB").upload_from_string("import cache, not an input")

    first, written = version(f"gs://{gcs_bucket.name}/games/Reach", tmp_path)
    assert first.returncode == 0, first.stderr
    assert written == first.stdout.strip() and len(written) == 64
    assert version(f"gs://{gcs_bucket.name}/copies/Reach", tmp_path)[1] == written, "the same content at another URI"

    gcs_bucket.blob("games/Reach/Assets/Scenes/Main.unity").upload_from_string("a changed scene")
    assert version(f"gs://{gcs_bucket.name}/games/Reach", tmp_path)[1] not in (written, None)


def test_a_folder_project_is_versioned_by_its_files(tmp_path: Path) -> None:
    project = tmp_path / "Reach"
    for name, text in PROJECT_FILES.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    first = version(str(project), tmp_path)[1]
    (project / "Assets" / "Scenes" / "Main.unity").write_text("a changed scene")
    assert first and version(str(project), tmp_path)[1] not in (first, None)


def test_no_project_has_an_empty_version(tmp_path: Path) -> None:
    result, written = version("", tmp_path)
    assert result.returncode == 0 and written == ""


def test_a_uri_with_no_project_is_a_clear_error(gcs_bucket, tmp_path: Path) -> None:
    result, _ = version(f"gs://{gcs_bucket.name}/nothing-here", tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert (
        f"gs://{gcs_bucket.name}/nothing-here is not a Unity project: it has no objects under Assets" in result.stderr
    )
