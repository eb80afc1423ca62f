"""The current state of the workflow, derived from the event log and nothing else.

Replaying the log folds each event into a small reducer instead of keeping the events, so a
log of millions of events costs memory for the facts only. Events carry everything their
effect needs (a transition event names the facts it set and cleared), so replay does not
depend on the bundle having stayed the same; only the initial state and the guardrails,
which are judged now, come from the bundle.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .bundle import GUARDRAILS_OK, Bundle
from .event_log import LogIssue, LogPosition


@dataclass(frozen=True)
class Approval:
    """A human's recorded approval of one transition for one subject."""

    transition: str
    subject: str | None
    approver: str
    seq: int
    note: str | None = None


@dataclass(frozen=True)
class ApprovalRequest:
    """A transition that halted for want of an approval, waiting for a human."""

    transition: str
    subject: str | None
    requested_by: str
    seq: int


@dataclass(frozen=True)
class WorkflowState:
    """Facts, position in the workflow, approvals, and how trustworthy the log they came from is."""

    workflow_state: str
    facts: Mapping[str, Any]
    guardrail_failures: tuple[str, ...]
    approvals: tuple[Approval, ...]
    pending_approvals: tuple[ApprovalRequest, ...]
    events: int
    position: LogPosition
    issues: tuple[LogIssue, ...]

    @property
    def intact(self) -> bool:
        """True when the log verified (a torn last line from a crash is tolerated: it was never acknowledged)."""
        return all(issue.kind == "torn_tail" for issue in self.issues)

    def approval_for(self, transition: str, subject: str | None) -> Approval | None:
        """The standing approval of ``transition`` for ``subject``, if a human gave one."""
        return next((a for a in self.approvals if a.transition == transition and a.subject == subject), None)


class StateReducer:
    """Folds events, one at a time and in log order, into the pieces of a :class:`WorkflowState`."""

    #: The event types that change the state; replay need not parse the others.
    KINDS = ("transition", "approval_requested", "approval")

    def __init__(self, bundle: Bundle) -> None:
        self.bundle = bundle
        self.workflow_state = bundle.initial
        self.facts: dict[str, Any] = {}
        self.approvals: dict[tuple[str, str | None], Approval] = {}
        self.requests: dict[tuple[str, str | None], ApprovalRequest] = {}

    def __call__(self, event: dict[str, Any]) -> None:
        kind = event.get("event_type")
        if kind == "transition":
            transition = event.get("transition")
            self.workflow_state = event.get("to", self.workflow_state)
            for fact in event.get("cleared", ()):
                self.facts.pop(fact, None)
            facts = event.get("facts")
            if isinstance(facts, dict):
                self.facts.update(facts)
            # An approval covers one taking of its transition; the next needs a new one.
            self.approvals = {key: a for key, a in self.approvals.items() if key[0] != transition}
            self.requests = {key: r for key, r in self.requests.items() if key[0] != transition}
        elif kind == "approval":
            key = (event["transition"], event.get("subject"))
            self.approvals[key] = Approval(key[0], key[1], event["approver"], event["seq"], event.get("note"))
            self.requests.pop(key, None)
        elif kind == "approval_requested":
            key = (event["transition"], event.get("subject"))
            if key not in self.approvals:
                self.requests.setdefault(key, ApprovalRequest(key[0], key[1], event["actor"], event["seq"]))

    def state(self, events: int, position: LogPosition, issues: tuple[LogIssue, ...]) -> WorkflowState:
        """The state reached so far, with guardrails judged on the current facts."""
        facts = dict(self.facts)
        failures = tuple(filter(None, (guardrail.check(facts) for guardrail in self.bundle.guardrails)))
        if self.bundle.guardrails:
            facts[GUARDRAILS_OK] = not failures
        return WorkflowState(
            workflow_state=self.workflow_state,
            facts=MappingProxyType(facts),
            guardrail_failures=failures,
            approvals=tuple(sorted(self.approvals.values(), key=lambda a: a.seq)),
            pending_approvals=tuple(sorted(self.requests.values(), key=lambda r: r.seq)),
            events=events,
            position=position,
            issues=issues,
        )
