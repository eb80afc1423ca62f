"""The serving image's HTTP server: Vertex AI's custom-container contract for an ONNX policy.

Vertex AI starts the container with ``AIP_HTTP_PORT``, ``AIP_HEALTH_ROUTE``,
``AIP_PREDICT_ROUTE`` and ``AIP_STORAGE_URI`` set; the server listens on that port, answers
``GET <health>`` with 200 once the policy is loaded, and ``POST <predict>`` with the actions for
each instance (see :mod:`.protocol`). The policy is loaded before the socket opens, so a
health check can never succeed for a server that cannot predict. The standard library's
threading server is enough: one onnxruntime session answers concurrent requests.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ..errors import MLOpsError
from ..evaluate.policy import OnnxPolicy
from .model_source import load_policy, local_model_dir
from .protocol import MAX_BODY_BYTES, BadRequest, parse_instances, predictions

DEFAULT_PORT = 8080
DEFAULT_HEALTH_ROUTE = "/health"
DEFAULT_PREDICT_ROUTE = "/predict"


class ServingConfigError(MLOpsError):
    """The serving environment is incomplete (no model location) or malformed (a bad port)."""


@dataclass(frozen=True)
class ServingConfig:
    """Where the model is and where to answer; :meth:`from_env` reads Vertex AI's ``AIP_*`` variables."""

    storage_uri: str
    port: int = DEFAULT_PORT
    host: str = "0.0.0.0"
    health_route: str = DEFAULT_HEALTH_ROUTE
    predict_route: str = DEFAULT_PREDICT_ROUTE

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ, **overrides: Any) -> ServingConfig:
        """Read ``AIP_STORAGE_URI`` (required unless overridden), ``AIP_HTTP_PORT`` and the two routes."""
        values: dict[str, Any] = {
            "storage_uri": environ.get("AIP_STORAGE_URI"),
            "port": environ.get("AIP_HTTP_PORT", DEFAULT_PORT),
            "health_route": environ.get("AIP_HEALTH_ROUTE", DEFAULT_HEALTH_ROUTE),
            "predict_route": environ.get("AIP_PREDICT_ROUTE", DEFAULT_PREDICT_ROUTE),
        }
        values.update({key: value for key, value in overrides.items() if value is not None})
        if not values["storage_uri"]:
            raise ServingConfigError("no model to serve: set AIP_STORAGE_URI (gs://..., file://... or a folder)")
        try:
            port = int(values["port"])
        except ValueError:
            port = -1
        if not 0 <= port <= 65535:
            raise ServingConfigError(f"AIP_HTTP_PORT {values['port']!r} is not a port number (0-65535)")
        for key in ("health_route", "predict_route"):
            if not str(values[key]).startswith("/"):
                raise ServingConfigError(f"{key} {values[key]!r} must start with '/'")
        return cls(**{**values, "port": port})


def make_server(config: ServingConfig) -> ThreadingHTTPServer:
    """Load the policy, then bind the server (port 0 picks a free port; see ``server_address``)."""
    policy = load_policy(local_model_dir(config.storage_uri))
    handler = type("PolicyHandler", (_PolicyHandler,), {"policy": policy, "config": config})
    return ThreadingHTTPServer((config.host, config.port), handler)


class _PolicyHandler(BaseHTTPRequestHandler):
    policy: OnnxPolicy
    config: ServingConfig
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (the name http.server dispatches to)
        if self.path == self.config.health_route:
            self._reply(200, {"status": "ready", "observation_size": self.policy.observation_size})
        else:
            self._reply(404, {"error": f"no route {self.path}; GET {self.config.health_route}"})

    def do_POST(self) -> None:  # noqa: N802
        if self.path != self.config.predict_route:
            self._reply(404, {"error": f"no route {self.path}; POST {self.config.predict_route}"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self._reply(413, {"error": f"body of {length} bytes exceeds {MAX_BODY_BYTES}"})
            return
        try:
            observations, masks = parse_instances(self.rfile.read(length), self.policy.observation_size,
                                                  self.policy.mask_size)
        except BadRequest as exc:
            self._reply(400, {"error": str(exc)})
            return
        self._reply(200, predictions(self.policy.act(observations, masks)))

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        data = (json.dumps(body, separators=(",", ":")) + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def serve(config: ServingConfig, announce: Callable[[str], None] = print) -> None:
    """Serve until interrupted."""
    server = make_server(config)
    host, port = server.server_address[:2]
    announce(f"serving {Path(config.storage_uri).name or config.storage_uri} on http://{host}:{port}"
             f" (health {config.health_route}, predict {config.predict_route})")
    try:
        server.serve_forever()
    finally:
        server.server_close()
