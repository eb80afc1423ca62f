"""The errors a model registry reports: bad names, missing versions, unusable inputs."""

from __future__ import annotations

from ..errors import MLOpsError


class RegistryError(MLOpsError):
    """A registration, look-up or promotion that cannot be done as asked."""


class VertexRegistryError(RegistryError):
    """Vertex AI is configured but the registration failed; the model stays in the local artifacts."""
