"""The ``unity`` build backend: the generated scripts built into a Linux server player by Unity.

Copies the Unity project to a private folder on local disk (the user's project may be a shared
``/gcs/`` mount that parallel builds read at once, and is never written to), copies the
generated ``Assets/UnityMLOps/<Name>`` folder into that copy, then runs
``UNITY_BUILD_COMMAND`` when set (with ``-mlopsBuildPath EXE`` appended, and the project,
output and method in ``MLOPS_UNITY_PROJECT``, ``MLOPS_BUILD_PATH``, ``MLOPS_EXECUTE_METHOD``),
else the Editor in batchmode. The Editor's log (``-logFile -``) streams into
``unity-build.log`` in the build folder with the license redacted; a failure becomes an error
holding the log lines that explain it.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .. import process_tree
from ..errors import UnityBuildError, UnityEditorMissing
from ..layouts import BuildLayout
from .generated import GeneratedOutput
from .license import UnityLicense

BUILD_COMMAND_VAR = "UNITY_BUILD_COMMAND"
EDITOR_VAR = "UNITY_EDITOR_PATH"
PROJECT_VAR = "UNITY_PROJECT_PATH"
#: What the generated BuildScript's exit codes mean.
EXIT_MEANINGS = {
    101: "the Unity build failed (BuildResult.Failed)",
    102: "the Unity build was cancelled (BuildResult.Cancelled)",
    103: "the Unity build ended with an unknown result",
}
COMPILE_ERROR = re.compile(r"error CS\d{4}|Scripts have compiler errors|compilation errors?", re.IGNORECASE)
ERROR_LINE = re.compile(r"error|exception|failed|cancel", re.IGNORECASE)
#: How many log lines an error message quotes.
QUOTED_LINES = 20


@dataclass(frozen=True)
class UnitySettings:
    """How to run Unity here: a build command, or an Editor executable (``--unity-editor`` or env)."""

    build_command: str | None
    editor: str | None

    @classmethod
    def from_environment(cls, editor: str | None = None) -> UnitySettings:
        return cls(os.environ.get(BUILD_COMMAND_VAR) or None, editor or os.environ.get(EDITOR_VAR) or None)

    @property
    def configured(self) -> bool:
        return bool(self.build_command or self.editor)

    def describe(self) -> str:
        if self.build_command:
            return f"${BUILD_COMMAND_VAR}"
        return f"the Unity Editor at {self.editor}" if self.editor else "no Unity Editor"

    def fingerprint(self) -> str:
        """What, besides the inputs, decides the build's bytes: the command or the Editor."""
        return self.build_command or str(self.editor)


def resolve_project(project: str | None) -> Path:
    path = project or os.environ.get(PROJECT_VAR)
    if not path:
        raise UnityBuildError(
            f"the unity backend needs a Unity project: pass --unity-project PATH or set {PROJECT_VAR}"
        )
    resolved = Path(path).resolve()
    if not (resolved / "Assets").is_dir():
        raise UnityBuildError(f"{resolved} is not a Unity project (it has no Assets/ folder)")
    return resolved


def project_assets_dir(generated: GeneratedOutput) -> Path:
    """Where the generated folder goes inside the project, relative to the project root: where codegen
    put it under its ``unity/`` folder (the manifest's ``unity.assets_dir``)."""
    return Path(generated.unity_field("assets_dir")).relative_to(generated.UNITY)


#: Folders Unity writes while it runs; a private copy of a project starts without them.
RUNTIME_FOLDERS = ("Temp", "Logs", "obj")


def copy_project(project: Path, destination: Path) -> Path:
    """Copy ``project`` to ``destination`` (which must not exist), leaving out Unity's run-time folders.

    ``Library/`` (Unity's import cache) is copied when present, so the copy imports no slower.
    """
    shutil.copytree(project, destination, symlinks=True, ignore=_top_level(RUNTIME_FOLDERS, project))
    return destination


def _top_level(names: tuple[str, ...], root: Path):
    def ignore(folder: str, _: list[str]) -> list[str]:
        return list(names) if Path(folder) == root else []

    return ignore


def install_scripts(generated: GeneratedOutput, project: Path) -> Path:
    """Replace ``<project>/Assets/UnityMLOps/<Name>`` with the generated folder."""
    relative = project_assets_dir(generated)
    source = generated.root / generated.UNITY / relative
    if not source.is_dir():
        raise UnityBuildError(f"{source} does not exist; regenerate with codegen")
    target = project / relative
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    return target


def build_command(
    settings: UnitySettings, generated: GeneratedOutput, project: Path, executable: Path, unity_license: UnityLicense
) -> list[str]:
    """The command line that builds the player into ``executable``."""
    path_argument = [generated.unity_field("build_path_argument"), str(executable)]
    if settings.build_command:
        return shlex.split(settings.build_command) + path_argument
    if not settings.editor:
        raise UnityEditorMissing(_missing_editor_help("no Unity Editor is configured"))
    return [
        settings.editor,
        "-batchmode",
        "-nographics",
        "-quit",
        "-projectPath",
        str(project),
        "-buildTarget",
        "StandaloneLinux64",
        "-standaloneBuildSubtarget",
        "Server",
        "-executeMethod",
        generated.unity_field("execute_method"),
        "-logFile",
        "-",
        *path_argument,
        *unity_license.editor_arguments(),
    ]


def build_unity(
    generated: GeneratedOutput,
    out: Path,
    settings: UnitySettings,
    project: Path,
    unity_license: UnityLicense,
    log_path: Path,
) -> Path:
    """Copy the project to local disk and the scripts into it, run Unity to build into ``out``, and
    return the executable.

    The Editor's output goes to ``log_path`` (kept outside ``out``, which is discarded when the
    build fails); a failure raises with the log lines that explain it.
    """
    with tempfile.TemporaryDirectory(prefix="unity-project-") as scratch:
        local_project = copy_project(project, Path(scratch) / project.name)
        return _build_in(generated, out, settings, local_project, unity_license, log_path)


def _build_in(
    generated: GeneratedOutput,
    out: Path,
    settings: UnitySettings,
    project: Path,
    unity_license: UnityLicense,
    log_path: Path,
) -> Path:
    install_scripts(generated, project)
    unity_license.install()
    executable = BuildLayout(out).player(generated.behavior_name)
    command = build_command(settings, generated, project, executable, unity_license)
    env = dict(os.environ)
    env.update(
        MLOPS_UNITY_PROJECT=str(project),
        MLOPS_BUILD_PATH=str(executable),
        MLOPS_EXECUTE_METHOD=generated.unity_field("execute_method"),
    )
    lines, status = _run_logged(command, env, log_path, unity_license)
    if status != 0:
        raise UnityBuildError(_failure_message(status, lines, log_path))
    if not executable.is_file():
        raise UnityBuildError(
            f"Unity exited 0 but wrote no {executable.name} (the path after "
            f"{generated.unity_field('build_path_argument')}); last lines of {log_path}:\n"
            + "\n".join(lines[-QUOTED_LINES:])
        )
    return executable


def _run_logged(
    command: list[str], env: dict[str, str], log_path: Path, unity_license: UnityLicense, cwd: Path | None = None
) -> tuple[list[str], int]:
    """Run ``command`` (in ``cwd``), streaming its output (redacted) to ``log_path``; returns the lines and the status."""
    shown = unity_license.redact(" ".join(shlex.quote(part) for part in command))
    if shutil.which(command[0], path=env.get("PATH")) is None:
        problem = "is not executable" if Path(command[0]).exists() else "does not exist"
        raise UnityEditorMissing(_missing_editor_help(f"{command[0]} {problem}"))
    # Supervised: the Editor's helpers (licensing client, shader compilers) end with the build.
    process = subprocess.Popen(
        process_tree.supervised(command),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        start_new_session=True,
        cwd=cwd,
    )
    lines: list[str] = []
    try:
        with log_path.open("w", encoding="utf-8") as log:
            log.write(f"$ {shown}\n")
            assert process.stdout is not None
            for line in unity_license.redact_lines(raw.rstrip("\n") for raw in process.stdout):
                lines.append(line)
                log.write(line + "\n")
            status = process.wait()
            log.write(f"exit status {status}\n")
    finally:
        process_tree.stop(process)
    return lines, status


def _failure_message(status: int, lines: list[str], log_path: Path) -> str:
    compile_errors = [line for line in lines if COMPILE_ERROR.search(line)]
    if compile_errors:
        reason = "Unity could not compile the scripts"
        quoted = compile_errors
    elif status in EXIT_MEANINGS:
        reason = EXIT_MEANINGS[status]
        quoted = [line for line in lines if ERROR_LINE.search(line)] or lines
    else:
        reason = "Unity failed"
        quoted = lines
    body = "\n".join(f"  {line}" for line in quoted[-QUOTED_LINES:])
    return f"{reason} (exit status {status}); from {log_path}:\n{body}"


def _missing_editor_help(problem: str) -> str:
    return (
        f"{problem}. Configure Unity with --unity-editor PATH or ${EDITOR_VAR} (e.g. "
        f"/opt/unity/Editor/Unity, or unity-editor from a unityci/editor image), or set ${BUILD_COMMAND_VAR} "
        "to a command that runs the build; or use --backend standin to train against the stand-in player"
    )
