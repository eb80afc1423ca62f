"""The control plane: declared, validated actions over a durable, tamper-evident event log.

An operator, human or AI agent, drives training and promotion only through the actions a
bundle declares; every call is validated against its schema, checked against the workflow,
guardrails and human approvals, and recorded before it has any effect.
"""

from __future__ import annotations

from ..errors import ApprovalError, ApprovalTimeout, BundleError, EventLogError, ToolInputError
from .bundle import Bundle, load_bundle
from .decisions import Decision, Verdict
from .event_log import EventLog, LogIssue, LogPosition, ReplayReport
from .runtime import ControlPlaneRuntime, Invocation
from .state import Approval, ApprovalRequest, WorkflowState

__all__ = [
    "Approval",
    "ApprovalError",
    "ApprovalRequest",
    "ApprovalTimeout",
    "Bundle",
    "BundleError",
    "ControlPlaneRuntime",
    "Decision",
    "EventLog",
    "EventLogError",
    "Invocation",
    "LogIssue",
    "LogPosition",
    "ReplayReport",
    "ToolInputError",
    "Verdict",
    "WorkflowState",
    "load_bundle",
]
