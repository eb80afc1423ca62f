"""The champion task's output folder: the registry's champion policy as a file, or a record that there is none.

Layout::

    champion.json   {"version": "3"} (or {"version": null} when the model has no champion yet)
    model.onnx      the champion's policy (only when there is one)

In a pipeline the champion is fetched once, before training, by a task that can reach the registry
(Vertex AI's client lives in the pipeline image, not in the trainer's); the train task checks it
against the player and the evaluate task runs it on the candidate's episodes, both from this folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..documents import read_document, write_document
from ..evaluation_report import ChampionModel
from ..layouts import ChampionLayout


def save_champion(champion: ChampionModel | None, out: str | Path) -> Path:
    """Write ``champion`` (``None``: there is none) into ``out``; returns the folder."""
    layout = ChampionLayout(Path(out))
    layout.root.mkdir(parents=True, exist_ok=True)
    if champion is not None and Path(champion.path).resolve() != layout.model_path.resolve():
        shutil.copyfile(champion.path, layout.model_path)
    write_document(layout.record_path, {"version": None if champion is None else str(champion.version)})
    return layout.root


def load_champion(folder: str | Path) -> ChampionModel | None:
    """The champion a folder written by :func:`save_champion` holds, or ``None``."""
    layout = ChampionLayout(Path(folder))
    version = read_document(layout.record_path).get("version")
    return None if version is None else ChampionModel(str(version), layout.model_path)
