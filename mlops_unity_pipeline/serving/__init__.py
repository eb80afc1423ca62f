"""The serving image's server: an ONNX policy behind Vertex AI's prediction protocol."""

from .server import PolicyServer, ServingConfig, ServingConfigError, make_server, serve

__all__ = ["PolicyServer", "ServingConfig", "ServingConfigError", "make_server", "serve"]
