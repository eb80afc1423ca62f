"""Google Cloud API endpoints other than Google's default, named in the environment.

A Private Service Connect endpoint, or a local server that answers the API, is given as
``VERTEX_AI_API_ENDPOINT`` / ``SECRET_MANAGER_API_ENDPOINT``: a bare ``host[:port]`` keeps the
client's gRPC transport, and an ``http://`` or ``https://`` URL selects its REST transport, which
is the only one that speaks plain HTTP. Unset, each client uses Google's own endpoint.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

VERTEX_AI = "VERTEX_AI_API_ENDPOINT"
SECRET_MANAGER = "SECRET_MANAGER_API_ENDPOINT"


@dataclass(frozen=True)
class Endpoint:
    """Where a client sends its calls, and over which transport (``grpc`` or ``rest``)."""

    api_endpoint: str
    transport: str

    @property
    def client_options(self) -> dict[str, str]:
        return {"api_endpoint": self.api_endpoint}


def from_environment(variable: str) -> Endpoint | None:
    """The endpoint named by ``variable``, or ``None`` when it is unset or empty."""
    value = os.environ.get(variable, "").strip()
    if not value:
        return None
    transport = "rest" if value.startswith(("http://", "https://")) else "grpc"
    return Endpoint(value, transport)
