"""Compiling and running C# with Mono (Debian's ``mono-mcs`` and ``mono-runtime``) in tests.

Generated scripts are compiled the way Unity compiles a project: runtime scripts into a player
assembly (player defines, no UnityEditor), Editor scripts into an assembly that references it and
UnityEditor. ``mcs`` stands in for Roslyn; it accepts C# up to 7.2 with ``-langversion:experimental``,
so generated code that compiles here compiles in Unity 6 (which accepts C# 9).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

UNITY_API = Path(__file__).resolve().parent / "unity_api"
#: Scripting defines of a Linux dedicated-server player build and of the Editor, Unity 6000.0.
PLAYER_DEFINES = ("UNITY_6000_0_OR_NEWER", "UNITY_STANDALONE", "UNITY_STANDALONE_LINUX", "UNITY_SERVER")
EDITOR_DEFINES = ("UNITY_6000_0_OR_NEWER", "UNITY_EDITOR", "UNITY_EDITOR_LINUX", "UNITY_STANDALONE_LINUX")


class CompileError(AssertionError):
    """mcs refused the sources; the message holds its diagnostics."""


def require_mono() -> None:
    """Fail (not skip) when Mono is missing: the project's set-up installs it."""
    missing = [tool for tool in ("mcs", "mono") if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"{' and '.join(missing)} not found: install Debian's mono-mcs and mono-runtime (make setup does it)"
        )


def compile_assembly(
    sources: Iterable[Path],
    out: Path,
    references: Sequence[Path] = (),
    defines: Sequence[str] = (),
    target: str = "library",
    extra: Sequence[str] = (),
) -> Path:
    """``mcs`` the sources into ``out``; raises :class:`CompileError` with mcs's output on failure."""
    command = [
        "mcs",
        f"-target:{target}",
        "-langversion:experimental",
        "-nologo",
        f"-out:{out}",
        *(f"-r:{reference}" for reference in references),
        *([f"-define:{';'.join(defines)}"] if defines else []),
        *extra,
        *(str(source) for source in sources),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    if result.returncode != 0:
        raise CompileError(f"mcs failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return out


@dataclass(frozen=True)
class UnityApi:
    """The compiled API stub assemblies: UnityEngine, ML-Agents (runtime) and UnityEditor."""

    engine: Path
    mlagents: Path
    editor: Path

    @property
    def runtime(self) -> tuple[Path, Path]:
        return (self.engine, self.mlagents)


def build_unity_api(out_dir: Path) -> UnityApi:
    """Compile the stubs under ``tests/unity_api`` once."""
    require_mono()
    engine = compile_assembly([UNITY_API / "UnityEngine.cs"], out_dir / "UnityEngine.dll", extra=["-nowarn:660,661"])
    mlagents = compile_assembly(
        [UNITY_API / "MLAgents.cs"], out_dir / "Unity.ML-Agents.dll", [engine], extra=["-nowarn:67"]
    )
    editor = compile_assembly([UNITY_API / "UnityEditor.cs"], out_dir / "UnityEditor.dll", [engine])
    return UnityApi(engine, mlagents, editor)


UNITY_SHIM = Path(__file__).resolve().parent / "unity_shim"


@dataclass(frozen=True)
class UnityShim:
    """The engine shim's assemblies and its driver, all in one folder (Mono resolves references there)."""

    folder: Path
    runtime: Path
    editor: Path
    driver: Path


def build_unity_shim(out_dir: Path) -> UnityShim:
    """Compile the engine shim under ``tests/unity_shim`` (engine and ML-Agents, UnityEditor, driver)."""
    require_mono()
    runtime = compile_assembly([UNITY_SHIM / "UnityEngine.cs", UNITY_SHIM / "MLAgents.cs"], out_dir / "UnityShim.dll")
    editor = compile_assembly([UNITY_SHIM / "UnityEditor.cs"], out_dir / "UnityShimEditor.dll", [runtime])
    driver = compile_assembly([UNITY_SHIM / "Driver.cs"], out_dir / "Driver.exe", [runtime, editor], target="exe")
    return UnityShim(out_dir, runtime, editor, driver)
