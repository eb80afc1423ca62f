"""What makes the local bases is held to the same linters as the images and the kind scripts."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.pipeline.test_containers import _tool

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_the_python310_test_base_is_hadolint_clean_and_labelled_as_a_test_base() -> None:
    dockerfile = REPO_ROOT / "containers" / "test-bases" / "python3.10" / "Dockerfile"
    result = subprocess.run([_tool("hadolint"), str(dockerfile)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "LOCAL TEST BASE ONLY" in dockerfile.read_text()


def test_the_local_bases_script_is_shellcheck_clean() -> None:
    script = REPO_ROOT / "scripts" / "local-bases.sh"
    result = subprocess.run([_tool("shellcheck"), str(script)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
