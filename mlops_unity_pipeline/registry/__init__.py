"""The register stage: the file registry (default) and the Vertex AI Model Registry, with a quality gate.

``register_model`` is what a pipeline calls; ``FileRegistry`` lists, looks up and promotes
versions. Nothing here imports google-cloud until Vertex AI is actually used.
"""

from .candidate import Candidate, collect_candidate
from .errors import RegistryError, VertexRegistryError
from .file_registry import FileRegistry, ModelVersion, default_root
from .quality_gate import CHAMPION_ALIAS, GateDecision, decide
from .registration import REGISTRATION_FILE, Registration
from .stage import register_model
from .vertex_registry import VertexConfig, VertexRegistry

__all__ = [
    "CHAMPION_ALIAS",
    "Candidate",
    "FileRegistry",
    "GateDecision",
    "ModelVersion",
    "REGISTRATION_FILE",
    "Registration",
    "RegistryError",
    "VertexConfig",
    "VertexRegistry",
    "VertexRegistryError",
    "collect_candidate",
    "decide",
    "default_root",
    "register_model",
]
