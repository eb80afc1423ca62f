"""The exit handler's reporter: the summary it logs and POSTs, against a webhook on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from mlops_unity_pipeline.deploy import notify

FAILED = {
    "state": "FAILED",
    "pipelineJobResourceName": "projects/p/locations/r/pipelineJobs/unity-mlops-training-1",
    "pipelineTaskName": "unity-mlops-training",
    "error": {"code": 9, "message": "train: exit status 2"},
}


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[dict], list[int]]]:
    """A one-thread HTTP server on loopback that records bodies and answers with the next queued status."""
    received: list[dict] = []
    statuses: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(statuses.pop(0) if statuses else 204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hook", received, statuses
    finally:
        server.shutdown()
        server.server_close()


def test_a_failed_run_is_posted_with_its_error(webhook, capsys) -> None:
    url, received, _ = webhook
    assert notify.main(["--status", json.dumps(FAILED), "--webhook", url]) == 0
    expected = {
        "pipeline_job": FAILED["pipelineJobResourceName"],
        "task": "unity-mlops-training",
        "state": "FAILED",
        "error": "train: exit status 2",
        "error_code": 9,
    }
    assert received == [expected]
    assert json.loads(capsys.readouterr().out) == expected


def test_without_a_webhook_the_status_is_only_logged(capsys) -> None:
    assert notify.main(["--status", json.dumps({"state": "SUCCEEDED"}), "--webhook", ""]) == 0
    assert json.loads(capsys.readouterr().out)["state"] == "SUCCEEDED"


def test_a_refusing_webhook_fails_the_exit_handler(webhook, capsys) -> None:
    url, _, statuses = webhook
    statuses.append(500)
    assert notify.main(["--status", json.dumps(FAILED), "--webhook", url]) == 1
    assert "did not accept" in capsys.readouterr().err


def test_a_status_that_is_not_json_is_an_error(capsys) -> None:
    assert notify.main(["--status", "{not json"]) == 2
    assert "not JSON" in capsys.readouterr().err
