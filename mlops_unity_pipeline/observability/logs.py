"""Structured log lines: one JSON object per line, so log pipelines can filter by job and stage."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

#: ``extra=`` keys copied into the JSON line when a record carries them.
CONTEXT_KEYS = ("job_id", "stage", "status", "duration_s", "schedule_id", "event")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({key: getattr(record, key) for key in CONTEXT_KEYS if hasattr(record, key)})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def configure_logging(level: int = logging.INFO, json_lines: bool = True) -> None:
    """Log to stderr, as JSON lines (for services) or plain text (for people at a terminal)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
