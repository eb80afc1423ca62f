"""The register stage: the file registry (default) and the Vertex AI Model Registry, with a quality gate.

``register_model`` is what a pipeline calls; every registry is a ``ModelRegistry`` (register
behind the gate, fetch the champion), and ``FileRegistry`` also lists, looks up and promotes
versions. Nothing here imports google-cloud until Vertex AI is actually used.
"""

from ..errors import RegistryError, VertexRegistryError
from .candidate import Candidate, collect_candidate, job_id_from_run_name
from .destination import Destination, choose_destination
from .file_registry import FileRegistry, ModelVersion, default_root
from .model_registry import ModelRegistry
from .names import pipeline_job_id, registered_model_name
from .quality_gate import CHAMPION_ALIAS, GateDecision, decide
from .registration import Registration, executor_artifacts
from .stage import register_model
from .vertex_registry import VertexConfig, VertexRegistry

__all__ = [
    "CHAMPION_ALIAS",
    "Candidate",
    "Destination",
    "FileRegistry",
    "GateDecision",
    "ModelRegistry",
    "ModelVersion",
    "Registration",
    "RegistryError",
    "VertexConfig",
    "VertexRegistry",
    "VertexRegistryError",
    "choose_destination",
    "collect_candidate",
    "decide",
    "default_root",
    "executor_artifacts",
    "job_id_from_run_name",
    "pipeline_job_id",
    "register_model",
    "registered_model_name",
]
