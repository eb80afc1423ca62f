"""The build cache: the same generated code, backend and Unity project give the same build.

A build is stored once under ``<cache dir>/builds/<key>/`` and copied to each ``--out`` that
asks for it. Builds are made in a temporary folder and renamed into place under a file lock, so
concurrent stages wait for each other and an interrupted build is never taken for a finished one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from filelock import FileLock

from .. import trainer_env
from .generated import GeneratedOutput

#: Unity project folders that hold inputs of a build; Library/, Temp/, Logs/ ... are derived.
PROJECT_INPUTS = ("Assets", "Packages", "ProjectSettings")
ENV_VAR_BUILD_CACHE = "MLOPS_BUILD_CACHE"


def cache_root() -> Path:
    """``$MLOPS_BUILD_CACHE``, else ``builds/`` in the project cache directory."""
    explicit = os.environ.get(ENV_VAR_BUILD_CACHE)
    return Path(explicit) if explicit else trainer_env.cache_dir() / "builds"


def build_key(generated: GeneratedOutput, backend: str, backend_fingerprint: str, project_sha256: str | None) -> str:
    """The cache key: codegen manifest (input key and file hashes), backend, and project content."""
    document = {
        "inputs_sha256": generated.inputs_sha256,
        "files": generated.files,
        "backend": backend,
        "backend_fingerprint": backend_fingerprint,
        "unity_project": project_sha256,
    }
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()[:32]


def project_sha256(project: Path, exclude: Iterable[Path] = ()) -> str:
    """Hash of a Unity project's inputs (names and bytes), leaving out ``exclude`` (relative paths)."""
    excluded = {Path(path) for path in exclude}
    digest = hashlib.sha256()
    for top in PROJECT_INPUTS:
        base = project / top
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            relative = path.relative_to(project)
            if not path.is_file() or any(relative == e or e in relative.parents for e in excluded):
                continue
            digest.update(str(relative.as_posix()).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def cached_build(key: str, make: Callable[[Path], object]) -> tuple[Path, bool]:
    """The stored build for ``key``, made by ``make(folder)`` if absent; returns (folder, reused)."""
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    target = root / key
    if target.is_dir():
        return target, True
    with FileLock(str(target) + ".lock"):
        if target.is_dir():
            return target, True
        staging = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=root))
        try:
            make(staging)
            staging.rename(target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return target, False


def copy_build(source: Path, out: Path, keep: Iterable[str] = ()) -> None:
    """Replace ``out``'s content (but the names in ``keep``) with the stored build, executable bits included.

    ``out`` must be a folder the build stage claimed (:func:`~..output_folder.claim_output_folder`).
    """
    kept = set(keep)
    for child in out.iterdir():
        if child.name in kept:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    shutil.copytree(source, out, dirs_exist_ok=True, symlinks=True)
