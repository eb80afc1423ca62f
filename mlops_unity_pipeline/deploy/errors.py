"""The errors of compiling, submitting and scheduling pipelines."""

from __future__ import annotations

from ..errors import MLOpsError


class DeployError(MLOpsError):
    """A pipeline could not be compiled, submitted or scheduled as asked; the message says why."""


class CronError(DeployError, ValueError):
    """A cron expression or time zone that a pipeline scheduler cannot take."""
