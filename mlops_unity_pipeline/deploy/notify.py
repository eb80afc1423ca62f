"""The exit handler's work: report how a pipeline run ended, in the log and to an optional webhook.

Runs in the pipeline image as ``python -m mlops_unity_pipeline.deploy.notify``. KFP passes the
run's final status as JSON (``PipelineTaskFinalStatus``); the webhook gets it through the
project's one :class:`WebhookSender`, in one attempt, so a receiver that refuses it fails the
exit handler at once.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from ..observability.webhooks import WebhookError, WebhookSender

TIMEOUT_S = 10.0
#: The event name the exit handler's delivery carries (``X-UnityMLOps-Event``).
EVENT = "pipeline_finished"


def summary(status: dict[str, Any]) -> dict[str, Any]:
    """The webhook's JSON body: run, state and error, from KFP's final-status struct."""
    error = status.get("error") or {}
    return {
        "pipeline_job": status.get("pipelineJobResourceName", ""),
        "task": status.get("pipelineTaskName", ""),
        "state": status.get("state", "UNKNOWN"),
        "error": error.get("message", ""),
        "error_code": error.get("code", 0),
    }


def post(webhook: str, body: dict[str, Any], timeout: float = TIMEOUT_S) -> int:
    """POST ``body`` as JSON; a non-2xx answer or no answer is a :class:`WebhookError`."""
    sender = WebhookSender(webhook, retries=0, timeout_s=timeout)
    try:
        return sender.post(EVENT, json.dumps(body).encode())
    finally:
        sender.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mlops_unity_pipeline.deploy.notify", description=__doc__)
    parser.add_argument("--status", required=True, help="KFP's PipelineTaskFinalStatus as JSON")
    parser.add_argument("--webhook", default="", help="URL to POST the summary to; empty: log only")
    args = parser.parse_args(argv)
    try:
        status = json.loads(args.status)
    except json.JSONDecodeError as exc:
        print(f"error: --status is not JSON: {exc}", file=sys.stderr)
        return 2
    body = summary(status)
    print(json.dumps(body, sort_keys=True))
    if args.webhook:
        try:
            post(args.webhook, body)
        except WebhookError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
