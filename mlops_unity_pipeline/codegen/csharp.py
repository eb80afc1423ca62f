"""Rendering the Unity C# sources (Agent, scene builder, build script) from a BehaviorSpec.

Templates live in ``templates/``; every value they print comes from the BehaviorSpec and
reaches C# through :mod:`.literals`, which escapes text and formats numbers deterministically.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache
from pathlib import PurePosixPath

import jinja2

from .. import __version__
from ..behavior import BehaviorSpec
from ..behavior.actions import (
    HEURISTIC_AXES,
    LOCAL_MOVES,
    SIGNED,
    SPRINT_KEY,
    WORLD_MOVES,
    ActionLayout,
    action_layout,
    split_meaning,
)
from ..behavior.layout import GOAL_DISTANCE_SCALE, WAYPOINT_START_DEGREES
from ..behavior.stats import EPISODE_STATS
from ..behavior.tasks import EVENT, GOAL_PROGRESS, PER_STEP, REWARD_KINDS
from ..layouts import BuildLayout
from .literals import cs_bool, cs_comment_text, cs_float, cs_string

NAMESPACE = "UnityMLOps.Generated"
BUILD_PATH_ARGUMENT = "-mlopsBuildPath"
#: The C# value each kind of episode statistic records (inside RecordEpisode(bool success)).
STAT_VALUES = {"success": "success ? 1f : 0f", "length": "StepCount", "count": "1f"}


@dataclass(frozen=True)
class UnityLayout:
    """Where the generated sources go inside a Unity project, and how to build them."""

    behavior_name: str

    @property
    def assets_dir(self) -> PurePosixPath:
        return PurePosixPath("Assets/UnityMLOps") / self.behavior_name

    @property
    def scene_path(self) -> PurePosixPath:
        return self.assets_dir / "Scenes" / f"{self.behavior_name}Training.unity"

    @property
    def scene_builder_class(self) -> str:
        return f"{self.behavior_name}SceneBuilder"

    @property
    def build_script_class(self) -> str:
        return f"{self.behavior_name}BuildScript"

    @property
    def execute_method(self) -> str:
        return f"{NAMESPACE}.{self.build_script_class}.PerformBuild"


def _pascal(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("mlops_unity_pipeline.codegen", "templates"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )


def _vector(pair: tuple[float, float]) -> str:
    return f"new Vector3({cs_float(pair[0])}, 0f, {cs_float(pair[1])})"


def _sprint_factor(fraction: float) -> str:
    """The C# factor on MoveSpeed of a sprint fraction (SprintMultiplier itself at the full sprint)."""
    return "SprintMultiplier" if fraction == 1.0 else f"1f + (SprintMultiplier - 1f) * {cs_float(fraction)}"


def _action_branches(layout: ActionLayout) -> list[dict[str, object]]:
    """Each discrete branch's table as C#: directions (world or heading-relative), turn levels or sprint factors."""
    return [
        {
            "index": index,
            "kind": branch.kind,
            "is_move": branch.kind in WORLD_MOVES,
            "is_local": branch.kind in LOCAL_MOVES,
            "moves": [_vector(move) for move in branch.moves],
            "turns": [cs_float(level) for level in branch.levels] if branch.kind == "turn" else [],
            "factors": [
                {"value": value, "expression": _sprint_factor(fraction)}
                for value, fraction in enumerate(branch.sprint_fractions)
                if fraction
            ],
            "key": SPRINT_KEY if branch.kind == "sprint" and branch.key_value else None,
            "key_value": branch.key_value,
        }
        for index, branch in enumerate(layout.branches)
    ]


def _continuous_actions(layout: ActionLayout) -> dict[str, object]:
    """Continuous axes as C#: the sum of the clamped axes per signed meaning, the sprint factor, the heuristic."""
    terms: dict[str, list[str]] = {kind: [] for kind in SIGNED}
    sprint, heuristic = "", []
    for index, meaning in enumerate(layout.continuous):
        kind, sign = split_meaning(meaning)
        negate = "-" if sign < 0 else ""
        if kind in terms:
            terms[kind].append(f"{negate}Mathf.Clamp(continuous[{index}], -1f, 1f)")
            heuristic.append(f'{negate}Input.GetAxis("{HEURISTIC_AXES[kind]}")')
        elif kind == "sprint":
            sprint += f" * (1f + (SprintMultiplier - 1f) * Mathf.Clamp(continuous[{index}], 0f, 1f))"
            heuristic.append(f"Input.GetKey(KeyCode.{SPRINT_KEY}) ? 1f : 0f")
        else:
            heuristic.append("0f")
    return {
        **{kind: " + ".join(values) or "0f" for kind, values in terms.items()},
        "sprint": sprint,
        "heuristic": heuristic,
    }


def _action_spec_expression(spec: BehaviorSpec) -> str:
    if spec.actions.is_discrete:
        return f"ActionSpec.MakeDiscrete({', '.join(str(b) for b in spec.actions.discrete_branches)})"
    return f"ActionSpec.MakeContinuous({spec.actions.continuous_size})"


def _world_constants(spec: BehaviorSpec) -> list[dict[str, str]]:
    """The world's sizes and speeds as C# constants, each with the environment parameter that overrides it."""
    return [
        {
            "name": _pascal(name),
            "type": "int" if isinstance(value, int) else "float",
            "literal": str(value) if isinstance(value, int) else cs_float(value),
            "parameter_literal": cs_string(name),
        }
        for name, value in asdict(spec.world).items()
        if value is not None
    ]


def _reward_terms(spec: BehaviorSpec) -> list[dict[str, object]]:
    """Each reward term as the Agent's constant, with when it applies and what kind of term it is."""
    return [
        {
            "name": term.name,
            "const_name": f"{_pascal(term.name)}Reward",
            "literal": cs_float(term.value),
            "when": cs_comment_text(term.when),
            "kind": REWARD_KINDS[term.name],
            "ends_episode": term.ends_episode,
            "success": cs_bool(term.success),
        }
        for term in spec.rewards
    ]


def _editor_context(spec: BehaviorSpec) -> dict[str, object]:
    """What the scene builder and the build script need: their classes, the scene, the areas and the build path."""
    layout = UnityLayout(spec.behavior_name)
    return {
        "scene_builder_class": layout.scene_builder_class,
        "build_script_class": layout.build_script_class,
        "scene_path_literal": cs_string(str(layout.scene_path)),
        "default_area_count": 1,
        "area_separation": cs_float(2 * spec.world.arena_half_size + 4.0),
        "execute_method": layout.execute_method,
        "build_path_argument": BUILD_PATH_ARGUMENT,
        "build_path_argument_literal": cs_string(BUILD_PATH_ARGUMENT),
        "default_build_path_literal": cs_string(
            f"Builds/{spec.behavior_name}/{BuildLayout.player_name(spec.behavior_name)}"
        ),
    }


def _context(spec: BehaviorSpec) -> dict[str, object]:
    rewards = _reward_terms(spec)
    sizes = {group.name: group.size for group in spec.observations}
    actions = action_layout(spec.actions.continuous_size, spec.actions.discrete_branches, spec.actions.meanings)
    return {
        "generator_version": __version__,
        "asset_id": cs_comment_text(spec.asset_id),
        "namespace": NAMESPACE,
        "spec": spec,
        "behavior_name": spec.behavior_name,
        "behavior_name_literal": cs_string(spec.behavior_name),
        "agent_class": spec.agent_class,
        "description_comment": cs_comment_text(spec.description),
        "description_literal": cs_string(spec.description),
        "tasks": list(spec.tasks),
        "goal_task": spec.goal_task,
        "has_reach": "reach" in spec.tasks,
        "has_avoid": "avoid" in spec.tasks,
        "has_patrol": "patrol" in spec.tasks,
        "has_collect": "collect" in spec.tasks,
        "has_raycast": "raycast" in sizes,
        "raycast_size": sizes.get("raycast", 0),
        "success_at_max_step": cs_bool(spec.success_at_max_step),
        "observations": [
            {"name": g.name, "size": g.size, "meaning_comment": cs_comment_text(g.meaning)} for g in spec.observations
        ],
        "continuous": not spec.actions.is_discrete,
        "action_branches": _action_branches(actions),
        "continuous_actions": _continuous_actions(actions),
        "turns": actions.turns,
        "oriented": actions.oriented,
        "world_constants": _world_constants(spec),
        "rewards": rewards,
        "per_step_rewards": [reward for reward in rewards if reward["kind"] == PER_STEP],
        "progress_reward": next((r["const_name"] for r in rewards if r["kind"] == GOAL_PROGRESS), None),
        "events": {reward["name"]: reward for reward in rewards if reward["kind"] == EVENT},
        "goal_distance_scale": cs_float(GOAL_DISTANCE_SCALE),
        "waypoint_start_degrees": cs_float(WAYPOINT_START_DEGREES),
        "stats": [
            {"name": cs_string(stat.name), "value": STAT_VALUES[stat.measures], "aggregation": stat.aggregation}
            for stat in EPISODE_STATS
        ],
        "action_spec_expression": _action_spec_expression(spec),
        **_editor_context(spec),
    }


def render_csharp(spec: BehaviorSpec) -> dict[PurePosixPath, str]:
    """The C# sources, keyed by their path inside the Unity project (``Assets/...``)."""
    layout = UnityLayout(spec.behavior_name)
    context = _context(spec)
    env = _environment()
    return {
        layout.assets_dir / "Scripts" / f"{spec.agent_class}.cs": env.get_template("agent.cs.j2").render(context),
        layout.assets_dir / "Editor" / f"{layout.scene_builder_class}.cs": env.get_template(
            "scene_builder.cs.j2"
        ).render(context),
        layout.assets_dir / "Editor" / f"{layout.build_script_class}.cs": env.get_template("build_script.cs.j2").render(
            context
        ),
    }
