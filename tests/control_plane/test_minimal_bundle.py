"""A bundle in the setup guide's minimal shape: every field it leaves out takes its documented default."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import yaml

from mlops_unity_pipeline.control_plane import BundleError, ControlPlaneRuntime


def test_the_defaults_complete_the_minimal_bundle(minimal_runtime: ControlPlaneRuntime) -> None:
    bundle = minimal_runtime.load_bundle()
    assert bundle.name == "bundle"  # the file's stem
    assert bundle.initial == "idle" and bundle.states == ("idle", "evaluated", "champion")
    assert list(bundle.transitions) == ["evaluated", "champion"]  # named by their targets
    assert bundle.transitions["champion"].sources == ("evaluated",)  # one state, written as a string
    assert bundle.transitions["evaluated"].sources == ("idle", "evaluated", "champion")
    assert {action.id: action.schema for action in bundle.actions.values()} == {
        "tool_action": "tool_action.json",
        "evaluate": "evaluate.json",
        "promote": "promote.json",
    }
    assert bundle.actions["evaluate"].description == (
        "evaluate (operator tool): Report on and promote the current policy."
    )


def test_the_minimal_bundle_drives_its_workflow(minimal_runtime: ControlPlaneRuntime) -> None:
    async def walk() -> list[str]:
        verdicts = []
        for action, payload in [
            ("promote", {}),
            ("evaluate", {"mean_reward": 0.2}),
            ("promote", {}),
            ("evaluate", {"mean_reward": 0.9}),
            ("promote", {}),
        ]:
            verdicts.append(str((await minimal_runtime.invoke(action, payload, actor="agent")).decision))
        await minimal_runtime.approve("champion", approver="alice")
        verdicts.append(str((await minimal_runtime.invoke("promote", {}, actor="agent")).decision))
        return verdicts

    verdicts = asyncio.run(walk())
    assert verdicts[0].startswith("BLOCKED champion") and "the workflow is in state 'idle'" in verdicts[0]
    assert verdicts[1] == "ALLOWED evaluated"
    assert verdicts[2].startswith("HALT champion") and "mean_reward is 0.2, must be >= 0.5" in verdicts[2]
    assert verdicts[3] == "ALLOWED evaluated"
    # hitl_approved required without a hitl block: an approval of the transition, by anyone.
    assert (
        verdicts[4] == "HALT champion; missing facts: hitl_approved; champion needs a human approval (approve command)"
    )
    assert verdicts[5] == "ALLOWED champion"
    assert minimal_runtime.replay_events().workflow_state == "champion"


def _load(tmp_path: Path, document: dict) -> ControlPlaneRuntime:
    (tmp_path / "bundle.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    return ControlPlaneRuntime(tmp_path / "bundle.yaml", tmp_path / "schemas", tmp_path / "events.jsonl")


def test_transitions_with_one_target_are_named_by_position(tmp_path: Path) -> None:
    runtime = _load(
        tmp_path,
        {
            "api_surface": {"tools": [{"name": "ops", "actions": [{"id": "reset", "transition": "transition_1"}]}]},
            "workflow": {
                "states": ["ready", "running"],
                "transitions": [
                    {"from": "ready", "to": "running"},
                    {"from": "running", "to": "ready"},
                    {"from": "ready", "to": "ready"},
                ],
            },
        },
    )
    bundle = runtime.load_bundle()
    assert list(bundle.transitions) == ["running", "transition_1", "transition_2"]
    assert bundle.initial == "ready"  # the first of the listed states


def test_mistakes_in_the_minimal_shape_are_named(tmp_path: Path) -> None:
    runtime = _load(
        tmp_path,
        {
            "api_surface": {"tools": [{"name": "ops", "actions": [{"id": "go", "transition": "gone"}]}]},
            "workflow": {
                "states": ["ready", "running"],
                "transitions": [{"from": "ready", "to": "running"}, {"from": "limbo", "to": "ready", "id": "running"}],
            },
        },
    )
    with pytest.raises(BundleError) as caught:
        runtime.load_bundle()
    assert [str(problem) for problem in caught.value.problems] == [
        "api_surface.tools[0].actions[0].transition: unknown transition 'gone'; declared: running",
        "workflow.transitions[1].from: 'limbo' is not one of the states",
        "workflow.transitions[1].id: transition 'running' is declared twice",
    ]


def test_from_must_name_states(tmp_path: Path) -> None:
    runtime = _load(
        tmp_path,
        {
            "api_surface": {"tools": [{"name": "ops", "actions": [{"id": "go"}]}]},
            "workflow": {"transitions": [{"from": 3, "to": "running"}]},
        },
    )
    with pytest.raises(BundleError, match=r"workflow\.transitions\[0\]\.from: 3 is not of type"):
        runtime.load_bundle()
