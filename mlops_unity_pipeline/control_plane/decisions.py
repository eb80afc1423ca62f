"""Deciding whether a transition may happen: allowed, blocked, or HALT.

Two steps, as in the guide: :func:`evaluate_transition_requirements` checks the facts a
transition requires (and that the workflow is where the transition starts); a fact that does
not hold makes the decision *blocked*, listing what is missing. Then
:func:`enforce_guardrails_and_hitl` escalates to *HALT* whatever needs a human rather than
more work: a failed guardrail, an absent HITL approval, or an event log that failed
verification. Every unclear case ends blocked or halted, never allowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from .bundle import DERIVED_FACTS, GUARDRAILS_OK, HITL_APPROVED, Bundle
from .pointer import MISSING, resolve
from .state import WorkflowState


class Verdict(str, Enum):
    """The three outcomes of a decision."""

    ALLOWED = "allowed"
    BLOCKED = "blocked"
    HALT = "halt"


@dataclass(frozen=True)
class Decision:
    """Whether a transition may happen, and if not, every reason why."""

    verdict: Verdict
    requires: tuple[str, ...]
    missing: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    transition: str | None = None
    subject: str | None = None
    awaiting_approval: bool = False

    @property
    def allowed(self) -> bool:
        return self.verdict is Verdict.ALLOWED

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form, for the event log and for tool results."""
        return {
            "verdict": self.verdict.value,
            "transition": self.transition,
            "subject": self.subject,
            "requires": list(self.requires),
            "missing": list(self.missing),
            "reasons": list(self.reasons),
            "awaiting_approval": self.awaiting_approval,
        }

    def __str__(self) -> str:
        what = f" {self.transition}" if self.transition else ""
        subject = f" of {self.subject}" if self.subject else ""
        text = f"{self.verdict.value.upper()}{what}{subject}"
        if self.missing:
            text += f"; missing facts: {', '.join(self.missing)}"
        if self.reasons:
            text += "; " + "; ".join(self.reasons)
        return text


def fact_holds(
    bundle: Bundle, fact: str, state: WorkflowState, transition: str | None = None, subject: str | None = None
) -> bool:
    """Whether ``fact`` holds: recorded and neither ``false`` nor ``null``; approvals are looked up."""
    if fact == HITL_APPROVED:
        if transition is not None:
            return state.approval_for(transition, subject) is not None
        # No transition named: an approval of any HITL transition that can start from here.
        startable = {
            t.id for t in bundle.transitions.values() if t.hitl is not None and state.workflow_state in t.sources
        }
        return any(a.transition in startable and subject in (None, a.subject) for a in state.approvals)
    value = state.facts.get(fact)
    return value is not None and value is not False


def evaluate_transition_requirements(
    bundle: Bundle,
    requires: Iterable[str],
    state: WorkflowState,
    transition: str | None = None,
    subject: str | None = None,
    payload: Any = None,
) -> Decision:
    """Allowed when every required fact holds, else blocked.

    With a ``transition``, the workflow must also be in one of its source states, and the
    call's ``payload`` must agree with every fact the transition ``matches`` (no payload, no
    agreement: blocked).
    """
    requires = tuple(requires)
    reasons: list[str] = []
    if transition is not None:
        declared = bundle.transitions[transition]
        if state.workflow_state not in declared.sources:
            reasons.append(
                f"the workflow is in state {state.workflow_state!r}; {transition} starts from "
                + " or ".join(map(repr, declared.sources))
            )
        for fact, pointer in declared.matches.items():
            given = resolve(payload, pointer) if payload is not None else MISSING
            if given is MISSING or given != state.facts.get(fact, MISSING):
                shown = "nothing" if given is MISSING else repr(given)
                reasons.append(
                    f"the payload's {pointer} is {shown}; it must equal fact {fact} "
                    f"({state.facts.get(fact, 'not recorded')!r})"
                )
    missing = tuple(fact for fact in requires if not fact_holds(bundle, fact, state, transition, subject))
    verdict = Verdict.ALLOWED if not missing and not reasons else Verdict.BLOCKED
    return Decision(verdict, requires, missing, tuple(reasons), transition, subject)


def enforce_guardrails_and_hitl(bundle: Bundle, decision: Decision, state: WorkflowState) -> Decision:
    """Escalate ``decision`` to HALT for a damaged log, a failed guardrail or an absent approval.

    A damaged log halts everything. Guardrails and approvals halt only a transition that is
    otherwise ready: one still waiting for ordinary work (wrong state, a fact not yet
    recorded) stays blocked, with every missing fact listed.
    """
    halts: list[str] = []
    if not state.intact:
        damage = [issue for issue in state.issues if issue.kind != "torn_tail"]
        halts += [f"event log failed verification: {issue}" for issue in damage[:5]]
        if len(damage) > 5:
            halts.append(f"event log failed verification: {len(damage) - 5} more issue(s)")
    approval_missing = False
    if not decision.reasons and set(decision.missing) <= set(DERIVED_FACTS):
        if GUARDRAILS_OK in decision.requires and not state.facts.get(GUARDRAILS_OK):
            halts += list(state.guardrail_failures) or ["guardrails_ok does not hold"]
        declared = bundle.transitions.get(decision.transition) if decision.transition else None
        needs_approval = HITL_APPROVED in decision.requires or (declared is not None and declared.hitl is not None)
        if needs_approval and not fact_holds(bundle, HITL_APPROVED, state, decision.transition, decision.subject):
            approval_missing = True
            of = f" of {decision.subject}" if decision.subject else ""
            halts.append(f"{decision.transition or 'this transition'}{of} needs a human approval (approve command)")
    if not halts:
        return decision
    return replace(
        decision,
        verdict=Verdict.HALT,
        reasons=decision.reasons + tuple(halts),
        missing=tuple(dict.fromkeys((*decision.missing, *((HITL_APPROVED,) if approval_missing else ())))),
        awaiting_approval=approval_missing and len(halts) == 1,
    )
