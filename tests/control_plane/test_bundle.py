"""Loading a bundle and compiling its schemas fails closed, naming every problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from mlops_unity_pipeline.control_plane import BundleError, ControlPlaneRuntime, ToolInputError


def _edit_bundle(workdir: Path, edit) -> None:
    path = workdir / "bundle.yaml"
    document = yaml.safe_load(path.read_text())
    edit(document)
    path.write_text(yaml.safe_dump(document, sort_keys=False))


def test_the_example_bundle_loads(runtime: ControlPlaneRuntime) -> None:
    bundle = runtime.load_bundle()
    assert bundle.initial == "idle" and bundle.states[-1] == "champion"
    promote = bundle.transitions["promote"]
    assert promote.requires == ("guardrails_ok", "hitl_approved") and promote.hitl.subject == "/model_version"
    assert [g.id for g in bundle.guardrails] == ["min_mean_reward", "onnx_contract"]


def test_every_inconsistency_is_listed(runtime: ControlPlaneRuntime, workdir: Path) -> None:
    def edit(document: dict) -> None:
        actions = document["api_surface"]["tools"][1]["actions"]
        actions[0]["sets"]["hitl_approved"] = "/succeeded"  # a payload may not approve
        actions[1]["transition"] = "judge"
        transitions = document["workflow"]["transitions"]
        transitions[1]["from"] = ["limbo"]
        transitions[2]["requires"].append("stars_aligned")
        transitions[3]["clears"] = ["stars_aligned"]
        document["guardrails"][0]["min"] = "high"

    _edit_bundle(workdir, edit)
    with pytest.raises(BundleError) as caught:
        runtime.load_bundle()
    text = str(caught.value)
    assert "api_surface.tools[1].actions[0].sets: 'hitl_approved' is not allowed" in text
    assert "guardrails[0].min: 'high' is not of type number" in text
    # The schema problems are reported first; fixing them reveals the cross-reference ones.

    def fix_schema_problems(document: dict) -> None:
        del document["api_surface"]["tools"][1]["actions"][0]["sets"]["hitl_approved"]
        document["guardrails"][0]["min"] = 0.5

    _edit_bundle(workdir, fix_schema_problems)
    with pytest.raises(BundleError) as caught:
        runtime.load_bundle()
    problems = [str(p) for p in caught.value.problems]
    assert problems == [
        (
            "api_surface.tools[1].actions[1].transition: unknown transition 'judge'; declared: evaluate, promote, "
            "register, train"
        ),
        "workflow.transitions[1].from[0]: 'limbo' is not one of the states",
        "workflow.transitions[2].requires[2]: no action sets fact 'stars_aligned', so the transition could never happen",
        "workflow.transitions[3].clears[0]: no action sets fact 'stars_aligned'",
    ]


def test_guardrails_ok_needs_declared_guardrails(runtime: ControlPlaneRuntime, workdir: Path) -> None:
    _edit_bundle(workdir, lambda document: document.pop("guardrails"))
    with pytest.raises(BundleError, match="guardrails_ok is required but the bundle declares no guardrails"):
        runtime.load_bundle()


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda d: (d / "promote.json").unlink(), "promote.json (action promote): schema file not found"),
        (lambda d: (d / "train.json").write_text("{not json"), "train.json: not readable JSON"),
        (
            lambda d: (d / "evaluate.json").write_text(json.dumps({"type": "object", "minProperties": -1})),
            "evaluate.json (action evaluate): not a valid JSON Schema",
        ),
        (
            lambda d: (d / "register.json").write_text(json.dumps({"type": "array"})),
            'register.json (action register): a tool payload schema must declare "type": "object"',
        ),
        (lambda d: (d / "common.json").unlink(), "train.json (action train): cannot resolve $ref"),
        (
            lambda d: (d / "tool_action.json").write_text(
                json.dumps({"type": "object", "properties": {"again": {"$ref": "#"}}})
            ),
            "tool_action.json (action tool_action): cannot resolve $ref",
        ),
    ],
)
def test_a_bad_schema_fails_closed(runtime: ControlPlaneRuntime, workdir: Path, damage, expected: str) -> None:
    runtime.compile_schemas()
    damage(workdir / "schemas")
    with pytest.raises(BundleError) as caught:
        runtime.compile_schemas()
    assert expected in str(caught.value)
    # Nothing half-compiled is left behind: validation fails again rather than passing.
    with pytest.raises(BundleError):
        runtime.validate_tool_input("tool_action", {"example": "payload"})


def test_a_missing_schemas_directory_fails_closed(workdir: Path) -> None:
    runtime = ControlPlaneRuntime(workdir / "bundle.yaml", workdir / "nowhere", workdir / "events.jsonl")
    with pytest.raises(BundleError, match="schemas directory does not exist"):
        runtime.validate_tool_input("tool_action", {"example": "payload"})


def test_descriptors_for_unknown_actions_are_refused(runtime: ControlPlaneRuntime) -> None:
    with pytest.raises(ToolInputError, match="unknown action 'deploy'"):
        runtime.generate_mcp_stub_tools(["train", "deploy"])
