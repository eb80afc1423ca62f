"""Building a team's own Unity project for an existing behaviour: its build command or build method.

No code is generated or copied in: the project builds as its team builds it, in a private copy on
local disk (the project may be a shared ``/gcs/`` mount, and is never written to), and the folder
of the executable that the asset spec's ``existing.player`` names is copied into the build's
``--out`` folder with ``build_info.json``, as a generated build's. A build command runs with
``/bin/sh -c`` in the copy; a build method runs in the Unity Editor (``UNITY_EDITOR_PATH``) with
``-executeMethod``, with the licence from the environment as for generated agents.

In a pipeline the codegen stage writes no code for an existing asset: its output folder holds
``existing.json`` (:mod:`.records`), which tells every later stage to take this path.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

from ..documents import write_document
from ..layouts import BuildLayout
from ..output_folder import claim_output_folder
from .license import UnityLicense
from .records import ExistingBehavior
from .stage import BuildResult
from .unity_backend import (
    EDITOR_VAR,
    UnityBuildError,
    UnityEditorMissing,
    UnitySettings,
    _failure_message,
    _run_logged,
    copy_project,
)

#: The ``backend`` that ``build_info.json`` records for a team's own build.
EXISTING_BACKEND = "existing"


def build_existing(existing: ExistingBehavior, out: str | Path, project_version: str = "") -> BuildResult:
    """Run the project's own build in a private copy (its output logged to ``out/build.log``), then copy
    the player's folder into ``out``."""
    project = existing.unity_project
    if not project.is_dir():
        raise UnityBuildError(f"existing.unity_project {project}: no such folder")
    out = claim_output_folder(Path(out).resolve(), "build", BuildLayout.INFO)
    unity_license = UnityLicense.from_environment()  # its secrets are redacted from the log either way
    with tempfile.TemporaryDirectory(prefix="unity-mlops-existing-") as scratch:
        copy = copy_project(project, Path(scratch) / project.name)
        if existing.build_command:
            command = ["/bin/sh", "-c", existing.build_command]
        else:
            editor = UnitySettings.from_environment().editor
            if not editor:
                raise UnityEditorMissing(
                    f"existing.build_method {existing.build_method!r} needs the Unity Editor, and none is configured: "
                    f"set ${EDITOR_VAR} (e.g. /opt/unity/Editor/Unity), or give existing.build_command instead"
                )
            command = [
                editor,
                "-batchmode",
                "-nographics",
                "-quit",
                "-projectPath",
                str(copy),
                "-buildTarget",
                "StandaloneLinux64",
                "-executeMethod",
                str(existing.build_method),
                "-logFile",
                "-",
                *unity_license.editor_arguments(),
            ]
            unity_license.install()
        log_path = out / BuildLayout.EXISTING_LOG
        lines, status = _run_logged(
            command, {**os.environ, "MLOPS_UNITY_PROJECT": str(copy)}, log_path, unity_license, cwd=copy
        )
        if status != 0:
            raise UnityBuildError(_failure_message(status, lines, log_path))
        player = _in_copy(existing.player, project, copy)
        if not player.is_file() or not player.stat().st_mode & stat.S_IXUSR:
            raise UnityBuildError(
                f"existing.player {existing.player}: the build finished but left no executable "
                f"player there; see {log_path}"
            )
        shutil.copytree(player.parent, out, symlinks=True, dirs_exist_ok=True)
    result = BuildResult(
        backend=EXISTING_BACKEND,
        executable=out / player.name,
        cache_key="",
        reused=False,
        behavior_name=existing.behavior_name,
        inputs_sha256="",
        project_version=project_version,
    )
    write_document(BuildLayout(out).info_path, result.to_dict())
    return result


def _in_copy(path: Path, project: Path, copy: Path) -> Path:
    """Where ``path`` is after the build in ``copy``: inside the project it moved with it, outside it did not."""
    try:
        return copy / path.relative_to(project)
    except ValueError:
        return path
