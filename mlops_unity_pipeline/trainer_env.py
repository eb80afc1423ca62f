"""The Python 3.10 environment that runs mlagents-learn.

mlagents 1.1.0 pins protobuf and grpcio versions that the Vertex/KFP side cannot share, so
the trainer lives in its own virtual environment. It is built once from
``requirements/trainer.txt`` and cached outside the checkout under a hash of that file (and
the interpreter version), so a second set-up, another checkout or a CI run reuses it.

Inside a trainer container there is no cache: ``mlagents-learn`` on ``PATH`` is used instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock

from . import process_tree
from .errors import MLOpsError, TrainerEnvError

#: The Python minor version mlagents 1.1.0 supports.
TRAINER_PYTHON_VERSION = "3.10"
ENV_VAR_PYTHON = "MLOPS_TRAINER_PYTHON"
ENV_VAR_ENV = "MLOPS_TRAINER_ENV"
ENV_VAR_CACHE = "MLOPS_CACHE_DIR"


@dataclass(frozen=True)
class TrainerEnv:
    """A ready trainer environment: its interpreter and its ``mlagents-learn``."""

    root: Path

    @property
    def python(self) -> Path:
        return self.root / "bin" / "python"

    @property
    def mlagents_learn(self) -> Path:
        return self.root / "bin" / "mlagents-learn"

    def environment(self, **extra: str) -> dict[str, str]:
        """This process's environment, with the library importable from the trainer env."""
        return {**os.environ, "PYTHONPATH": library_pythonpath(), **extra}

    def run_module(
        self, module: str, *args: str, timeout: float, cwd: str | os.PathLike[str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """``python -m module args`` in the trainer env, output captured; the caller judges the exit code."""
        return process_tree.run_supervised(
            [str(self.python), "-m", module, *args],
            timeout=timeout,
            cwd=cwd,
            env=self.environment(),
        )


def run_json(
    module: str,
    *args: str,
    doing: str,
    error: type[MLOpsError],
    timeout: float,
    env: TrainerEnv | None = None,
    cwd: str | os.PathLike[str] | None = None,
    result_file: Path | None = None,
) -> Any:
    """Run ``python -m module args`` in the trainer environment and return the JSON it answered.

    The library's trainer-side modules (mlagents lives only there) answer in JSON: in
    ``result_file`` when given, else on stdout. ``env`` defaults to :func:`locate`'s. A missing
    environment, a failed run or an answer that is not JSON raises ``error``, saying what was being
    done (``doing``) and, for a failed run, the exit status and the output's last lines.
    """
    env = env or locate()
    if env is None:
        raise error(f"{doing} needs the trainer environment (mlagents); run 'make trainer-env' first")
    process = env.run_module(module, *args, timeout=timeout, cwd=cwd)
    if process.returncode != 0:
        tail = "\n".join((process.stdout + process.stderr).splitlines()[-20:])
        raise error(f"{doing} failed (exit {process.returncode}):\n{tail}")
    try:
        return json.loads(result_file.read_text(encoding="utf-8") if result_file else process.stdout)
    except (OSError, json.JSONDecodeError) as exc:
        raise error(f"{doing}: the trainer environment gave no JSON answer ({exc})") from None


def project_root() -> Path:
    """The checkout (or installed tree) that holds the package and ``requirements/``."""
    return Path(__file__).resolve().parent.parent


def requirements_file() -> Path:
    return project_root() / "requirements" / "trainer.txt"


def cache_dir() -> Path:
    """``$MLOPS_CACHE_DIR``, else ``$XDG_CACHE_HOME/unity-mlops``, else ``~/.cache/unity-mlops``."""
    if os.environ.get(ENV_VAR_CACHE):
        return Path(os.environ[ENV_VAR_CACHE])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "unity-mlops"


def env_key(requirements: Path) -> str:
    """The cache key: the requirements' bytes and the interpreter's minor version."""
    digest = hashlib.sha256(requirements.read_bytes())
    digest.update(TRAINER_PYTHON_VERSION.encode())
    return digest.hexdigest()[:16]


def cached_env_path(requirements: Path | None = None) -> Path:
    requirements = requirements or requirements_file()
    return cache_dir() / "trainer-env" / f"py{TRAINER_PYTHON_VERSION}-{env_key(requirements)}"


def find_python310() -> Path:
    """Find a working Python 3.10: ``$MLOPS_TRAINER_PYTHON``, PATH, pyenv, then uv.

    Each candidate is run once, since a pyenv shim on PATH may exist without a version behind it.
    """
    explicit = os.environ.get(ENV_VAR_PYTHON)
    if explicit:
        if _is_python310(Path(explicit)):
            return Path(explicit)
        raise TrainerEnvError(f"${ENV_VAR_PYTHON}={explicit} is not a working Python {TRAINER_PYTHON_VERSION}")
    on_path = shutil.which(f"python{TRAINER_PYTHON_VERSION}")
    for candidate in (Path(on_path) if on_path else None, _from_pyenv(), _from_uv()):
        if candidate and _is_python310(candidate):
            return candidate
    raise TrainerEnvError(
        f"no Python {TRAINER_PYTHON_VERSION} interpreter found (looked at ${ENV_VAR_PYTHON}, "
        f"python{TRAINER_PYTHON_VERSION} on PATH, pyenv and uv); install one, e.g. "
        f"'pyenv install {TRAINER_PYTHON_VERSION}', or set {ENV_VAR_PYTHON}"
    )


def _is_python310(python: Path) -> bool:
    try:
        result = subprocess.run(
            [str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0 and result.stdout.strip() == TRAINER_PYTHON_VERSION


def _from_pyenv() -> Path | None:
    if not shutil.which("pyenv"):
        return None
    listed = subprocess.run(["pyenv", "versions", "--bare"], capture_output=True, text=True, check=False)
    versions = [v.strip() for v in listed.stdout.splitlines() if v.strip().startswith(f"{TRAINER_PYTHON_VERSION}.")]
    for version in sorted(versions, key=lambda v: [int(p) for p in v.split(".") if p.isdigit()], reverse=True):
        prefix = subprocess.run(["pyenv", "prefix", version], capture_output=True, text=True, check=False)
        candidate = Path(prefix.stdout.strip()) / "bin" / f"python{TRAINER_PYTHON_VERSION}"
        if prefix.returncode == 0 and candidate.exists():
            return candidate
    return None


def _from_uv() -> Path | None:
    if not shutil.which("uv"):
        return None
    found = subprocess.run(
        ["uv", "python", "find", TRAINER_PYTHON_VERSION], capture_output=True, text=True, check=False
    )
    return Path(found.stdout.strip()) if found.returncode == 0 and found.stdout.strip() else None


def locate() -> TrainerEnv | None:
    """The trainer environment to use, if one is ready: ``$MLOPS_TRAINER_ENV``, the cache, or PATH.

    An installed library (an image's) has no ``requirements/`` and so no cache key: only
    ``$MLOPS_TRAINER_ENV`` and PATH apply there.
    """
    explicit = os.environ.get(ENV_VAR_ENV)
    if explicit:
        return TrainerEnv(Path(explicit))
    requirements = requirements_file()
    cached = cached_env_path(requirements) if requirements.is_file() else None
    if cached is not None and (cached / ".complete").exists():
        return TrainerEnv(cached)
    on_path = shutil.which("mlagents-learn")
    if on_path:
        return TrainerEnv(Path(on_path).resolve().parent.parent)
    return None


def ensure(log: Callable[[str], None] = print) -> TrainerEnv:
    """Return the cached trainer environment, building it first if needed.

    Built under a file lock, so concurrent set-ups wait for each other; the ``.complete``
    marker is written last, so an interrupted build is never mistaken for a ready one and is
    rebuilt from scratch the next time.
    """
    target = cached_env_path()
    if (target / ".complete").exists():
        return TrainerEnv(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if (target / ".complete").exists():
            return TrainerEnv(target)
        python = find_python310()
        shutil.rmtree(target, ignore_errors=True)
        log(f"building the trainer environment with {python} in {target} (once per requirements change)")
        _run([str(python), "-m", "venv", str(target)])
        pip = [str(target / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        _run(pip + ["--upgrade", "pip", "wheel", "setuptools<81"])
        _run(pip + ["--ignore-requires-python", "-r", str(requirements_file())])
        (target / ".complete").write_text(env_key(requirements_file()) + "\n")
    return TrainerEnv(target)


def library_pythonpath() -> str:
    """``PYTHONPATH`` that lets the trainer environment import this library without installing it."""
    return str(project_root())


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
        raise TrainerEnvError(f"building the trainer environment failed: {' '.join(command)}\n{tail}")
