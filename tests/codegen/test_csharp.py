"""Generated C# parses cleanly under the tree-sitter C# grammar and agrees with the BehaviorSpec."""

from __future__ import annotations

import itertools

import pytest
from action_spaces import ACTION_SPACES

from mlops_unity_pipeline import UnityAssetSpec
from mlops_unity_pipeline.behavior.derive import derive_behavior
from mlops_unity_pipeline.codegen.csharp import render_csharp

from .csharp_tree import error_nodes, observation_count, parse, vector_observation_size, walk

TASKS = [["reach"], ["avoid"], ["patrol"], ["collect"], ["reach", "avoid"], ["patrol", "avoid"], ["collect", "avoid"]]
#: Every action space of tests/action_spaces.py, as an asset spec asks for it.
ACTIONS = [case.action_space for case in ACTION_SPACES]
OBSERVATIONS = [
    {"raycast": 8, "velocity": 2},
    {"raycast": 3, "velocity": 3, "position": 3},
    {"position": 2},
    {"raycast": 64, "position": 2, "velocity": 2, "target_direction": 3},
]


def sources_for(spec):
    sources = render_csharp(spec)
    agent = next(text for path, text in sources.items() if path.parent.name == "Scripts")
    scene = next(text for path, text in sources.items() if path.name.endswith("SceneBuilder.cs"))
    return sources, agent, scene


@pytest.mark.parametrize(
    ("tasks", "actions", "observations"),
    [
        (tasks, actions, observations)
        for tasks, actions, observations in itertools.product(TASKS, ACTIONS, OBSERVATIONS)
        if not ("target_direction" in observations and tasks == ["avoid"])
    ],
)
def test_generated_csharp_parses_and_counts_observations(tasks, actions, observations):
    spec = derive_behavior(
        UnityAssetSpec(
            asset_id="m", name="Matrix Agent", task=tasks, action_space=actions, observation_space=observations
        )
    )
    sources, agent, scene = sources_for(spec)
    for path, text in sources.items():
        assert error_nodes(parse(text)) == [], f"{path} has parse errors"
    assert observation_count(parse(agent)) == spec.observation_size
    assert vector_observation_size(parse(scene)) == spec.observation_size


def test_action_spec_in_the_scene_matches_the_behavior():
    spec = derive_behavior(
        UnityAssetSpec(asset_id="m", name="M", action_space={"type": "discrete", "branches": [3, 3, 2]})
    )
    _, agent, scene = sources_for(spec)
    assert "ActionSpec.MakeDiscrete(3, 3, 2)" in scene
    # The action table is rendered from behavior/actions.py: branch 2's value 1 sprints.
    assert "speed *= Branch2Speed(discrete[2]);" in agent and "case 1: return SprintMultiplier;" in agent


def test_every_constant_comes_from_the_behavior_spec():
    spec = derive_behavior(UnityAssetSpec(asset_id="m", name="M", description="reach the target"))
    _, agent, _ = sources_for(spec)
    assert f"public const int EpisodeSteps = {spec.max_episode_steps};" in agent
    assert f"public const float DefaultMoveSpeed = {spec.world.move_speed!r}f;" in agent
    # A curriculum can override a real-valued constant, as it can in the stand-in player.
    assert 'MoveSpeed = parameters.GetWithDefault("move_speed", DefaultMoveSpeed);' in agent
    assert f"public const float StepPenaltyReward = {spec.reward('step_penalty').value!r}f;" in agent


INJECTIONS = [
    'Evil"; System.IO.File.Delete("/etc/passwd"); //',
    '*/ System.Diagnostics.Process.Start("sh"); /*',
    "ok\n#if true\nclass Injected {}\n#endif",
    "line\r\nbreak\u2028sep\u0085next",
    'back\\slash " quote \' apostrophe {} $"{interpolated}"',
]


@pytest.mark.parametrize("text", INJECTIONS)
def test_descriptions_that_try_to_inject_code_stay_inert(text):
    spec = derive_behavior(UnityAssetSpec(asset_id="inj-1", name="Injected", description=text))
    for path, source in render_csharp(spec).items():
        root = parse(source)
        assert error_nodes(root) == [], path
        # The only class declarations are the generated ones, and no preprocessor directive appears.
        classes = [n.child_by_field_name("name").text.decode() for n in walk(root) if n.type == "class_declaration"]
        classes = [c for c in classes if not c.endswith("SceneBuilder")]
        assert set(classes) <= {spec.agent_class, f"{spec.behavior_name}BuildScript"}
        assert not any(n.type.startswith("preproc") for n in walk(root))
        assert "File.Delete" not in "".join(n.text.decode() for n in walk(root) if n.type == "invocation_expression")
    agent = next(s for p, s in render_csharp(spec).items() if p.parent.name == "Scripts")
    description_const = next(
        n for n in walk(parse(agent)) if n.type == "variable_declarator" and n.children[0].text == b"Description"
    )
    literal = description_const.children[-1]
    assert literal.type == "string_literal"


@pytest.mark.parametrize("name", ['Evil"; System.IO.File.Delete("x"); //', "*/ class X {} /*", "a\n#if X"])
def test_names_that_try_to_inject_code_become_plain_identifiers(name):
    spec = derive_behavior(UnityAssetSpec(asset_id="inj-2", name=name))
    assert spec.behavior_name.isalnum()
    for source in render_csharp(spec).values():
        assert error_nodes(parse(source)) == []
