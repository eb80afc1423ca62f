"""Building a team's own Unity project for an existing behaviour: its build command or build method.

No code is generated or copied in: the project builds as its team builds it, in place, and the
player is the executable the asset spec's ``existing.player`` names. A build command runs with
``/bin/sh -c`` in the project folder; a build method runs in the Unity Editor (``UNITY_EDITOR_PATH``)
with ``-executeMethod``, with the licence from the environment as for generated agents.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..layouts import BuildLayout
from .license import UnityLicense
from .unity_backend import UnityBuildError, UnitySettings, _failure_message, _missing_editor_help, _run_logged


@dataclass(frozen=True)
class ExistingBehavior:
    """An asset spec's ``existing`` block with its paths resolved (relative ones against the project)."""

    unity_project: Path
    behavior_name: str
    trainer_config: Path
    player: Path
    build_command: str | None
    build_method: str | None

    @classmethod
    def from_spec(cls, existing: dict[str, Any]) -> ExistingBehavior:
        project = Path(existing["unity_project"]).expanduser().resolve()
        return cls(project, existing["behavior_name"], project / Path(existing["trainer_config"]).expanduser(),
                   project / Path(existing["player"]).expanduser(), existing.get("build_command"),
                   existing.get("build_method"))


def build_existing(existing: ExistingBehavior, out: Path) -> Path:
    """Run the project's own build (its output logged to ``out/build.log``); returns the player."""
    if not existing.unity_project.is_dir():
        raise UnityBuildError(f"existing.unity_project {existing.unity_project}: no such folder")
    out.mkdir(parents=True, exist_ok=True)
    unity_license = UnityLicense.from_environment()  # its secrets are redacted from the log either way
    if existing.build_command:
        command = ["/bin/sh", "-c", existing.build_command]
    else:
        editor = UnitySettings.from_environment().editor
        if not editor:
            raise UnityBuildError(_missing_editor_help(f"existing.build_method {existing.build_method!r} needs the "
                                                       "Unity Editor, and none is configured"))
        command = [editor, "-batchmode", "-nographics", "-quit", "-projectPath", str(existing.unity_project),
                   "-buildTarget", "StandaloneLinux64", "-executeMethod", str(existing.build_method), "-logFile", "-",
                   *unity_license.editor_arguments()]
        unity_license.install()
    log_path = out / BuildLayout.EXISTING_LOG
    lines, status = _run_logged(command, {**os.environ, "MLOPS_UNITY_PROJECT": str(existing.unity_project)},
                                log_path, unity_license, cwd=existing.unity_project)
    if status != 0:
        raise UnityBuildError(_failure_message(status, lines, log_path))
    player = existing.player
    if not player.is_file() or not player.stat().st_mode & stat.S_IXUSR:
        raise UnityBuildError(f"existing.player {player}: the build finished but left no executable player there; "
                              f"see {log_path}")
    return player
