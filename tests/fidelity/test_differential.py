"""The generated Agent, run under mono in the engine shim, agrees with the stand-in step by step.

For every task combination and action layout the generated scripts are compiled against the
shim (``tests/unity_shim``), the generated scene builder builds the scene and the driver steps
ML-Agents' lifecycle. Each episode starts from the state the C# Agent spawned, copied into the
stand-in world; then both get the same actions (the scripted expert's, noisy ones, random ones),
and observations, rewards, episode ends (interrupted or not) and the recorded success agree at
every step. Halfway through, environment parameters change every real-valued world constant,
which both sides must apply from each area's next episode on.
"""

from __future__ import annotations

import itertools
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from mono_csharp import EDITOR_DEFINES, PLAYER_DEFINES, compile_assembly

from mlops_unity_pipeline import UnityAssetSpec
from mlops_unity_pipeline.behavior import BehaviorSpec
from mlops_unity_pipeline.behavior.derive import derive_behavior
from mlops_unity_pipeline.codegen.csharp import NAMESPACE, UnityLayout, render_csharp
from mlops_unity_pipeline.demos.expert import expert_actions
from mlops_unity_pipeline.standin.world import StepResult, TaskWorld

TASKS = [("reach",), ("avoid",), ("patrol",), ("collect",), ("reach", "avoid"), ("patrol", "avoid"), ("collect", "avoid")]
ACTIONS = [
    {"type": "continuous", "size": 2},
    {"type": "discrete", "branches": [5]},
    {"type": "discrete", "branches": [3, 3]},
    {"type": "discrete", "branches": [3, 3, 2]},
]
OBSERVATIONS = [
    {"raycast": 8, "velocity": 2},
    {"raycast": 5, "velocity": 3, "position": 3},
    {"position": 2, "target_direction": 3},
    {"raycast": 16, "position": 2, "velocity": 2, "target_direction": 2},
]
LAYOUTS = list(itertools.product(TASKS, range(len(ACTIONS))))
EPISODE_STEPS = 150
#: Which actions each episode gets: the expert completes routes, an agent standing still runs into MaxStep.
PLAN = ("expert", "noisy", "random", "still", "expert")
PATROL_PLAN = ("expert", "expert", "expert", "noisy", "random", "still")
#: Sent in the middle of the second episode: every real-valued constant changes.
NEW_CONSTANTS = {
    "arena_half_size": 5.0, "agent_radius": 0.4, "move_speed": 2.5, "sprint_multiplier": 1.5, "decision_dt": 0.08,
    "ray_length": 9.0, "goal_radius": 0.7, "obstacle_radius": 0.45, "obstacle_speed": 1.0, "waypoint_inset": 1.25,
    "spawn_separation": 1.0, "goal_clearance": 0.4,
}
PARAMETER_STEP = 20
OBSERVATION_TOLERANCE = 1e-4
REWARD_TOLERANCE = 1e-5


def layout_spec(index: int) -> BehaviorSpec:
    tasks, action = LAYOUTS[index]
    observations = dict(OBSERVATIONS[index % len(OBSERVATIONS)])
    if tasks == ("avoid",):
        observations.pop("target_direction", None)
    return derive_behavior(UnityAssetSpec(
        asset_id=f"fidelity-{index}", name=f"Fidelity {index}", task=list(tasks), action_space=ACTIONS[action],
        observation_space=observations, max_episode_steps=EPISODE_STEPS,
    ))


@pytest.fixture(scope="module")
def compiled(unity_shim, tmp_path_factory):
    """Every layout's Agent in one player assembly and its scene builder in one Editor assembly, built once."""
    folder = unity_shim.folder
    sources = tmp_path_factory.mktemp("fidelity-sources")
    runtime, editor = [], []
    for index in range(len(LAYOUTS)):
        for relative, text in render_csharp(layout_spec(index)).items():
            if relative.name.endswith("BuildScript.cs"):
                continue  # builds players; nothing to run here
            path = sources / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            (editor if "Editor" in relative.parts else runtime).append(path)
    player = compile_assembly(runtime, folder / "Fidelity.dll", [unity_shim.runtime], PLAYER_DEFINES)
    return compile_assembly(editor, folder / "Fidelity-Editor.dll", [unity_shim.runtime, unity_shim.editor, player],
                            EDITOR_DEFINES)


@dataclass
class Info:
    """One line of the driver: what the Agent sent for a decision or at its episode's end."""

    done: bool
    max_step_reached: bool
    reward: float
    observations: np.ndarray
    stats: dict[str, float]
    area: dict[str, list[float]]


class ShimAgent:
    """The generated Agent running under mono in the engine shim."""

    def __init__(self, driver: Path, editor: Path, builder_class: str, seed: int, cwd: Path) -> None:
        self.process = subprocess.Popen(
            ["mono", "--debug", str(driver), str(editor), builder_class, str(seed)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd, bufsize=1,
        )
        self.header = self._line()

    def _line(self) -> str:
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(timeout=60)
            pytest.fail(f"the C# agent stopped:\n{self.process.stderr.read()}")
        return line.rstrip("\n")

    def read(self) -> Info:
        fields = self._line().split("\t")
        assert fields[0] == "info", fields
        stats = dict(pair.split("=") for pair in fields[5].split(";") if pair)
        area = {name: [float(v) for v in values.split(",") if v]
                for name, values in (pair.split("=") for pair in fields[6].split(";"))}
        return Info(fields[1] == "1", fields[2] == "1", float(fields[3]),
                    np.array([float(v) for v in fields[4].split(",")]), {k: float(v) for k, v in stats.items()}, area)

    def act(self, actions: np.ndarray, parameters: dict[str, float]) -> None:
        values = ",".join(str(int(v)) if actions.dtype.kind == "i" else repr(float(v)) for v in actions)
        settings = ";".join(f"{key}={value!r}" for key, value in parameters.items())
        self.process.stdin.write(f"act\t{values}\t{settings}\n")

    def close(self) -> None:
        """Ask the driver to quit; it must exit cleanly."""
        self.process.stdin.write("quit\n")
        self.process.stdin.close()
        assert self.process.wait(timeout=60) == 0, self.process.stderr.read()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=60)


def copy_start_state(world: TaskWorld, info: Info) -> None:
    """The episode the C# Agent spawned, as the stand-in's area 0."""
    w = world.spec.world
    world.position[0] = info.area["Agent"][:2]
    if "Target" in info.area:
        world.target[0] = info.area["Target"][:2]
    for i in range(w.item_count):
        world.items[0, i] = info.area[f"Item{i}"][:2]
        world.items_left[0, i] = info.area[f"Item{i}"][2] == 1.0
    for i in range(w.obstacle_count):
        world.obstacles[0, i] = info.area[f"Obstacle{i}"][:2]
    if w.obstacle_count:
        world.obstacle_velocity[0] = np.reshape(info.area["ObstacleVelocities"], (w.obstacle_count, 2))


def choose_actions(world: TaskWorld, kind: str, rng: np.random.Generator) -> np.ndarray:
    spec = world.spec
    branches = spec.actions.discrete_branches
    if branches:
        random = np.array([[rng.integers(0, size) for size in branches]])
    else:
        random = rng.uniform(-1.3, 1.3, size=(1, spec.actions.continuous_size))
    if kind == "random" or (kind == "noisy" and rng.random() < 0.3):
        chosen = random
    elif kind == "still":
        chosen = np.zeros_like(random)
    else:
        chosen = expert_actions(world)
    return (np.asarray(chosen, dtype=np.int64) if branches else np.asarray(chosen, dtype=np.float32))[0]


def where(index: int, episode: int, step: int) -> str:
    tasks, action = LAYOUTS[index]
    return f"{'+'.join(tasks)} {ACTIONS[action]} episode {episode} step {step}"


def check_observations(csharp: np.ndarray, standin: np.ndarray, context: str) -> None:
    assert csharp.shape == standin.shape, f"{context}: C# sent {csharp.size} observations, the stand-in {standin.size}"
    np.testing.assert_allclose(csharp, standin, atol=OBSERVATION_TOLERANCE, rtol=0,
                               err_msg=f"{context}: observations (C# first, stand-in second)")


def check_terminal(info: Info, result: StepResult, context: str) -> None:
    assert result.done[0], f"{context}: the C# episode ended, the stand-in's did not (reward {info.reward})"
    check_observations(info.observations, result.observations[0], context + " (terminal)")
    assert info.reward == pytest.approx(float(result.rewards[0]), abs=REWARD_TOLERANCE), f"{context}: terminal reward"
    assert info.max_step_reached == bool(result.interrupted[0]), f"{context}: interrupted by MaxStep"
    assert info.stats.get("Task/SuccessRate") == float(result.success[0]), f"{context}: success ({info.stats})"
    assert info.stats.get("Task/EpisodeLength") == float(result.episode_steps[0]), f"{context}: episode length"


def run_layout(index: int, compiled_editor: Path, driver: Path, cwd: Path) -> list[bool]:
    """Every planned episode, compared step by step; returns each episode's success.

    Over all layouts this ends episodes by success, by collision and by MaxStep (some 180 in all).
    """
    spec = layout_spec(index)
    plan = PATROL_PLAN if "patrol" in spec.tasks else PLAN
    world = TaskWorld(spec, num_areas=1, seed=index)
    rng = np.random.default_rng(index)
    builder = f"{NAMESPACE}.{UnityLayout(spec.behavior_name).scene_builder_class}"
    agent = ShimAgent(driver, compiled_editor, builder, seed=index, cwd=cwd)
    assert agent.header == "scene\treplicates_in_editor=1", "the area replicator must honour num_areas in the Editor"
    outcomes: list[bool] = []
    episode, step, pending, starting = 0, 0, None, True
    try:
        while episode < len(plan):
            info = agent.read()
            context = where(index, episode, step)
            if info.done:
                check_terminal(info, pending, context)
                outcomes.append(bool(pending.success[0]))
                episode, step, pending, starting = episode + 1, 0, None, True
                continue
            if starting:
                world.reset_areas(np.ones(1, dtype=bool))
                copy_start_state(world, info)
                check_observations(info.observations, world.observe()[0], context + " (first)")
                assert info.reward == 0.0
                starting = False
            else:
                assert not pending.done[0], f"{context}: the stand-in's episode ended, the C# one did not"
                check_observations(info.observations, pending.observations[0], context)
                assert info.reward == pytest.approx(float(pending.rewards[0]), abs=REWARD_TOLERANCE), f"{context}: reward"
            parameters = NEW_CONSTANTS if (episode, step) == (1, PARAMETER_STEP) else {}
            world.set_world_constants(parameters)
            actions = choose_actions(world, plan[episode], rng)
            agent.act(actions, parameters)
            pending = world.step(actions[None, :])
            step += 1
        agent.read()  # the next episode's first decision request, left unanswered
        agent.close()
    finally:
        agent.kill()
    return outcomes


@pytest.mark.parametrize("index", range(len(LAYOUTS)),
                         ids=[f"{'+'.join(tasks)}-{'-'.join(map(str, ACTIONS[a].get('branches', ['c'])))}"
                              for tasks, a in LAYOUTS])
def test_the_generated_agent_and_the_standin_agree_step_by_step(index, compiled, unity_shim, tmp_path):
    outcomes = run_layout(index, compiled, unity_shim.driver, tmp_path)
    spec = layout_spec(index)
    plan = PATROL_PLAN if "patrol" in spec.tasks else PLAN
    if spec.tasks == ("patrol",):
        assert outcomes[:3] == [True, True, True], "the patrol agent completes its route three episodes in a row"
    if spec.goal_task is not None:
        assert not outcomes[plan.index("still")], "an agent standing still ends by MaxStep, unsuccessful"
