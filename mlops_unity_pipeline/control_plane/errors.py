"""The errors the control plane raises on purpose, each an :class:`MLOpsError`.

They are split by what the caller can do about them: fix the bundle or its schemas, fix a
tool's input, repair (or investigate) the event log, or wait longer for a human.
"""

from __future__ import annotations

from ..errors import MLOpsError, SpecValidationError


class BundleError(SpecValidationError):
    """The bundle or one of its action schemas is missing or invalid; the runtime refuses to start."""


class ToolInputError(SpecValidationError):
    """A tool call named an unknown action or carried a payload its schema rejects."""


class EventLogError(MLOpsError):
    """The event log cannot be appended to safely (its last complete line is unreadable)."""


class ApprovalError(MLOpsError):
    """An approval was refused: unknown transition, no approval needed, or an approver not allowed."""


class ApprovalTimeout(MLOpsError, TimeoutError):
    """No approval was recorded before the caller's deadline."""
