"""Running the build stage: pick a backend, reuse a cached build or make one, fill ``--out``.

``--out`` ends up holding the player (``<Name>.x86_64`` and what it needs) and
``build_info.json``: the backend, the cache key, whether the build was reused, and the
executable's file name, for the train stage to pass to ``mlagents-learn --env``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import MLOpsError
from ..output_folder import OWNER_FILE, claim_output_folder
from . import cache
from .generated import GeneratedOutput
from .license import UnityLicense
from .standin_backend import backend_fingerprint, build_standin
from .unity_backend import LOG_FILE, UnitySettings, build_unity, project_assets_dir, resolve_project

BACKENDS = ("auto", "unity", "standin")
BUILD_INFO_FILE = "build_info.json"


class BuildConfigError(MLOpsError):
    """The build was asked for in a way that cannot work (unknown backend, ...)."""


@dataclass(frozen=True)
class BuildResult:
    backend: str
    executable: Path
    cache_key: str
    reused: bool
    behavior_name: str
    inputs_sha256: str

    def to_dict(self) -> dict:
        data = asdict(self)
        data["executable"] = self.executable.name
        return data


def choose_backend(requested: str, settings: UnitySettings) -> tuple[str, str]:
    """The backend to use and a sentence saying why."""
    if requested not in BACKENDS:
        raise BuildConfigError(f"--backend {requested!r} is not one of {', '.join(BACKENDS)}")
    if requested != "auto":
        return requested, f"backend {requested} (requested)"
    if settings.configured:
        return "unity", f"backend auto chose unity: {settings.describe()} is configured"
    return "standin", "backend auto chose standin: no UNITY_BUILD_COMMAND or Unity Editor is configured"


def build(
    generated_dir: str | Path,
    out_dir: str | Path,
    backend: str = "auto",
    unity_project: str | None = None,
    unity_editor: str | None = None,
    log: Callable[[str], None] = print,
) -> BuildResult:
    """Build the player for a codegen output into ``out_dir``, reusing an identical earlier build."""
    generated = GeneratedOutput.load(generated_dir)
    out = Path(out_dir).resolve()
    settings = UnitySettings.from_environment(unity_editor)
    chosen, reason = choose_backend(backend, settings)
    log(reason)
    claim_output_folder(out, "build", BUILD_INFO_FILE)
    fresh_files: tuple[str, ...] = ()

    if chosen == "standin":
        key = cache.build_key(generated, "standin", backend_fingerprint(), None)

        def make(folder: Path) -> None:
            build_standin(generated, folder)
    else:
        project = resolve_project(unity_project)
        unity_license = UnityLicense.from_environment()
        project_hash = cache.project_sha256(project, exclude=[project_assets_dir(generated)])
        key = cache.build_key(generated, "unity", settings.fingerprint(), project_hash)
        fresh_files = (LOG_FILE,)

        def make(folder: Path) -> None:
            build_unity(generated, folder, settings, project, unity_license, out / LOG_FILE)

    stored, reused = cache.cached_build(key, make)
    cache.copy_build(stored, out, keep=(OWNER_FILE, *(() if reused else fresh_files)))
    result = BuildResult(
        backend=chosen,
        executable=out / generated.executable_name,
        cache_key=key,
        reused=reused,
        behavior_name=generated.behavior_name,
        inputs_sha256=generated.inputs_sha256,
    )
    (out / BUILD_INFO_FILE).write_text(json.dumps(result.to_dict(), indent=2) + "\n", encoding="utf-8")
    log(f"{'reused the cached' if reused else 'built a new'} {chosen} build {key}: {result.executable}")
    return result
