"""Google APIs answered by a local server on 127.0.0.1, for the real client libraries to talk to.

Vertex AI (:class:`.vertex.FakeVertexAI`) and Secret Manager (:class:`.secret_manager.FakeSecretManager`)
are in-memory services behind :class:`.server.FakeGoogleApis`, which routes each HTTP request by
the client library's own REST rules. Tests point the clients at it with ``api_endpoint``.
"""
