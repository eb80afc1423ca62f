"""The current champion's policy, fetched from the configured registry for the evaluate stage to run.

The evaluate stage runs the champion on the candidate's own seeded episodes; this module finds
it in the registry the register stage will use (the same settings choose it: see
:mod:`.destination`) and returns its ONNX file, or ``None`` when the model has no champion yet.
"""

from __future__ import annotations

from pathlib import Path

from ..evaluate.report import ChampionModel
from .destination import Destination
from .file_registry import FileRegistry
from .vertex_registry import VertexRegistry


def fetch_champion(destination: Destination, model_name: str, into: Path) -> ChampionModel | None:
    """The champion of ``model_name``: a file registry's own file, or Vertex AI's downloaded into ``into``."""
    if destination.vertex is not None:
        return VertexRegistry(destination.vertex).champion_model(model_name, into)
    version = FileRegistry(destination.registry_dir).champion(model_name)
    return None if version is None else ChampionModel(str(version.version), version.model_path)
