"""Generated C# compiles against the Unity 6000.0 and ML-Agents 3.0 API, the way Unity builds it.

Every task and task combination, every action layout and several observation layouts are
generated, then compiled with Mono's ``mcs`` against the API stubs in ``tests/unity_api``: the
runtime scripts as a player assembly (no UnityEditor), the Editor scripts against it plus
UnityEditor. Names that collide with UnityEngine or ML-Agents types are compiled too: the
generated code qualifies what they could shadow.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from mono_csharp import EDITOR_DEFINES, PLAYER_DEFINES, compile_assembly

from mlops_unity_pipeline import UnityAssetSpec
from mlops_unity_pipeline.behavior.derive import derive_behavior
from mlops_unity_pipeline.codegen.csharp import render_csharp

from .test_csharp import ACTIONS, OBSERVATIONS, TASKS

MATRIX = [
    (tasks, actions, observations)
    for tasks, actions, observations in itertools.product(TASKS, ACTIONS, OBSERVATIONS)
    if not ("target_direction" in observations and tasks == ["avoid"])
]
#: Asset names whose classes would shadow, or be shadowed by, engine and ML-Agents types.
AWKWARD_NAMES = [
    "Agent",
    "Academy",
    "Transform",
    "Random",
    "Vector3",
    "Physics",
    "Debug",
    "Object",
    "Mathf",
    "Input",
    "Unity",
    "UnityEngine",
    "System",
    "Editor",
    "MonoBehaviour",
    "Behavior Parameters",
    "Action Buffers",
    "Scene",
    "Build Pipeline",
    "Stats Recorder",
    "Environment",
    "Exception",
]
#: Spelled differently, the same classes again (a second assembly, since class names must differ).
AWKWARD_NAMES_AGAIN = ["agent", "transform", "random", "academy"]


def write_sources(specs, root: Path) -> tuple[list[Path], list[Path]]:
    """Write every spec's generated sources under ``root``; (runtime scripts, Editor scripts)."""
    runtime, editor = [], []
    for spec in specs:
        for relative, text in render_csharp(spec).items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            (editor if "Editor" in relative.parts else runtime).append(path)
    return runtime, editor


def compile_like_unity(specs, root: Path, unity_api) -> None:
    """Runtime scripts as a player build, then Editor scripts against them and UnityEditor."""
    runtime, editor = write_sources(specs, root)
    player = compile_assembly(
        runtime, root / "Assembly-CSharp.dll", unity_api.runtime, PLAYER_DEFINES, extra=["-warnaserror+"]
    )
    compile_assembly(
        editor,
        root / "Assembly-CSharp-Editor.dll",
        [*unity_api.runtime, unity_api.editor, player],
        EDITOR_DEFINES,
        extra=["-warnaserror+"],
    )


def test_every_task_action_and_observation_layout_compiles(unity_api, tmp_path):
    specs = [
        derive_behavior(
            UnityAssetSpec(
                asset_id=f"m-{index}",
                name=f"Matrix {index}",
                task=tasks,
                action_space=actions,
                observation_space=observations,
            )
        )
        for index, (tasks, actions, observations) in enumerate(MATRIX)
    ]
    assert len(specs) >= 100
    compile_like_unity(specs, tmp_path, unity_api)


@pytest.mark.parametrize("names", [AWKWARD_NAMES, AWKWARD_NAMES_AGAIN], ids=["names", "names-again"])
def test_names_of_engine_and_ml_agents_types_compile(unity_api, tmp_path, names):
    specs = [
        derive_behavior(UnityAssetSpec(asset_id=f"a-{index}", name=name, description="reach the target"))
        for index, name in enumerate(names)
    ]
    assert "Agent" in {spec.agent_class for spec in specs}
    compile_like_unity(specs, tmp_path, unity_api)


def test_heuristic_overrides_take_the_buffers_by_in_reference():
    """mcs accepts ``Heuristic(ActionBuffers)`` as an override of ``Heuristic(in ActionBuffers)``; Unity does not."""
    for _, actions, _ in MATRIX[: len(ACTIONS)]:
        spec = derive_behavior(UnityAssetSpec(asset_id="h", name="H", action_space=actions))
        agent = next(text for path, text in render_csharp(spec).items() if path.parent.name == "Scripts")
        assert re.findall(r"override void Heuristic\(([^)]*)\)", agent) == ["in ActionBuffers actionsOut"]
