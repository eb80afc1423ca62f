"""The pipeline's seed fan-out: one item per training seed of an asset, for the seeds loop to iterate over.

Each item carries everything a task inside the loop needs besides the artifacts: its place among
the asset's seeds (``index``: which checkpoint folder it resumes from), mlagents' seed
(``seed``) and the asset's id. The asset id rides in the item because ``kfp.local`` (2.17)
replaces every task-output parameter that enters a nested ``ParallelFor`` with the loop's item,
so the loop's tasks must not take the codegen task's ``asset_id`` output directly.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..behavior import BehaviorSpec
from ..build.records import load_existing
from ..documents import read_document
from ..layouts import CodegenLayout
from .settings import config_seed, training_seeds


def seed_plan(generated: str | os.PathLike[str], count: int) -> list[dict[str, Any]]:
    """``count`` items ``{"index", "seed", "asset_id"}`` for the codegen output ``generated``, seeds
    counting up from the seed of the trainer config the asset trains with (:func:`.settings.training_seeds`):
    codegen's, or, for an existing asset, the team's own in its Unity project."""
    layout = CodegenLayout(Path(generated))
    existing = load_existing(layout.root)
    if existing is None:
        asset_id, trainer_config = BehaviorSpec.load(layout.behavior_path).asset_id, layout.trainer_config_path
    else:
        asset_id, trainer_config = read_document(layout.existing_path)["asset_id"], existing.trainer_config
    seeds = training_seeds(config_seed(read_document(trainer_config)), count)
    return [{"index": index, "seed": seed, "asset_id": asset_id} for index, seed in enumerate(seeds)]
