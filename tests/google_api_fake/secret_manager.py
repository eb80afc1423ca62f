"""Secret Manager answered in memory: secret versions by name, ``latest`` the newest."""

from __future__ import annotations

from google.api_core import exceptions as api_exceptions
from google.cloud.secretmanager_v1.services.secret_manager_service.transports.rest_base import (
    _BaseSecretManagerServiceRestTransport,
)
from google.cloud.secretmanager_v1.types import resources, service

from .routes import Route, routes_of


def secret_manager_routes() -> list[Route]:
    return routes_of(_BaseSecretManagerServiceRestTransport, [service])


class FakeSecretManager:
    """Secrets as ``{"projects/P/secrets/S": [payload of version 1, payload of version 2, ...]}``."""

    def __init__(self, secrets: dict[str, list[bytes]]) -> None:
        self.secrets = secrets

    def access_secret_version(self, request: service.AccessSecretVersionRequest) -> service.AccessSecretVersionResponse:
        secret, _, version = request.name.partition("/versions/")
        payloads = self.secrets.get(secret, [])
        number = len(payloads) if version == "latest" else int(version) if version.isdigit() else 0
        if not 1 <= number <= len(payloads):
            raise api_exceptions.NotFound(f"Secret Version [{request.name}] not found.")
        return service.AccessSecretVersionResponse(
            name=f"{secret}/versions/{number}", payload=resources.SecretPayload(data=payloads[number - 1])
        )
