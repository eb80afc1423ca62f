"""``registration.json``: the one answer of the register step, whichever registry took the model."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..documents import write_document
from ..layouts import RegisterLayout
from ..stage_outputs import REGISTRATION, VERTEX_MODEL


@dataclass(frozen=True)
class Registration:
    """Where a model version was registered and what the quality gate decided.

    ``uri`` is ``file://.../versions/N`` for the file registry and the versioned resource name
    ``projects/P/locations/R/models/ID@VERSION`` for Vertex AI; ``reference`` is ``NAME@VERSION``
    (the file registry) or that same resource name (Vertex AI). ``vertex`` (Vertex AI only) names
    the imported model evaluation, the Experiments run and the region.
    """

    backend: str
    model_name: str
    version: str
    uri: str
    reference: str
    aliases: tuple[str, ...]
    quality_gate: dict[str, Any]
    artifact_uri: str
    vertex: dict[str, str] | None = None

    @property
    def promoted(self) -> bool:
        """True when this version became champion (the gate passed and no approval is awaited)."""
        return bool(self.quality_gate["promoted"]) and not self.quality_gate.get("awaiting_approval", False)

    def to_dict(self) -> dict[str, Any]:
        extra = {"vertex": self.vertex} if self.vertex else {}
        return {
            "backend": self.backend,
            "model_name": self.model_name,
            "version": self.version,
            "uri": self.uri,
            "reference": self.reference,
            "aliases": list(self.aliases),
            "artifact_uri": self.artifact_uri,
            "quality_gate": self.quality_gate,
            **extra,
        }

    def write(self, out_dir: str | os.PathLike[str]) -> Path:
        path = RegisterLayout(Path(out_dir)).registration_path
        write_document(path, self.to_dict())
        return path


def gate_numbers(gate: dict[str, Any]) -> dict[str, Any]:
    """The gate's decision as flat numbers for a console: its method and, when paired, the intervals."""
    numbers: dict[str, Any] = {"gate_method": gate.get("method", "unpaired")}
    paired = gate.get("paired")
    if paired:
        mean = paired["mean_difference"]
        numbers |= {
            "gate_episodes": paired["episodes"],
            "gate_confidence": paired["confidence"],
            "gate_mean_difference": mean["estimate"],
            "gate_interval_low": mean["low"],
            "gate_interval_high": mean["high"],
            "gate_iqm_difference": paired["iqm_difference"]["estimate"],
            "gate_probability_of_improvement": paired["probability_of_improvement"]["estimate"],
        }
    return numbers


def executor_artifacts(registration: Registration, out: str | os.PathLike[str] | None) -> dict[str, Any]:
    """The register task's output artifacts for KFP: ``registration`` (the ``--out`` folder) and, on
    Vertex AI, ``vertex_model``, the ``google.VertexModel`` that names the new version (its URI and
    ``resourceName`` as google-cloud-pipeline-components writes them, so GCPC's deploy and batch
    prediction components and the console's lineage take it)."""
    from ..kfp_executor_output import OutputArtifact

    artifacts: dict[str, Any] = {}
    if out is not None:
        summary = {
            "uri": registration.uri,
            "promoted": registration.promoted,
            **gate_numbers(registration.quality_gate),
        }
        artifacts[REGISTRATION] = OutputArtifact(out, summary)
    if registration.backend == "vertex" and registration.vertex:
        region = registration.vertex["region"]
        artifacts[VERTEX_MODEL] = OutputArtifact(
            uri=f"https://{region}-aiplatform.googleapis.com/v1/{registration.uri}",
            metadata={"resourceName": registration.uri},
        )
    return artifacts
