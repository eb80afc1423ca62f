"""``ControlPlaneRuntime``: the guide's fail-closed control-plane loop, in one object.

The guide's sketch runs as written: load the bundle, enumerate its action ids, describe them
as MCP tools, compile their schemas, validate a payload, append an event, replay the log and
decide on a transition. Beyond the sketch, :meth:`ControlPlaneRuntime.invoke` is the one
path by which an operator (an MCP client, the orchestrator) acts: validate, decide against
the workflow, record, and only then take effect, all while holding the log's lock, so two
operators cannot both pass a check that only one of them should.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..clock import Clock
from ..errors import ApprovalError, ApprovalTimeout, Problem, ToolInputError
from ..validation import problems_from
from .action_schemas import CompiledSchemas, compile_action_schemas
from .bundle import Bundle, load_bundle
from .decisions import Decision, enforce_guardrails_and_hitl, evaluate_transition_requirements
from .event_log import EventLog, LogPosition
from .json_values import json_problems
from .pointer import MISSING, resolve
from .state import Approval, StateReducer, WorkflowState
from .tools import tool_descriptors


@dataclass(frozen=True)
class Invocation:
    """The outcome of one action call: the decision and the events that recorded it."""

    action_id: str
    decision: Decision
    events: tuple[dict[str, Any], ...]

    @property
    def applied(self) -> bool:
        """True when the call took effect (its transition, if any, is now the workflow's state)."""
        return self.decision.allowed


class ControlPlaneRuntime:
    """A bundle, its action schemas and an event log, checked before every effect."""

    def __init__(
        self,
        bundle_path: str | os.PathLike[str],
        schemas_dir: str | os.PathLike[str],
        events_path: str | os.PathLike[str],
        *,
        clock: Clock | None = None,
    ) -> None:
        self.bundle_path = Path(bundle_path)
        self.schemas_dir = Path(schemas_dir)
        self.events_path = Path(events_path)
        self.log = EventLog(self.events_path, clock=clock)
        self._bundle: Bundle | None = None
        self._schemas: CompiledSchemas | None = None

    # -- the guide's loop -------------------------------------------------------------------

    def load_bundle(self) -> Bundle:
        """Read and validate the bundle (a :class:`BundleError` lists every problem)."""
        bundle = load_bundle(self.bundle_path)
        self._bundle, self._schemas = bundle, None
        return bundle

    @property
    def bundle(self) -> Bundle:
        """The loaded bundle, loading it on first use."""
        return self._bundle if self._bundle is not None else self.load_bundle()

    def enumerate_action_ids(self, bundle: Bundle | None = None) -> list[str]:
        """Every action id of the bundle, in declaration order."""
        return list((bundle or self.bundle).actions)

    def generate_mcp_stub_tools(self, action_ids: Iterable[str]) -> list[dict[str, Any]]:
        """MCP tool descriptors (name, description, inputSchema) for ``action_ids``."""
        return tool_descriptors(self.bundle, self._compiled(), action_ids)

    def compile_schemas(self) -> CompiledSchemas:
        """Compile every action's schema; any failure raises and leaves nothing compiled."""
        self._schemas = None
        self._schemas = compile_action_schemas(self.bundle, self.schemas_dir)
        return self._schemas

    def validate_tool_input(self, action_id: str, payload: Any) -> dict[str, Any]:
        """Return ``payload`` if ``action_id`` is declared and its schema accepts it; else raise :class:`ToolInputError`."""
        schemas = self._compiled()
        if not isinstance(action_id, str) or action_id not in schemas.validators:
            raise ToolInputError([self.bundle.unknown_action(action_id)], source="tool call")
        problems = json_problems(payload) or problems_from(schemas.validators[action_id], payload)
        if problems:
            raise ToolInputError(problems, source=f"input of action {action_id}")
        return payload

    async def append_event(self, event: Mapping[str, Any]) -> dict[str, Any]:
        """Append one event durably; return it with its seq, ts and hash."""
        return (await self.append_events([event]))[0]

    async def append_events(self, events: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Append several events in one write and one fsync (all or none acknowledged)."""
        return await asyncio.to_thread(self.log.append, list(events))

    def replay_events(self) -> WorkflowState:
        """Verify the whole log and derive the current state from it."""
        reducer = StateReducer(self.bundle)
        report = self.log.replay(reducer, kinds=StateReducer.KINDS)
        return reducer.state(report.events, report.position, report.issues)

    def evaluate_transition_requirements(
        self,
        requires: Iterable[str],
        state: WorkflowState,
        *,
        transition: str | None = None,
        subject: str | None = None,
        payload: Any = None,
    ) -> Decision:
        """Allowed when every fact in ``requires`` holds, otherwise blocked with the missing facts."""
        return evaluate_transition_requirements(self.bundle, requires, state, transition, subject, payload)

    def enforce_guardrails_and_hitl(self, decision: Decision, state: WorkflowState) -> Decision:
        """HALT a decision for a damaged log, a failed guardrail or an absent approval."""
        return enforce_guardrails_and_hitl(self.bundle, decision, state)

    # -- acting through the workflow --------------------------------------------------------

    def is_transition_allowed(
        self, transition: str, state: WorkflowState, subject: str | None = None, payload: Any = None
    ) -> Decision:
        """The full decision on ``transition`` for a call with ``payload`` (requirements, then guardrails and HITL)."""
        if transition not in self.bundle.transitions:
            raise ToolInputError(
                [
                    Problem(
                        "transition",
                        f"unknown transition {transition!r}; declared: {', '.join(self.bundle.transitions)}",
                    )
                ],
                source="transition check",
            )
        declared = self.bundle.transitions[transition]
        decision = self.evaluate_transition_requirements(
            declared.requires, state, transition=transition, subject=subject, payload=payload
        )
        return self.enforce_guardrails_and_hitl(decision, state)

    async def invoke(self, action_id: str, payload: Any, *, actor: str) -> Invocation:
        """Validate, decide, record and (if allowed) apply one action call.

        An invalid call is recorded as rejected and raises :class:`ToolInputError`. A call
        that halts only for want of an approval also records an approval request, which the
        ``approve`` command then answers.
        """
        return await asyncio.to_thread(self._invoke, action_id, payload, actor)

    async def invoke_when_approved(
        self, action_id: str, payload: Any, *, actor: str, timeout: float, poll_interval: float = 0.5
    ) -> Invocation:
        """Invoke; if the call waits on a human approval, wait for it (up to ``timeout`` s) and invoke again."""
        result = await self.invoke(action_id, payload, actor=actor)
        if not result.decision.awaiting_approval or result.decision.transition is None:
            return result
        await self.wait_for_approval(
            result.decision.transition, result.decision.subject, timeout=timeout, poll_interval=poll_interval
        )
        return await self.invoke(action_id, payload, actor=actor)

    async def request_promotion(
        self, payload: Mapping[str, Any], *, actor: str, action_id: str = "promote"
    ) -> Invocation:
        """Ask to promote a model (the bundle's ``promote`` action): applied, or halted awaiting approval."""
        return await self.invoke(action_id, dict(payload), actor=actor)

    async def approve(
        self, transition: str, *, approver: str, subject: str | None = None, note: str | None = None
    ) -> dict[str, Any]:
        """Record a human's approval of ``transition`` (for ``subject``; the pending one if omitted)."""
        return await asyncio.to_thread(self._approve, transition, approver, subject, note)

    async def wait_for_approval(
        self, transition: str, subject: str | None, *, timeout: float, poll_interval: float = 0.5
    ) -> Approval:
        """Return once an approval of ``transition`` for ``subject`` is recorded; raise :class:`ApprovalTimeout` after ``timeout`` s."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        state = await asyncio.to_thread(self.replay_events)
        approval = state.approval_for(transition, subject)
        position = state.position
        while approval is None:
            if loop.time() >= deadline:
                raise ApprovalTimeout(
                    f"no approval of {transition}" + (f" for {subject}" if subject else "") + f" within {timeout:g} s"
                )
            await asyncio.sleep(poll_interval)
            approval, position = await asyncio.to_thread(self._approval_after, transition, subject, position)
        return approval

    # -- internals --------------------------------------------------------------------------

    def _compiled(self) -> CompiledSchemas:
        return self._schemas if self._schemas is not None else self.compile_schemas()

    def _approval_after(
        self, transition: str, subject: str | None, position: LogPosition
    ) -> tuple[Approval | None, LogPosition]:
        """The latest approval of ``transition`` for ``subject`` appended after ``position``, and the new end."""
        found: list[dict[str, Any]] = []

        def look(event: dict[str, Any]) -> None:
            if (event.get("transition"), event.get("subject")) == (transition, subject):
                found.append(event)

        report = self.log.replay(look, start=position, kinds=("approval",))
        if not found:
            return None, report.position
        event = found[-1]
        return Approval(transition, subject, event["approver"], event["seq"], event.get("note")), report.position

    def _invoke(self, action_id: str, payload: Any, actor: str) -> Invocation:
        with self.log.locked():
            try:
                payload = self.validate_tool_input(action_id, payload)
            except ToolInputError as exc:
                self.log.append(
                    [
                        {
                            "event_type": "tool_invocation",
                            "action_id": _label(action_id),
                            "actor": actor,
                            "decision": "rejected",
                            "reasons": [str(problem) for problem in exc.problems],
                        }
                    ]
                )
                raise
            state = self.replay_events()
            action = self.bundle.actions[action_id]
            transition = self.bundle.transitions.get(action.transition) if action.transition else None
            subject = None
            if transition is not None:
                if transition.hitl is not None and transition.hitl.subject is not None:
                    subject = _subject(resolve(payload, transition.hitl.subject))
                decision = self.is_transition_allowed(transition.id, state, subject, payload)
            else:
                decision = self.enforce_guardrails_and_hitl(self.evaluate_transition_requirements((), state), state)
            events: list[dict[str, Any]] = [
                {
                    "event_type": "tool_invocation",
                    "action_id": action_id,
                    "actor": actor,
                    "payload": payload,
                    "decision": decision.verdict.value,
                    "reasons": list(decision.reasons),
                    "missing": list(decision.missing),
                }
            ]
            if decision.allowed and transition is not None:
                facts = {fact: resolve(payload, pointer) for fact, pointer in action.sets.items()}
                events.append(
                    {
                        "event_type": "transition",
                        "transition": transition.id,
                        "from": state.workflow_state,
                        "to": transition.target,
                        "action_id": action_id,
                        "actor": actor,
                        "subject": subject,
                        "cleared": list(transition.clears),
                        "facts": {fact: value for fact, value in facts.items() if value is not MISSING},
                    }
                )
            elif (
                decision.awaiting_approval
                and transition is not None
                and not any((r.transition, r.subject) == (transition.id, subject) for r in state.pending_approvals)
            ):
                events.append(
                    {
                        "event_type": "approval_requested",
                        "transition": transition.id,
                        "subject": subject,
                        "actor": actor,
                    }
                )
            return Invocation(action_id, decision, tuple(self.log.append(events)))

    def _approve(self, transition: str, approver: str, subject: str | None, note: str | None) -> dict[str, Any]:
        declared = self.bundle.transitions.get(transition)
        if declared is None:
            raise ApprovalError(f"unknown transition {transition!r}; declared: {', '.join(self.bundle.transitions)}")
        if declared.hitl is None:
            raise ApprovalError(f"transition {transition!r} needs no approval (its bundle declares no hitl block)")
        approver = approver.strip()
        if not approver:
            raise ApprovalError("an approval needs the approver's identity (--approver)")
        if declared.hitl.approvers and approver not in declared.hitl.approvers:
            raise ApprovalError(
                f"{approver!r} may not approve {transition}; allowed: {', '.join(declared.hitl.approvers)}"
            )
        with self.log.locked():
            state = self.replay_events()
            if not state.intact:
                raise ApprovalError(
                    f"the event log {self.events_path} fails verification ({'; '.join(map(str, state.issues))}); "
                    "nothing was approved. Restore the log (control-plane-status lists the problems)"
                )
            pending = [r for r in state.pending_approvals if r.transition == transition]
            waiting = ", ".join(repr(r.subject) for r in pending) or "none"
            if subject is None and declared.hitl.subject is not None:
                if len(pending) != 1:
                    raise ApprovalError(f"name the subject to approve (--subject); pending for {transition}: {waiting}")
                subject = pending[0].subject
            request = next((r for r in pending if r.subject == subject), None)
            if request is None and subject is not None and subject not in _fact_subjects(state.facts):
                raise ApprovalError(
                    f"no {transition} of {subject!r} was requested and it is no current candidate; nothing was "
                    f"approved. Pending for {transition}: {waiting}"
                )
            if request is not None and request.requested_by == approver:
                raise ApprovalError(f"{approver!r} requested this {transition} and cannot also approve it")
            event: dict[str, Any] = {
                "event_type": "approval",
                "transition": transition,
                "subject": subject,
                "approver": approver,
            }
            if note:
                event["note"] = note
            return self.log.append([event])[0]


def _fact_subjects(facts: Any) -> set[str]:
    """Subjects the workflow knows of: the recorded facts' values (a registered ``model_version``, say)."""
    return {subject for value in dict(facts).values() if (subject := _subject(value)) is not None}


def _subject(value: Any) -> str | None:
    """The approval subject named by a payload value (non-strings by their canonical JSON)."""
    if value is MISSING or value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _label(action_id: Any) -> str:
    """A loggable name for whatever a caller passed as an action id."""
    text = action_id if isinstance(action_id, str) and action_id else repr(action_id)
    return text[:200]
