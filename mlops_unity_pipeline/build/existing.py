"""Building a team's own Unity project for an existing behaviour: its build command or build method.

No code is generated or copied in: the project builds as its team builds it, in a private copy on
local disk (the project may be a shared ``/gcs/`` mount, and is never written to), and the folder
of the executable that the asset spec's ``existing.player`` names is copied into the build's
``--out`` folder with ``build_info.json``, as a generated build's. A build command runs with
``/bin/sh -c`` in the copy; a build method runs in the Unity Editor (``UNITY_EDITOR_PATH``) with
``-executeMethod``, with the licence from the environment as for generated agents.

In a pipeline the codegen stage writes no code for an existing asset: its output folder holds
``existing.json`` (the asset's ``existing`` block as given), which tells every later stage to
take this path.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..documents import read_document, write_document
from ..kfp_executor_output import local_path_for_uri
from ..layouts import BuildLayout, CodegenLayout
from ..output_folder import claim_output_folder
from .license import UnityLicense
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


@dataclass(frozen=True)
class ExistingBehavior:
    """An asset spec's ``existing`` block with its paths resolved (relative ones against the project).

    ``unity_project`` may be a ``gs://`` URI: a task reads it at Vertex AI's ``/gcs/`` mount.
    """

    unity_project: Path
    behavior_name: str
    trainer_config: Path
    player: Path
    build_command: str | None
    build_method: str | None

    @classmethod
    def from_spec(cls, existing: dict[str, Any]) -> ExistingBehavior:
        project = Path(local_path_for_uri(existing["unity_project"])).expanduser().resolve()
        return cls(
            project,
            existing["behavior_name"],
            project / Path(existing["trainer_config"]).expanduser(),
            project / Path(existing["player"]).expanduser(),
            existing.get("build_command"),
            existing.get("build_method"),
        )


def write_existing_record(asset_id: str, existing: dict[str, Any], out: str | Path) -> Path:
    """The codegen stage's output for an existing asset: ``out/existing.json``, and nothing generated."""
    path = CodegenLayout(Path(out)).existing_path
    write_document(path, {"asset_id": asset_id, "existing": dict(existing)})
    return path


def existing_record(generated: str | Path) -> dict[str, Any] | None:
    """The ``existing`` block a codegen output folder records, or ``None`` for a generated asset."""
    path = CodegenLayout(Path(generated)).existing_path
    return read_document(path)["existing"] if path.is_file() else None


def load_existing(generated: str | Path) -> ExistingBehavior | None:
    """The existing behaviour a codegen output folder stands for, or ``None`` for a generated asset."""
    record = existing_record(generated)
    return None if record is None else ExistingBehavior.from_spec(record)


def built_player(build_dir: str | Path) -> Path:
    """The executable a build stage's output folder holds, as its ``build_info.json`` names it."""
    info_path = BuildLayout(Path(build_dir)).info_path
    try:
        name = json.loads(info_path.read_text(encoding="utf-8"))["executable"]
    except (OSError, ValueError, KeyError, TypeError):
        raise UnityBuildError(
            f"{info_path}: no readable {BuildLayout.INFO} naming the player; run the build stage into this folder first"
        ) from None
    return Path(build_dir) / name


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
