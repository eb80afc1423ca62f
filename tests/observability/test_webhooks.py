"""Webhook events reach a real local HTTP server, signed, retried, and never block the sender."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mlops_unity_pipeline.observability.webhooks import (
    EVENT_HEADER,
    SIGNATURE_HEADER,
    WebhookNotifier,
    verify_signature,
)

SECRET = "s3cret"


class Receiver:
    """A webhook receiver on localhost that can fail its first N requests or answer slowly."""

    def __init__(self, fail_first: int = 0, delay_s: float = 0.0) -> None:
        self.fail_first, self.delay_s = fail_first, delay_s
        self.attempts = 0
        self.received: list[tuple[dict, bytes, dict]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.attempts += 1
                time.sleep(receiver.delay_s)
                if receiver.attempts <= receiver.fail_first:
                    self.send_response(503)
                else:
                    receiver.received.append((json.loads(body), body, dict(self.headers)))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(**options) -> Receiver:
        made.append(Receiver(**options))
        return made[-1]

    yield make
    for item in made:
        item.close()


def test_events_arrive_in_order_and_signed(receiver):
    server = receiver()
    notifier = WebhookNotifier(server.url, secret=SECRET)
    for event in ("job_started", "stage_finished", "job_succeeded"):
        notifier.notify(event, {"job_id": "j-1"})
    notifier.close()
    assert [doc["event"] for doc, _, _ in server.received] == ["job_started", "stage_finished", "job_succeeded"]
    for document, body, headers in server.received:
        assert document["job_id"] == "j-1" and headers[EVENT_HEADER] == document["event"]
        assert verify_signature(body, SECRET, headers[SIGNATURE_HEADER])
        assert not verify_signature(body, "wrong", headers[SIGNATURE_HEADER])
        assert not verify_signature(body + b" ", SECRET, headers[SIGNATURE_HEADER])


def test_a_failing_receiver_is_retried(receiver):
    server = receiver(fail_first=2)
    notifier = WebhookNotifier(server.url, secret=SECRET, retries=3, backoff_s=0.01)
    notifier.notify("job_failed", {"job_id": "j-2", "failed_stage": "train"})
    notifier.close()
    assert server.attempts == 3
    assert [doc["failed_stage"] for doc, _, _ in server.received] == ["train"]
    assert (notifier.delivered, notifier.failed) == (1, 0)


def test_notify_never_blocks_on_a_slow_or_dead_receiver(receiver):
    slow = receiver(delay_s=1.0)
    notifier = WebhookNotifier(slow.url, retries=0, timeout_s=5)
    started = time.monotonic()
    for index in range(3):
        notifier.notify("stage_finished", {"index": index})
    assert time.monotonic() - started < 0.1
    notifier.close()
    assert len(slow.received) == 3

    dead = WebhookNotifier("http://127.0.0.1:9/unreachable", retries=2, backoff_s=0.01, timeout_s=0.5)
    started = time.monotonic()
    dead.notify("job_started", {})
    assert time.monotonic() - started < 0.1
    dead.close()
    assert (dead.delivered, dead.failed) == (0, 1)
