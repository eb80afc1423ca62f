"""Vertex AI answered by a local HTTP server on 127.0.0.1, for the real aiplatform client to talk to.

Only the service is fake (:class:`google_api_fake.vertex.FakeVertexAI`, in memory, reached
through ``VERTEX_AI_API_ENDPOINT``, which the library hands to ``aiplatform.init`` as its
``api_endpoint``); aiplatform builds and sends every request itself over its REST transport.
"""

from __future__ import annotations

import pytest
from google.cloud.aiplatform import initializer
from google_api_fake.server import FakeGoogleApis
from google_api_fake.vertex import FakeVertexAI, vertex_routes

from mlops_unity_pipeline.google_endpoints import VERTEX_AI


@pytest.fixture
def vertex(monkeypatch):
    """A running fake Vertex AI, with ``VERTEX_AI_API_ENDPOINT`` pointing at it; yields (service, server).

    aiplatform's global configuration is reset afterwards, so no later test inherits the endpoint.
    """
    service = FakeVertexAI()
    with FakeGoogleApis([(vertex_routes(), service)]) as server:
        monkeypatch.setenv(VERTEX_AI, server.endpoint)
        try:
            yield service, server
        finally:
            initializer.global_config.__init__()
