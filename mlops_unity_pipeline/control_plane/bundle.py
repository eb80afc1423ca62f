"""The control-plane bundle: which actions exist, the workflow they drive, guardrails and HITL.

A bundle is a YAML document checked twice before anything runs: against
``schemas/control_plane_bundle.schema.json`` for its shape, then for what a schema cannot
say (every name it refers to exists, derived facts are never set by an action, a required
fact can actually become true). Either check failing is a :class:`BundleError` listing every
problem, so a runtime is never built on a bundle that half makes sense.

The setup guide's minimal shape (actions with only an ``id``, transitions with only ``from``,
``to`` and ``requires``) is complete with these defaults, applied between the two checks:

- an action's schema is ``<action id>.json`` in the schemas directory (compilation fails
  closed when that file is missing); its description names it and its tool, with the tool's description;
- a transition is named by its target state, or by its position (``transition_<index>``)
  when another transition has the same target; ``from`` is one state or a list of states;
- the states are every state the transitions name, in order of appearance, and the initial
  state is the first of ``states`` when they are listed, else the first transition's source;
- a transition that requires ``hitl_approved`` without a ``hitl`` block needs an approval of
  the transition by anyone, with no subject;
- the bundle's name is its file's stem.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..documents import read_document
from ..errors import BundleError, Problem, SpecValidationError
from ..validation import format_path, problems_for

#: Facts the runtime derives from the log; an action can never set them.
GUARDRAILS_OK = "guardrails_ok"
HITL_APPROVED = "hitl_approved"
DERIVED_FACTS = (GUARDRAILS_OK, HITL_APPROVED)


@dataclass(frozen=True)
class Action:
    """One operation an operator may invoke, validated by its own payload schema."""

    id: str
    tool: str
    description: str
    schema: str
    transition: str | None
    sets: Mapping[str, str]


@dataclass(frozen=True)
class Hitl:
    """A human approval a transition needs: of which payload value, by whom."""

    subject: str | None
    approvers: tuple[str, ...]


@dataclass(frozen=True)
class Transition:
    """A move between workflow states and the facts that must hold before it."""

    id: str
    sources: tuple[str, ...]
    target: str
    requires: tuple[str, ...]
    clears: tuple[str, ...]
    matches: Mapping[str, str]
    hitl: Hitl | None


@dataclass(frozen=True)
class Guardrail:
    """A bound a fact must respect before ``guardrails_ok`` holds."""

    id: str
    description: str
    fact: str
    min: float | None
    max: float | None
    equals: Any

    def check(self, facts: Mapping[str, Any]) -> str | None:
        """``None`` when the guardrail holds, otherwise why not (a missing fact fails it)."""
        if self.fact not in facts:
            return f"guardrail {self.id}: fact {self.fact!r} has not been recorded"
        value = facts[self.fact]
        if self.equals is not None and value != self.equals:
            return f"guardrail {self.id}: {self.fact} is {value!r}, must be {self.equals!r}"
        if self.min is not None or self.max is not None:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return f"guardrail {self.id}: {self.fact} is {value!r}, not a number"
            if self.min is not None and not value >= self.min:
                return f"guardrail {self.id}: {self.fact} is {value!r}, must be >= {self.min}"
            if self.max is not None and not value <= self.max:
                return f"guardrail {self.id}: {self.fact} is {value!r}, must be <= {self.max}"
        return None


@dataclass(frozen=True)
class Bundle:
    """A validated bundle, indexed for the runtime's look-ups."""

    name: str
    source: str
    actions: Mapping[str, Action]
    initial: str
    states: tuple[str, ...]
    transitions: Mapping[str, Transition]
    guardrails: tuple[Guardrail, ...]

    def unknown_action(self, action_id: Any) -> Problem:
        """The problem to report for a call naming no declared action."""
        return Problem("action_id", f"unknown action {action_id!r}; declared: {', '.join(self.actions)}")


def load_bundle(path: str | os.PathLike[str]) -> Bundle:
    """Read, validate and index a bundle; a :class:`BundleError` names every problem found."""
    source = str(path)
    try:
        document = read_document(path)
    except SpecValidationError as exc:
        raise BundleError(exc.problems, source=source) from None
    problems = problems_for("control_plane_bundle", document)
    if problems:
        raise BundleError(problems, source=source)
    complete = _with_defaults(document, Path(source).stem)
    bundle = _index(complete, source)
    problems = _semantic_problems(complete, bundle, document)
    if problems:
        raise BundleError(problems, source=source)
    return bundle


def _with_defaults(document: dict[str, Any], file_stem: str) -> dict[str, Any]:
    """A copy of a schema-valid ``document`` with every optional field the module docstring lists filled in."""
    tools = [
        {
            **tool,
            "actions": [
                {
                    "description": f"{action['id']} ({tool['name']} tool)"
                    + (f": {tool['description']}" if tool.get("description") else "."),
                    "schema": f"{action['id']}.json",
                    **action,
                }
                for action in tool["actions"]
            ],
        }
        for tool in document["api_surface"]["tools"]
    ]
    raw_transitions = document["workflow"]["transitions"]
    targets = [raw["to"] for raw in raw_transitions]
    transitions = []
    for index, raw in enumerate(raw_transitions):
        name = raw["to"] if targets.count(raw["to"]) == 1 else f"transition_{index}"
        sources = [raw["from"]] if isinstance(raw["from"], str) else list(raw["from"])
        transition = {"id": name, **raw, "from": sources}
        if HITL_APPROVED in raw.get("requires", ()) and "hitl" not in raw:
            transition["hitl"] = {}
        transitions.append(transition)
    workflow = document["workflow"]
    named = [state for raw in transitions for state in (*raw["from"], raw["to"])]
    initial = workflow.get("initial") or (workflow["states"][0] if "states" in workflow else named[0])
    states = workflow.get("states") or list(dict.fromkeys([initial, *named]))
    return {
        **document,
        "name": document.get("name", file_stem),
        "api_surface": {**document["api_surface"], "tools": tools},
        "workflow": {**workflow, "initial": initial, "states": states, "transitions": transitions},
    }


def _index(document: dict[str, Any], source: str) -> Bundle:
    actions: dict[str, Action] = {}
    for tool in document["api_surface"]["tools"]:
        for raw in tool["actions"]:
            actions.setdefault(
                raw["id"],
                Action(
                    id=raw["id"],
                    tool=tool["name"],
                    description=raw["description"],
                    schema=raw["schema"],
                    transition=raw.get("transition"),
                    sets=dict(raw.get("sets", {})),
                ),
            )
    transitions: dict[str, Transition] = {}
    for raw in document["workflow"]["transitions"]:
        hitl = raw.get("hitl")
        transitions.setdefault(
            raw["id"],
            Transition(
                id=raw["id"],
                sources=tuple(raw["from"]),
                target=raw["to"],
                requires=tuple(raw.get("requires", ())),
                clears=tuple(raw.get("clears", ())),
                matches=dict(raw.get("matches", {})),
                hitl=None if hitl is None else Hitl(hitl.get("subject"), tuple(hitl.get("approvers", ()))),
            ),
        )
    guardrails = tuple(
        Guardrail(
            id=raw["id"],
            description=raw.get("description", ""),
            fact=raw["fact"],
            min=raw.get("min"),
            max=raw.get("max"),
            equals=raw.get("equals"),
        )
        for raw in document.get("guardrails", [])
    )
    return Bundle(
        name=document["name"],
        source=source,
        actions=actions,
        initial=document["workflow"]["initial"],
        states=tuple(document["workflow"]["states"]),
        transitions=transitions,
        guardrails=guardrails,
    )


def _semantic_problems(document: dict[str, Any], bundle: Bundle, written: dict[str, Any]) -> list[Problem]:
    """What the schema cannot check: uniqueness, references, reachability of required facts.

    ``document`` is the bundle with its defaults, ``written`` the bundle as written, for paths.
    """
    settable = {fact for action in bundle.actions.values() for fact in action.sets}
    problems = [
        *_action_problems(document, bundle),
        *_workflow_problems(document, bundle, written, settable),
        *_guardrail_problems(bundle, settable),
    ]
    return sorted(set(problems), key=lambda p: (p.path, p.message))


def _repeated(ids: list[str]) -> list[int]:
    """The positions of the ids that already appeared earlier in ``ids``."""
    return [index for index, id_ in enumerate(ids) if id_ in ids[:index]]


def _action_problems(document: dict[str, Any], bundle: Bundle) -> list[Problem]:
    """Every action is declared once, and sets facts only through a transition it alone drives."""
    located = [
        (["api_surface", "tools", t_index, "actions", a_index], raw)
        for t_index, tool in enumerate(document["api_surface"]["tools"])
        for a_index, raw in enumerate(tool["actions"])
    ]
    problems = [
        Problem(format_path([*located[index][0], "id"]), f"action {located[index][1]['id']!r} is declared twice")
        for index in _repeated([raw["id"] for _, raw in located])
    ]
    driven: dict[str, str] = {}
    for where, raw in located:
        problems += _action_transition_problems(raw, where, bundle, driven)
    return problems


def _action_transition_problems(
    raw: dict[str, Any], where: list[str | int], bundle: Bundle, driven: dict[str, str]
) -> list[Problem]:
    """The action's transition exists and no earlier action drives it (``driven``: transition → action, updated)."""
    target = raw.get("transition")
    if target is None:
        return (
            [Problem(format_path([*where, "sets"]), "only an action with a transition sets facts")]
            if raw.get("sets")
            else []
        )
    path = format_path([*where, "transition"])
    if target not in bundle.transitions:
        return [Problem(path, f"unknown transition {target!r}; declared: " + ", ".join(sorted(bundle.transitions)))]
    if target in driven:
        return [
            Problem(
                path, f"transition {target!r} is already driven by action {driven[target]!r}; one action per transition"
            )
        ]
    driven[target] = raw["id"]
    return []


def _workflow_problems(
    document: dict[str, Any], bundle: Bundle, written: dict[str, Any], settable: set[str]
) -> list[Problem]:
    """The initial state is a state, and every transition is declared once, between states, on facts that can hold."""
    states = set(bundle.states)
    problems = (
        []
        if bundle.initial in states
        else [Problem("workflow.initial", f"{bundle.initial!r} is not one of the states")]
    )
    transitions = document["workflow"]["transitions"]
    as_written = written["workflow"]["transitions"]
    for index in _repeated([raw["id"] for raw in transitions]):
        named = "" if "id" in as_written[index] else " (named by its target: give it an id)"
        problems.append(
            Problem(
                format_path(["workflow", "transitions", index, "id"]),
                f"transition {transitions[index]['id']!r} is declared twice{named}",
            )
        )
    for index, raw in enumerate(transitions):
        where: list[str | int] = ["workflow", "transitions", index]
        problems += _state_problems(raw, isinstance(as_written[index]["from"], str), where, states)
        problems += _fact_problems(raw, where, bundle, settable)
    return problems


def _state_problems(raw: dict[str, Any], one_source: bool, where: list[str | int], states: set[str]) -> list[Problem]:
    """Every state the transition leaves or enters is declared (a ``from`` written as one state has no index)."""
    problems = []
    for s_index, state in enumerate(raw["from"]):
        if state not in states:
            path = [*where, "from"] if one_source else [*where, "from", s_index]
            problems.append(Problem(format_path(path), f"{state!r} is not one of the states"))
    if raw["to"] not in states:
        problems.append(Problem(format_path([*where, "to"]), f"{raw['to']!r} is not one of the states"))
    return problems


def _fact_problems(raw: dict[str, Any], where: list[str | int], bundle: Bundle, settable: set[str]) -> list[Problem]:
    """Every fact the transition requires, clears or matches can be set (or is derived), and a hitl block is required."""
    problems = []
    requires = raw.get("requires", [])
    for r_index, fact in enumerate(requires):
        path = format_path([*where, "requires", r_index])
        if fact == GUARDRAILS_OK and not bundle.guardrails:
            problems.append(Problem(path, "guardrails_ok is required but the bundle declares no guardrails"))
        elif fact not in DERIVED_FACTS and fact not in settable:
            problems.append(Problem(path, f"no action sets fact {fact!r}, so the transition could never happen"))
    if "hitl" in raw and HITL_APPROVED not in requires:
        problems.append(
            Problem(format_path([*where, "requires"]), "a transition with a hitl block must require hitl_approved")
        )
    unset = [([*where, "clears", c_index], fact) for c_index, fact in enumerate(raw.get("clears", []))]
    unset += [([*where, "matches", fact], fact) for fact in raw.get("matches", {})]
    problems += [
        Problem(format_path(path), f"no action sets fact {fact!r}") for path, fact in unset if fact not in settable
    ]
    return problems


def _guardrail_problems(bundle: Bundle, settable: set[str]) -> list[Problem]:
    """Every guardrail is declared once and bounds a fact some action sets."""
    problems = [
        Problem(f"guardrails[{index}].id", f"guardrail {bundle.guardrails[index].id!r} is declared twice")
        for index in _repeated([guardrail.id for guardrail in bundle.guardrails])
    ]
    problems += [
        Problem(f"guardrails[{index}].fact", f"no action sets fact {guardrail.fact!r}")
        for index, guardrail in enumerate(bundle.guardrails)
        if guardrail.fact not in settable
    ]
    return problems
