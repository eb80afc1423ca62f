"""Webhook deliveries as JSON POSTs: signed, retried, and (for job events) never blocking the job.

Every webhook the project sends goes through :class:`WebhookSender`: the orchestrator's job
events (job started, stage finished, succeeded, failed) through :class:`WebhookNotifier`, which
delivers them in order from a background thread so a slow or failing receiver never blocks a
job, and the pipeline's exit handler (:mod:`..deploy.notify`) directly. A delivery is retried
with exponential backoff (urllib3's ``Retry``) on connection errors and 5xx/429 answers. With a
secret, the body is signed like GitHub's webhooks: ``X-UnityMLOps-Signature: sha256=<HMAC-SHA256
of the body>``; :func:`verify_signature` checks it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import queue
import threading
import uuid
from datetime import datetime, timezone
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from ..errors import WebhookError

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-UnityMLOps-Signature"
EVENT_HEADER = "X-UnityMLOps-Event"
DELIVERY_HEADER = "X-UnityMLOps-Delivery"
RETRY_STATUSES = (429, 500, 502, 503, 504)


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_signature(body: bytes, secret: str, header: str | None) -> bool:
    """True when ``header`` is the signature of ``body`` under ``secret`` (constant-time compare)."""
    return header is not None and hmac.compare_digest(sign(body, secret), header)


class WebhookSender:
    """POSTs JSON bodies to one URL, signed when there is a secret, retried on connection errors and 5xx/429."""

    def __init__(
        self, url: str, secret: str | None = None, retries: int = 3, backoff_s: float = 0.5, timeout_s: float = 5.0
    ) -> None:
        self.url = url
        self.secret = secret
        self.timeout_s = timeout_s
        self._session = requests.Session()
        retry = Retry(
            total=retries,
            backoff_factor=backoff_s,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"POST"}),
            raise_on_status=False,
        )
        self._session.mount("http://", HTTPAdapter(max_retries=retry))
        self._session.mount("https://", HTTPAdapter(max_retries=retry))

    def post(self, event: str, body: bytes, delivery_id: str | None = None) -> int:
        """Deliver ``body`` (JSON) as ``event``; return the receiver's status, or raise :class:`WebhookError`."""
        headers = {
            "Content-Type": "application/json",
            EVENT_HEADER: event,
            DELIVERY_HEADER: delivery_id or str(uuid.uuid4()),
        }
        if self.secret:
            headers[SIGNATURE_HEADER] = sign(body, self.secret)
        try:
            response = self._session.post(self.url, data=body, headers=headers, timeout=self.timeout_s)
        except requests.RequestException as exc:
            raise WebhookError(f"webhook {self.url} did not accept {event}: {exc}") from None
        if response.status_code >= 300:
            raise WebhookError(f"webhook {self.url} did not accept {event}: it answered {response.status_code}")
        return response.status_code

    def close(self) -> None:
        self._session.close()


class WebhookNotifier:
    """Queues events and POSTs them in order from one background thread."""

    def __init__(
        self, url: str, secret: str | None = None, retries: int = 3, backoff_s: float = 0.5, timeout_s: float = 5.0
    ) -> None:
        self.url = url
        self.delivered = 0
        self.failed = 0
        self._sender = WebhookSender(url, secret, retries, backoff_s, timeout_s)
        self._queue: queue.Queue[tuple[str, bytes, str] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._deliver_all, name="webhooks", daemon=True)
        self._thread.start()

    def notify(self, event: str, payload: dict[str, Any]) -> None:
        """Queue an event; returns at once."""
        document = {
            "event": event,
            "time": datetime.now(timezone.utc).isoformat(),
            "delivery_id": str(uuid.uuid4()),
            **payload,
        }
        body = json.dumps(document, sort_keys=True, default=str).encode()
        self._queue.put((event, body, str(document["delivery_id"])))

    def close(self, timeout_s: float = 30.0) -> None:
        """Deliver what is queued (up to ``timeout_s``), then stop the thread."""
        self._queue.put(None)
        self._thread.join(timeout_s)
        self._sender.close()

    def _deliver_all(self) -> None:
        while (item := self._queue.get()) is not None:
            try:
                self._sender.post(*item)
            except WebhookError as exc:
                self.failed += 1
                logger.warning("%s (after retries)", exc)
            else:
                self.delivered += 1
