"""What makes the local bases and installs the system packages is held to the same linters as the images."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.deploy.test_containers import _tool

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_the_python310_test_base_is_hadolint_clean_and_labelled_as_a_test_base() -> None:
    dockerfile = REPO_ROOT / "containers" / "test-bases" / "python3.10" / "Dockerfile"
    result = subprocess.run([_tool("hadolint"), str(dockerfile)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "LOCAL TEST BASE ONLY" in dockerfile.read_text()


@pytest.mark.parametrize("script", ["scripts/local-bases.sh", "scripts/system-deps.sh", ".ci/run"])
def test_the_set_up_scripts_are_shellcheck_clean(script: str) -> None:
    result = subprocess.run([_tool("shellcheck"), str(REPO_ROOT / script)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_system_packages_include_what_the_docker_pipeline_test_needs() -> None:
    listed = subprocess.run(
        [str(REPO_ROOT / "scripts" / "system-deps.sh"), "--list"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert {"docker.io", "debootstrap"} <= set(listed)
