"""A local HTTP server that answers Google APIs' REST calls, on 127.0.0.1 only.

The real client libraries talk to it through their ``api_endpoint`` (``http://127.0.0.1:PORT``
selects their REST transport); each request is routed to an RPC by the client's own HTTP rules
(:mod:`.routes`) and answered by an in-memory service object. ``/token`` answers OAuth token
requests, for service-account credentials whose ``token_uri`` points here. Every call is kept
in :attr:`FakeGoogleApis.calls` for tests to read.
"""

from __future__ import annotations

import json
import re
import threading
import traceback
from collections.abc import Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from google.api_core import exceptions as api_exceptions
from google.protobuf import json_format
from google.protobuf.message import Message

from .routes import Route


def snake_case(rpc: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", rpc).lower()


def to_json(message: Any) -> str:
    if isinstance(message, Message):
        return json_format.MessageToJson(message)
    return type(message).to_json(message)


class FakeGoogleApis:
    """Serves ``(routes, service)`` pairs: an RPC is answered by the service's ``snake_case`` method."""

    def __init__(self, services: Iterable[tuple[list[Route], Any]]) -> None:
        self._services = list(services)
        self.calls: list[tuple[str, Any]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-google-apis", daemon=True)

    @property
    def endpoint(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeGoogleApis:  # noqa: PYI034 (Python 3.10 has no typing.Self)
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def rpcs(self) -> list[str]:
        """The RPC names called so far, in order."""
        with self._lock:
            return [rpc for rpc, _ in self.calls]

    def requests(self, rpc: str) -> list[Any]:
        with self._lock:
            return [request for name, request in self.calls if name == rpc]

    def _dispatch(self, method: str, path: str, query: str, body: bytes) -> tuple[int, str]:
        if path == "/token" and method == "POST":
            return HTTPStatus.OK, json.dumps({"access_token": "fake-token", "token_type": "Bearer", "expires_in": 3600})
        for routes, service in self._services:
            for route in routes:
                match = route.pattern.match(path) if route.method == method else None
                if match is None:
                    continue
                handler = getattr(service, snake_case(route.rpc), None)
                if handler is None:
                    return HTTPStatus.NOT_IMPLEMENTED, _error(
                        HTTPStatus.NOT_IMPLEMENTED, f"the fake does not answer {route.rpc}"
                    )
                request = route.request(match, query, body)
                with self._lock:
                    self.calls.append((route.rpc, request))
                try:
                    return HTTPStatus.OK, to_json(handler(request))
                except api_exceptions.GoogleAPICallError as exc:
                    status = exc.grpc_status_code.name if exc.grpc_status_code else HTTPStatus(exc.code).name
                    return exc.code, _error(exc.code, exc.message, status)
                except Exception as exc:  # noqa: BLE001 (a fault of the fake itself: answered, so the client reports it)
                    detail = "".join(traceback.format_exception(exc))
                    return HTTPStatus.INTERNAL_SERVER_ERROR, _error(
                        HTTPStatus.INTERNAL_SERVER_ERROR, f"the fake failed on {route.rpc}: {detail}"
                    )
        return HTTPStatus.NOT_FOUND, _error(HTTPStatus.NOT_FOUND, f"no route for {method} {path}")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                url = urlsplit(self.path)
                status, text = fake._dispatch(self.command, unquote(url.path), url.query, body)
                data = text.encode()
                self.send_response(int(status))
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_DELETE = _answer

            def log_message(self, *_: object) -> None:
                pass

        return Handler


def _error(code: int, message: str, status: str | None = None) -> str:
    """Google's JSON error: the HTTP code, and the canonical status (``ALREADY_EXISTS``) clients map to exceptions."""
    return json.dumps({"error": {"code": int(code), "message": message, "status": status or HTTPStatus(code).name}})
