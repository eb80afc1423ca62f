"""Fixtures for the training stage: a codegen output and a stand-in build for a small reach task."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_unity_pipeline import RLTrainingConfig, UnityAssetSpec
from mlops_unity_pipeline.build import build
from mlops_unity_pipeline.codegen import generate


def make_build(root: Path, **rl_fields) -> tuple[Path, Path]:
    """Codegen + stand-in build of the seed's SimpleAgent with a small training budget."""
    asset = UnityAssetSpec(
        asset_id="test-001",
        name="SimpleAgent",
        description="Reach target position while avoiding obstacles",
        observation_space={"raycast": 8, "velocity": 2},
    )
    config = RLTrainingConfig(
        **{"max_steps": 3000, "num_envs": 1, "summary_freq": 500, "checkpoint_interval": 1000, **rl_fields}
    )
    generate(asset, config, root / "generated")
    build(root / "generated", root / "build", backend="standin", log=lambda _: None)
    return root / "generated", root / "build"


@pytest.fixture(scope="module")
def small_build(tmp_path_factory, trainer_env) -> tuple[Path, Path]:
    return make_build(tmp_path_factory.mktemp("small"))
