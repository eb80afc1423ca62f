"""The server against malformed and hostile HTTP: every answer is a 4xx with JSON, or valid JSON."""

from __future__ import annotations

import json
import socket

import pytest
from test_serving_http import http, model_folder, running  # noqa: F401  (running is a fixture)

from mlops_unity_pipeline.serving.protocol import MAX_BODY_BYTES


def raw(url: str, request: bytes, timeout: float = 10.0) -> tuple[int, bytes]:
    """Send bytes as they are; return the status and body of the answer (the server must answer in time)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = [line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")]
            if length and len(body) >= int(length[0].split(b":")[1]):
                break
    status = int(data.split(b" ", 2)[1])
    return status, data.partition(b"\r\n\r\n")[2]


def post(length: bytes, body: bytes = b"", extra: bytes = b"") -> bytes:
    return (
        b"POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"
        + (b"Content-Length: " + length + b"\r\n" if length else b"")
        + extra
        + b"\r\n"
        + body
    )


@pytest.fixture
def url(tmp_path, codegen_dir, onnx_policy, running):  # noqa: F811
    return running(model_folder(codegen_dir("Reacher"), tmp_path / "model", onnx_policy))


@pytest.mark.parametrize("length", [b"abc", b"-1", b"1e3", b"12, 13"])
def test_a_malformed_content_length_is_a_400_and_frees_the_connection(url, length):
    status, _ = raw(url, post(length, b'{"instances": []}'))
    assert status == 400
    assert http("GET", f"{url}/health")[0] == 200


def test_a_body_over_the_limit_is_refused_before_it_is_read(url):
    status, body = raw(url, post(str(10**9).encode(), b"{"))
    assert status == 413 and "exceeds" in json.loads(body)["error"]


def test_an_endless_chunked_body_is_cut_off_at_the_limit(url):
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(post(b"", extra=b"Transfer-Encoding: chunked\r\n"))
        chunk = b"[" * 65536
        status = None
        for _ in range(MAX_BODY_BYTES // len(chunk) + 10):
            try:
                sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            except OSError:  # the server answered and closed
                break
        answer = sock.recv(65536)
        status = int(answer.split(b" ", 2)[1])
    assert status == 413


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
        (json.dumps({"instances": [[1e308] * 12]}).encode(), "beyond the policy's float32 range"),
        (json.dumps({"instances": [[-3.5e38] * 12]}).encode(), "beyond the policy's float32 range"),
        (b'{"instances": [[NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]}', "is not a finite number"),
        (b'{"instances": [[Infinity, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]}', "is not a finite number"),
    ],
)
def test_hostile_bodies_are_a_400_with_a_json_reason(url, body, message):
    status, answer = raw(url, post(str(len(body)).encode(), body))
    assert status == 400 and message in json.loads(answer)["error"]


def test_large_but_float32_observations_get_strict_json_back(url):
    status, body = http("POST", f"{url}/predict", {"instances": [[3.0e38] * 12, [1e-30] * 12]})
    text = json.dumps(body)
    assert status in (200, 400) and "NaN" not in text and "Infinity" not in text
    json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in the answer"))
