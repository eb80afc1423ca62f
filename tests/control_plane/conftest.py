"""Shared fixtures: scratch copies of the example bundles and their schemas, and a runtime on one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mlops_unity_pipeline.control_plane import ControlPlaneRuntime

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_BUNDLE = REPO / "examples" / "control_plane" / "bundle.yaml"
EXAMPLE_SCHEMAS = REPO / "schemas" / "control_plane"
MINIMAL_EXAMPLE = REPO / "examples" / "control_plane" / "minimal"


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A directory laid out as the guide's sketch expects: bundle.yaml, schemas/, runtime/."""
    shutil.copy(EXAMPLE_BUNDLE, tmp_path / "bundle.yaml")
    shutil.copytree(EXAMPLE_SCHEMAS, tmp_path / "schemas")
    return tmp_path


@pytest.fixture
def runtime(workdir: Path) -> ControlPlaneRuntime:
    return ControlPlaneRuntime(
        bundle_path=workdir / "bundle.yaml",
        schemas_dir=workdir / "schemas",
        events_path=workdir / "runtime" / "events.jsonl",
    )


@pytest.fixture
def minimal_workdir(tmp_path: Path) -> Path:
    """The guide-shaped minimal bundle (examples/control_plane/minimal/) laid out as the guide's sketch expects."""
    shutil.copy(MINIMAL_EXAMPLE / "bundle.yaml", tmp_path / "bundle.yaml")
    shutil.copytree(MINIMAL_EXAMPLE / "schemas", tmp_path / "schemas")
    return tmp_path


@pytest.fixture
def minimal_runtime(minimal_workdir: Path) -> ControlPlaneRuntime:
    return ControlPlaneRuntime(
        bundle_path=minimal_workdir / "bundle.yaml",
        schemas_dir=minimal_workdir / "schemas",
        events_path=minimal_workdir / "runtime" / "events.jsonl",
    )
