"""The register stage: one call that files a trained, evaluated policy in the configured registry.

The file registry is the default; when a :class:`VertexConfig` is given, Vertex AI is used
instead and nothing falls back to the file registry if it fails.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from .candidate import collect_candidate
from .destination import Destination
from .gate_report import write_gate_report
from .quality_gate import DEFAULT_GATE, GateSettings
from .registration import Registration
from .vertex_registry import VertexConfig

PathLike = str | os.PathLike[str]


def register_model(
    model: PathLike,
    generated: PathLike,
    training: PathLike,
    evaluation: PathLike,
    *,
    job_id: str,
    model_name: str,
    registry_dir: PathLike | None = None,
    vertex: VertexConfig | None = None,
    gate: GateSettings = DEFAULT_GATE,
    aliases: Sequence[str] = (),
    out: PathLike | None = None,
    auto_promote: bool = True,
) -> Registration:
    """Register ``model`` as a new version of ``model_name``; write ``registration.json`` and the gate's
    report (``quality_gate.html``, ``quality_gate.png``) to ``out`` if given.

    ``generated``, ``training`` and ``evaluation`` are the codegen, train and evaluate output
    folders. The quality gate (``gate``, see :mod:`.quality_gate`) decides whether the version
    becomes ``champion``; with ``auto_promote=False`` (file registry only)
    the decision is recorded and promotion is left to an approval.
    """
    candidate = collect_candidate(model, generated, training, evaluation, job_id, model_name)
    registry = Destination(vertex, None if registry_dir is None else Path(registry_dir)).registry()
    registration = registry.register(candidate, aliases=aliases, gate=gate, auto_promote=auto_promote)
    if out is not None:
        registration.write(out)
        write_gate_report(out, registration.quality_gate, candidate.metadata)
    return registration
