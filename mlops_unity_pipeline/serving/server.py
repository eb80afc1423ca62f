"""The serving image's HTTP server: Vertex AI's custom-container contract for an ONNX policy.

Vertex AI starts the container with ``AIP_HTTP_PORT``, ``AIP_HEALTH_ROUTE``,
``AIP_PREDICT_ROUTE`` and ``AIP_STORAGE_URI`` set; the server listens on that port, answers
``GET <health>`` with 200 once the policy is loaded, and ``POST <predict>`` with the actions for
each instance (see :mod:`.protocol`). The policy is loaded before the socket opens, so a
health check can never succeed for a server that cannot predict. HTTP is uvicorn's (h11
parses and checks every request, so a malformed ``Content-Length`` is a 400 and a body is read
as a stream, never past :data:`~.protocol.MAX_BODY_BYTES`); one onnxruntime session answers
concurrent requests.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..errors import ServingConfigError
from ..onnx_policy import OnnxPolicy
from .model_source import load_policy, local_model_dir
from .protocol import MAX_BODY_BYTES, BadRequest, parse_instances, predictions

DEFAULT_PORT = 8080
DEFAULT_HEALTH_ROUTE = "/health"
DEFAULT_PREDICT_ROUTE = "/predict"


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


class PolicyServer:
    """The policy behind Vertex AI's routes, served by uvicorn (HTTP parsing is h11's, not ours).

    :meth:`run` serves in the foreground until interrupted; :meth:`start` serves from a
    background thread and returns once the socket listens (port 0 picks a free port, see
    :attr:`address`); :meth:`stop` ends it.
    """

    def __init__(self, config: ServingConfig, policy: OnnxPolicy) -> None:
        self.config = config
        app = Starlette(
            routes=[
                Route(config.health_route, _health(policy), methods=["GET"]),
                Route(config.predict_route, _predict(policy), methods=["POST"]),
            ],
            exception_handlers={404: _not_found(config), 405: _not_found(config)},
        )
        self._server = uvicorn.Server(
            uvicorn.Config(
                app,
                host=config.host,
                port=config.port,
                log_level="warning",
                access_log=False,
                timeout_keep_alive=5,
                lifespan="off",
            )
        )
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> tuple[str, int]:
        """The bound host and port (after :meth:`start`, or while :meth:`run` serves)."""
        return self._server.servers[0].sockets[0].getsockname()[:2]

    def run(self) -> None:
        self._server.run()

    def start(self, timeout_s: float = 30.0) -> tuple[str, int]:
        self._thread = threading.Thread(target=self._server.run, name="policy-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout_s
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise ServingConfigError(f"the server did not start on {self.config.host}:{self.config.port}")
            time.sleep(0.01)
        return self.address

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)


def make_server(config: ServingConfig) -> PolicyServer:
    """Load the policy, then make the server; a policy that cannot predict never gets a socket."""
    return PolicyServer(config, load_policy(local_model_dir(config.storage_uri)))


def _health(policy: OnnxPolicy):
    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ready", "observation_size": policy.observation_size})

    return health


def _predict(policy: OnnxPolicy):
    async def predict(request: Request) -> JSONResponse:
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            return _error(413, f"body of {declared} bytes exceeds {MAX_BODY_BYTES}")
        body = bytearray()
        async for chunk in request.stream():  # streamed, so an endless body is cut off at the limit
            body += chunk
            if len(body) > MAX_BODY_BYTES:
                return _error(413, f"body exceeds {MAX_BODY_BYTES} bytes")
        try:
            observations, masks = parse_instances(bytes(body), policy.observation_size, policy.mask_size)
            return JSONResponse(predictions(policy.act(observations, masks)))
        except BadRequest as exc:
            return _error(400, str(exc))

    return predict


def _not_found(config: ServingConfig):
    async def not_found(request: Request, exc: Exception) -> JSONResponse:
        return _error(
            404, f"no route {request.method} {request.url.path}; GET {config.health_route}, POST {config.predict_route}"
        )

    return not_found


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def serve(config: ServingConfig, announce: Callable[[str], None] = print) -> None:
    """Serve until interrupted (SIGINT or SIGTERM)."""
    server = make_server(config)
    announce(
        f"serving {Path(config.storage_uri).name or config.storage_uri} on http://{config.host}:{config.port}"
        f" (health {config.health_route}, predict {config.predict_route})"
    )
    server.run()
