"""The ``standin`` build backend: a ``<Name>.x86_64`` launcher that runs the stand-in player.

Layout of the build folder, shaped like a Unity Linux player::

    <Name>.x86_64          executable shell script mlagents-learn launches
    <Name>_Data/behavior.json   the behaviour the player simulates
    <Name>_Data/python/    a snapshot of the library code the player needs
    behavior.json          the same behaviour, for readers of the build folder

The launcher runs ``python -m mlops_unity_pipeline.standin.player`` with the library snapshot on
``PYTHONPATH``. Python is ``$MLOPS_STANDIN_PYTHON`` when set, else the trainer environment's
interpreter found at build time, else ``python3`` on ``PATH``; it needs numpy, grpcio and
mlagents_envs, which the trainer environment (and the trainer image) has.
"""

from __future__ import annotations

import hashlib
import shlex
import shutil
import stat
from pathlib import Path

from .. import trainer_env
from ..behavior.spec import BEHAVIOR_FILE
from ..layouts import BuildLayout
from .generated import GeneratedOutput

PYTHON_ENV_VAR = "MLOPS_STANDIN_PYTHON"
#: The parts of the library the player imports (it needs nothing else).
LIBRARY_PARTS = ("__init__.py", "errors.py", "behavior", "standin")

LAUNCHER = """#!/bin/sh
# Stand-in Unity player for {name}, written by the unity-mlops build stage (backend: standin).
# Usage, as mlagents-learn runs it: {executable} [-nographics -batchmode] --mlagents-port N -logFile PATH
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
python=${{{env_var}:-}}
if [ -z "$python" ]; then
    python={built_python}
    [ -x "$python" ] || python=$(command -v python3 || true)
fi
if [ -z "$python" ] || [ ! -x "$python" ]; then
    echo "{executable}: no Python to run the stand-in player; set {env_var} to the trainer environment's python" >&2
    exit 127
fi
PYTHONPATH="$here/{data}/python${{PYTHONPATH:+:$PYTHONPATH}}"
export PYTHONPATH
exec "$python" -m mlops_unity_pipeline.standin.player --behavior "$here/{data}/{behavior}" "$@"
"""


def library_root() -> Path:
    return Path(__file__).resolve().parent.parent


def backend_fingerprint() -> str:
    """Hash of what goes into a build besides the behaviour: the launcher, the player code and the
    trainer Python it names, so a changed player or a rebuilt trainer environment is not reused."""
    digest = hashlib.sha256(LAUNCHER.encode() + _trainer_python().encode())
    root = library_root()
    for part in LIBRARY_PARTS:
        path = root / part
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def build_standin(generated: GeneratedOutput, out: Path) -> Path:
    """Write the stand-in player into ``out``; returns the executable's path."""
    name = generated.behavior_name
    layout = BuildLayout(out)
    data = layout.data_dir(name)
    python_dir = data / "python" / "mlops_unity_pipeline"
    python_dir.mkdir(parents=True, exist_ok=True)
    root = library_root()
    for part in LIBRARY_PARTS:
        source = root / part
        if source.is_dir():
            shutil.copytree(source, python_dir / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, python_dir / part)
    shutil.copy2(generated.behavior_path, data / BEHAVIOR_FILE)
    shutil.copy2(generated.behavior_path, layout.behavior_path)

    built_python = _trainer_python()
    executable = layout.player(name)
    executable.write_text(
        LAUNCHER.format(
            name=name,
            executable=executable.name,
            data=data.name,
            env_var=PYTHON_ENV_VAR,
            behavior=BEHAVIOR_FILE,
            built_python=shlex.quote(built_python) if built_python else "''",
        ),
        encoding="utf-8",
    )
    executable.chmod(executable.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return executable


def _trainer_python() -> str:
    env = trainer_env.locate()
    return str(env.python) if env is not None else ""
