"""What the codegen and build stages leave for the later ones to find: an existing asset's record and
the built player's name.

An existing asset (a team's own Unity project) gets no generated code: the codegen stage writes
``existing.json`` (the asset spec's ``existing`` block as given), which tells every later stage to
train, evaluate and register the team's own player and trainer config; the build stage names the
player it built in ``build_info.json``. Reading them needs none of the build machinery, so a stage
that only reads them does not load it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..documents import read_document, write_document
from ..errors import UnityBuildError
from ..kfp_executor_output import local_path_for_uri
from ..layouts import BuildLayout, CodegenLayout


@dataclass(frozen=True)
class ExistingBehavior:
    """An asset spec's ``existing`` block with its paths resolved (relative ones against the project).

    ``unity_project`` may be a ``gs://`` URI: a task reads it at Vertex AI's ``/gcs/`` mount.
    """

    unity_project: Path
    behavior_name: str
    trainer_config: Path
    player: Path
    build_command: str | None
    build_method: str | None

    @classmethod
    def from_spec(cls, existing: dict[str, Any]) -> ExistingBehavior:
        project = Path(local_path_for_uri(existing["unity_project"])).expanduser().resolve()
        return cls(
            project,
            existing["behavior_name"],
            project / Path(existing["trainer_config"]).expanduser(),
            project / Path(existing["player"]).expanduser(),
            existing.get("build_command"),
            existing.get("build_method"),
        )


def write_existing_record(asset_id: str, existing: dict[str, Any], out: str | Path) -> Path:
    """The codegen stage's output for an existing asset: ``out/existing.json``, and nothing generated."""
    path = CodegenLayout(Path(out)).existing_path
    write_document(path, {"asset_id": asset_id, "existing": dict(existing)})
    return path


def existing_record(generated: str | Path) -> dict[str, Any] | None:
    """The ``existing`` block a codegen output folder records, or ``None`` for a generated asset."""
    path = CodegenLayout(Path(generated)).existing_path
    return read_document(path)["existing"] if path.is_file() else None


def load_existing(generated: str | Path) -> ExistingBehavior | None:
    """The existing behaviour a codegen output folder stands for, or ``None`` for a generated asset."""
    record = existing_record(generated)
    return None if record is None else ExistingBehavior.from_spec(record)


def built_player(build_dir: str | Path) -> Path:
    """The executable a build stage's output folder holds, as its ``build_info.json`` names it."""
    info_path = BuildLayout(Path(build_dir)).info_path
    try:
        name = json.loads(info_path.read_text(encoding="utf-8"))["executable"]
    except (OSError, ValueError, KeyError, TypeError):
        raise UnityBuildError(
            f"{info_path}: no readable {BuildLayout.INFO} naming the player; run the build stage into this folder first"
        ) from None
    return Path(build_dir) / name
