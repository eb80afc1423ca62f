"""Vertex AI's ModelService answered in memory, as python-aiplatform's own tests do it.

Only the service calls are fake (``ModelServiceClient.get_model`` and ``upload_model``, which
returns a long-running operation); everything else the registry does, Cloud Storage included,
runs for real in the tests that use this.
"""

from __future__ import annotations

from unittest import mock

import pytest
from google.api_core import exceptions as api_exceptions
from google.api_core import operation as ga_operation
from google.cloud.aiplatform.compat.services import model_service_client
from google.cloud.aiplatform.compat.types import model as gca_model
from google.cloud.aiplatform.compat.types import model_service as gca_model_service


class FakeModelService:
    """The ModelService's answers kept in memory: versions numbered from 1, each alias on one version."""

    def __init__(self) -> None:
        self.versions: dict[str, list[gca_model.Model]] = {}

    def get_model(self, name: str, **_: object) -> gca_model.Model:
        resource, _, ref = name.partition("@")
        versions = self.versions.get(resource)
        if not versions:
            raise api_exceptions.NotFound(f"Model {resource} not found")
        ref = ref or "default"
        for version in versions:
            if version.version_id == ref or ref in version.version_aliases:
                return version
        raise api_exceptions.NotFound(f"Model {name} not found")

    def upload_model(self, request: gca_model_service.UploadModelRequest, **_: object) -> ga_operation.Operation:
        resource = request.parent_model or f"{request.parent}/models/{request.model_id}"
        versions = self.versions.setdefault(resource, [])
        aliases = list(request.model.version_aliases) or []
        if not versions and "default" not in aliases:
            aliases.append("default")  # the first version is always the default
        for version in versions:
            kept = [alias for alias in version.version_aliases if alias not in aliases]
            del version.version_aliases[:]
            version.version_aliases.extend(kept)
        model = gca_model.Model(request.model)
        model.name, model.version_id = resource, str(len(versions) + 1)
        del model.version_aliases[:]
        model.version_aliases.extend(aliases)
        versions.append(model)
        lro = mock.Mock(ga_operation.Operation)
        response = gca_model_service.UploadModelResponse(model=resource, model_version_id=model.version_id)
        lro.result.return_value = response
        return lro


@pytest.fixture
def vertex():
    """Patches the two ModelService calls with a :class:`FakeModelService`; yields (service, upload mock)."""
    service = FakeModelService()
    with mock.patch.object(model_service_client.ModelServiceClient, "get_model", side_effect=service.get_model), \
            mock.patch.object(model_service_client.ModelServiceClient, "upload_model",
                              side_effect=service.upload_model) as upload:
        yield service, upload
