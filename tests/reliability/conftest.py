"""Helpers of the reliability tests: judging what the command line (``tests.conftest.run_cli``) said and left behind."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import run_cli

REPO_ROOT = Path(__file__).resolve().parents[2]
SIMPLE_AGENT = REPO_ROOT / "examples" / "simple_agent"


def assert_clear_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    """A non-zero exit with one ``error:`` message holding every fragment, and no traceback."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("error: ") or "\nerror: " in result.stderr, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, (fragment, result.stderr)


def processes_mentioning(text: str) -> list[str]:
    """Command lines of the live processes whose command line contains ``text`` (zombies excluded)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if text in cmdline and state != "Z":
            found.append(f"{entry.name}: {cmdline}")
    return found


@pytest.fixture(scope="session")
def simple_generated(tmp_path_factory) -> Path:
    """The seed's SimpleAgent through the codegen command."""
    out = tmp_path_factory.mktemp("generated")
    result = run_cli(
        "codegen",
        "--asset-spec",
        SIMPLE_AGENT / "asset_spec.yaml",
        "--rl-config",
        SIMPLE_AGENT / "rl_config.yaml",
        "--out",
        out,
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(autouse=True)
def private_caches(tmp_path, monkeypatch) -> None:
    """Each test gets its own build cache and registry default, and no Unity configuration from the machine."""
    monkeypatch.setenv("MLOPS_BUILD_CACHE", str(tmp_path / "build-cache"))
    monkeypatch.setenv("MLOPS_REGISTRY_DIR", str(tmp_path / "default-registry"))
    for name in ("UNITY_BUILD_COMMAND", "UNITY_EDITOR_PATH", "UNITY_PROJECT_PATH"):
        monkeypatch.delenv(name, raising=False)


def wait_until(predicate, timeout: float = 60.0, step: float = 0.2) -> bool:
    """Poll ``predicate`` until it holds or ``timeout`` seconds pass; its last answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()
