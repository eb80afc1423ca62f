"""``registration.json``: the one answer of the register step, whichever registry took the model."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..documents import write_document

REGISTRATION_FILE = "registration.json"


@dataclass(frozen=True)
class Registration:
    """Where a model version was registered and what the quality gate decided.

    ``uri`` is ``file://.../versions/N`` for the file registry and the versioned resource name
    ``projects/P/locations/R/models/ID@VERSION`` for Vertex AI; ``reference`` is ``NAME@VERSION``
    (the file registry) or that same resource name (Vertex AI).
    """

    backend: str
    model_name: str
    version: str
    uri: str
    reference: str
    aliases: tuple[str, ...]
    quality_gate: dict[str, Any]
    artifact_uri: str

    @property
    def promoted(self) -> bool:
        """True when this version became champion (the gate passed and no approval is awaited)."""
        return bool(self.quality_gate["promoted"]) and not self.quality_gate.get("awaiting_approval", False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "model_name": self.model_name,
            "version": self.version,
            "uri": self.uri,
            "reference": self.reference,
            "aliases": list(self.aliases),
            "artifact_uri": self.artifact_uri,
            "quality_gate": self.quality_gate,
        }

    def write(self, out_dir: str | os.PathLike[str]) -> Path:
        path = Path(out_dir) / REGISTRATION_FILE
        write_document(path, self.to_dict())
        return path
