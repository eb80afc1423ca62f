"""Compiled pipelines for the tests of the training pipeline and of deploy/: each target compiled once per session,
into a temporary folder. Each of those folders' conftest.py imports the fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_unity_pipeline.deploy import targets
from mlops_unity_pipeline.deploy.compiler import Target, compile_pipeline
from mlops_unity_pipeline.deploy.images import ImageSet
from pipelines import training

#: The registry and tag the compiled test pipelines use, so retagging is visible in them.
TEST_IMAGES = ImageSet(registry="europe-west4-docker.pkg.dev/test-project/unity-mlops", tag="test")


@pytest.fixture(scope="session")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> dict[Target, Path]:
    """Both targets' YAML, compiled as ``compile.py`` does."""
    out = tmp_path_factory.mktemp("compiled")
    return {
        target: compile_pipeline(
            training.define(training.PipelineOptions(target=target.value)),
            out / f"{target.value}.yaml",
            target=target,
            images=TEST_IMAGES,
            parameter_defaults=targets.compile_defaults(target.value, TEST_IMAGES),
        )
        for target in Target
    }


@pytest.fixture
def asset_spec_dict() -> dict:
    return {"asset_id": "reach-001", "name": "ReachAgent", "description": "Reach the target"}
