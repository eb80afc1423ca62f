"""Running the build stage: pick a backend, reuse a cached build or make one, fill ``--out``.

``--out`` ends up holding the player (``<Name>.x86_64`` and what it needs) and
``build_info.json``: the backend, the cache key, whether the build was reused, and the
executable's file name, for the train stage to pass to ``mlagents-learn --env``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import BuildConfigError
from ..layouts import BuildLayout
from ..output_folder import OWNER_FILE, claim_output_folder
from . import cache
from .generated import GeneratedOutput
from .license import UnityLicense
from .license_secret import license_from_secret
from .standin_backend import backend_fingerprint, build_standin
from .unity_backend import PROJECT_VAR, UnitySettings, build_unity, project_assets_dir, resolve_project

BACKENDS = ("auto", "unity", "standin")


@dataclass(frozen=True)
class BuildResult:
    backend: str
    executable: Path
    cache_key: str
    reused: bool
    behavior_name: str
    inputs_sha256: str
    #: The Unity project's version the build was asked for (the pipeline's project_version task), if any.
    project_version: str = ""

    def to_dict(self) -> dict:
        data = asdict(self)
        data["executable"] = self.executable.name
        return data


def choose_backend(requested: str, settings: UnitySettings, unity_project: str | None = None) -> tuple[str, str]:
    """The backend to use and a sentence saying why.

    ``auto`` builds with Unity only when both a Unity installation and a Unity project are given:
    the Unity builder image configures the Editor for every run, and a run without a project has
    nothing for it to build, so it gets the stand-in player.
    """
    if requested not in BACKENDS:
        raise BuildConfigError(f"--backend {requested!r} is not one of {', '.join(BACKENDS)}")
    if requested != "auto":
        return requested, f"backend {requested} (requested)"
    project = unity_project or os.environ.get(PROJECT_VAR)
    if settings.configured and project:
        return "unity", f"backend auto chose unity: {settings.describe()} is configured and the project is {project}"
    if settings.configured:
        return (
            "standin",
            f"backend auto chose standin: {settings.describe()} is configured but no Unity project is given",
        )
    return "standin", "backend auto chose standin: no UNITY_BUILD_COMMAND or Unity Editor is configured"


def build(
    generated_dir: str | Path,
    out_dir: str | Path,
    backend: str = "auto",
    unity_project: str | None = None,
    unity_editor: str | None = None,
    log: Callable[[str], None] = print,
    license_secret: str | None = None,
    project_version: str = "",
) -> BuildResult:
    """Build the player for a codegen output into ``out_dir``, reusing an identical earlier build.

    A Unity build activates with the license in the Secret Manager secret version
    ``license_secret`` when given, else with the one in the environment.
    """
    generated = GeneratedOutput.load(generated_dir)
    layout = BuildLayout(Path(out_dir).resolve())
    settings = UnitySettings.from_environment(unity_editor)
    chosen, reason = choose_backend(backend, settings, unity_project)
    log(reason)
    claim_output_folder(layout.root, "build", layout.INFO)
    if chosen == "standin":
        recipe = _standin_recipe(generated)
    else:
        recipe = _unity_recipe(generated, layout, settings, unity_project, license_secret)
    stored, reused = cache.cached_build(recipe.key, recipe.make)
    cache.copy_build(stored, layout.root, keep=(OWNER_FILE, *(() if reused else recipe.fresh_files)))
    result = BuildResult(
        backend=chosen,
        executable=layout.player(generated.behavior_name),
        cache_key=recipe.key,
        reused=reused,
        behavior_name=generated.behavior_name,
        inputs_sha256=generated.inputs_sha256,
        project_version=project_version,
    )
    layout.info_path.write_text(json.dumps(result.to_dict(), indent=2) + "\n", encoding="utf-8")
    log(f"{'reused the cached' if reused else 'built a new'} {chosen} build {recipe.key}: {result.executable}")
    return result


@dataclass(frozen=True)
class _Recipe:
    """How to make a build: its cache key, what makes it into a folder, and the files it writes straight
    into ``--out`` (kept when this run made the build; a reused build's ``--out`` has no log of its own)."""

    key: str
    make: Callable[[Path], object]
    fresh_files: tuple[str, ...] = ()


def _standin_recipe(generated: GeneratedOutput) -> _Recipe:
    key = cache.build_key(generated, "standin", backend_fingerprint(), None)
    return _Recipe(key, lambda folder: build_standin(generated, folder))


def _unity_recipe(
    generated: GeneratedOutput,
    layout: BuildLayout,
    settings: UnitySettings,
    unity_project: str | None,
    license_secret: str | None,
) -> _Recipe:
    """A Unity build of the project with the generated scripts, keyed on the project's content; the Editor's
    log goes straight to ``--out`` (a failed build leaves it there to read)."""
    project = resolve_project(unity_project)
    unity_license = license_from_secret(license_secret) if license_secret else UnityLicense.from_environment()
    project_hash = cache.project_sha256(project, exclude=[project_assets_dir(generated)])
    key = cache.build_key(generated, "unity", settings.fingerprint(), project_hash)
    log_path = layout.root / layout.UNITY_LOG
    return _Recipe(
        key,
        lambda folder: build_unity(generated, folder, settings, project, unity_license, log_path),
        (layout.UNITY_LOG,),
    )
