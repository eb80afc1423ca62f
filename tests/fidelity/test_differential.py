"""The generated Agent, run under mono in the engine shim, agrees with the stand-in step by step.

For every task combination and action layout the generated scripts are compiled against the
shim (``tests/unity_shim``), the generated scene builder builds the scene, the area replicator
adds a second training area as a trainer's num_areas asks, and the driver steps ML-Agents'
lifecycle. Each episode starts from the state the C# Agent spawned, copied into the stand-in
world's area; then both get the same actions (the scripted expert's, noisy ones, random ones),
and observations, rewards, episode ends (interrupted or not) and the recorded success agree at
every step, in every area. In the noisy episodes some decisions come from the Agent's own Heuristic, fed arrow
keys and the sprint key, which must pick what the action table says. Halfway through, environment parameters change every real-valued world constant,
which both sides must apply from each area's next episode on (the areas' episodes are out of step).
"""

from __future__ import annotations

import itertools
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from action_spaces import ACTION_SPACES
from mono_csharp import EDITOR_DEFINES, PLAYER_DEFINES, compile_assembly

from mlops_unity_pipeline import UnityAssetSpec
from mlops_unity_pipeline.behavior import BehaviorSpec
from mlops_unity_pipeline.behavior.actions import SPRINT_KEY, action_layout
from mlops_unity_pipeline.behavior.derive import derive_behavior
from mlops_unity_pipeline.behavior.motion import Steering, axis_values, closest_values
from mlops_unity_pipeline.behavior.stats import EPISODE_LENGTH, SUCCESS_RATE
from mlops_unity_pipeline.codegen.csharp import NAMESPACE, UnityLayout, render_csharp
from mlops_unity_pipeline.demos.expert import desired_direction, expert_actions
from mlops_unity_pipeline.standin.world import StepResult, TaskWorld

TASKS = [
    ("reach",),
    ("avoid",),
    ("patrol",),
    ("collect",),
    ("reach", "avoid"),
    ("patrol", "avoid"),
    ("collect", "avoid"),
]
#: Every action space of tests/action_spaces.py: a new one is covered without touching this test.
ACTIONS = [case.action_space for case in ACTION_SPACES]
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
    "arena_half_size": 5.0,
    "agent_radius": 1.1,
    "move_speed": 2.5,
    "sprint_multiplier": 1.5,
    "decision_dt": 0.08,
    "ray_length": 9.0,
    "goal_radius": 0.7,
    "obstacle_radius": 0.45,
    "obstacle_speed": 1.0,
    "waypoint_inset": 1.25,
    "spawn_separation": 1.0,
    "goal_clearance": 0.4,
    "turn_speed": 150.0,
}
PARAMETER_STEP = 20
NUM_AREAS = 2
OBSERVATION_TOLERANCE = 1e-4
REWARD_TOLERANCE = 1e-5


def layout_spec(index: int) -> BehaviorSpec:
    tasks, action = LAYOUTS[index]
    observations = dict(OBSERVATIONS[index % len(OBSERVATIONS)])
    if tasks == ("avoid",):
        observations.pop("target_direction", None)
    return derive_behavior(
        UnityAssetSpec(
            asset_id=f"fidelity-{index}",
            name=f"Fidelity {index}",
            task=list(tasks),
            action_space=ACTIONS[action],
            observation_space=observations,
            max_episode_steps=EPISODE_STEPS,
        )
    )


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
    return compile_assembly(
        editor, folder / "Fidelity-Editor.dll", [unity_shim.runtime, unity_shim.editor, player], EDITOR_DEFINES
    )


@dataclass
class Info:
    """One line of the driver: what an Agent sent for a decision or at its episode's end."""

    agent: int
    done: bool
    max_step_reached: bool
    reward: float
    observations: np.ndarray
    stats: dict[str, float]
    area: dict[str, list[float]]


class ShimAgent:
    """The generated Agent running under mono in the engine shim."""

    def __init__(self, driver: Path, editor: Path, builder_class: str, seed: int, num_areas: int, cwd: Path) -> None:
        self.process = subprocess.Popen(
            ["mono", "--debug", str(driver), str(editor), builder_class, str(seed), str(num_areas)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=cwd,
            bufsize=1,
        )
        self.header = self._line()

    def _line(self) -> str:
        line = self.process.stdout.readline()
        if not line:
            self.process.wait(timeout=60)
            pytest.fail(f"the C# agent stopped:\n{self.process.stderr.read()}")
        return line.rstrip("\n")

    def read(self) -> Info:
        kind, agent, done, max_step, reward, observations, stats, area = self._line().split("\t")
        assert kind == "info", kind
        return Info(
            int(agent),
            done == "1",
            max_step == "1",
            float(reward),
            np.array([float(v) for v in observations.split(",")]),
            {key: float(value) for key, value in (pair.split("=") for pair in stats.split(";") if pair)},
            {
                name: [float(v) for v in values.split(",") if v]
                for name, values in (p.split("=") for p in area.split(";"))
            },
        )

    def act(self, actions: np.ndarray, parameters: dict[str, float]) -> None:
        values = ",".join(str(int(v)) if actions.dtype.kind == "i" else repr(float(v)) for v in actions)
        settings = ";".join(f"{key}={value!r}" for key, value in parameters.items())
        self.process.stdin.write(f"act\t{values}\t{settings}\n")

    def heuristic(self, axes: np.ndarray, keys: list[str], parameters: dict[str, float]) -> np.ndarray:
        """The actions the Agent's Heuristic picks for this input (the Agent then acts on them)."""
        settings = ";".join(f"{key}={value!r}" for key, value in parameters.items())
        self.process.stdin.write(f"heuristic\t{','.join(repr(float(a)) for a in axes)}\t{','.join(keys)}\t{settings}\n")
        kind, values = self._line().split("\t")
        assert kind == "heuristic"
        return np.array([float(v) for v in values.split(",")])

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
    """The episode the C# Agent spawned, as the stand-in's area of the same number."""
    w, a = world.spec.world, info.agent
    world.position[a] = info.area["Agent"][:2]
    if "Target" in info.area:
        world.target[a] = info.area["Target"][:2]
    for i in range(w.item_count):
        world.items[a, i] = info.area[f"Item{i}"][:2]
        world.items_left[a, i] = info.area[f"Item{i}"][2] == 1.0
    for i in range(w.obstacle_count):
        world.obstacles[a, i] = info.area[f"Obstacle{i}"][:2]
    if w.obstacle_count:
        world.obstacle_velocity[a] = np.reshape(info.area["ObstacleVelocities"], (w.obstacle_count, 2))


def choose_actions(world: TaskWorld, kind: str, rng: np.random.Generator, expert: np.ndarray) -> np.ndarray:
    """One area's actions: the expert's (``expert``), noisy, random or none."""
    spec = world.spec
    branches = spec.actions.discrete_branches
    if branches:
        random = np.array([rng.integers(0, size) for size in branches])
    else:
        random = rng.uniform(-1.3, 1.3, size=spec.actions.continuous_size)
    if kind == "random" or (kind == "noisy" and rng.random() < 0.3):
        chosen = random
    elif kind == "still":
        chosen = np.zeros_like(random)
    else:
        chosen = expert
    return np.asarray(chosen, dtype=np.int64) if branches else np.asarray(chosen, dtype=np.float32)


def layout_of(world: TaskWorld):
    actions = world.spec.actions
    return action_layout(actions.continuous_size, actions.discrete_branches, actions.meanings)


def heuristic_input(world: TaskWorld, area: int, step: int) -> tuple[np.ndarray, list[str]]:
    """Arrow keys towards the expert's direction (as GetAxisRaw reads them), sprint key every other time."""
    sprints = "sprint" in layout_of(world).kinds
    return np.sign(desired_direction(world)[area]), [SPRINT_KEY] if sprints and step % 2 else []


def expected_heuristic(world: TaskWorld, axes: np.ndarray, keys: list[str]) -> np.ndarray:
    """What the generated Heuristic must pick, by the action table."""
    layout = layout_of(world)
    steering = Steering.from_keys(axes[None, 0], axes[None, 1])
    held = np.array([1.0 if SPRINT_KEY in keys else 0.0])
    if layout.continuous:
        return axis_values(layout, steering, sprint=held)[0].astype(np.float32)
    chosen = closest_values(layout, steering)[0]
    for index, branch in enumerate(layout.branches):
        if branch.kind == "sprint" and SPRINT_KEY in keys:
            chosen[index] = branch.key_value
    return chosen


def where(index: int, area: int, episode: int, step: int) -> str:
    tasks, action = LAYOUTS[index]
    return f"{'+'.join(tasks)} {ACTIONS[action]} area {area} episode {episode} step {step}"


def check_observations(csharp: np.ndarray, standin: np.ndarray, context: str) -> None:
    assert csharp.shape == standin.shape, f"{context}: C# sent {csharp.size} observations, the stand-in {standin.size}"
    np.testing.assert_allclose(
        csharp,
        standin,
        atol=OBSERVATION_TOLERANCE,
        rtol=0,
        err_msg=f"{context}: observations (C# first, stand-in second)",
    )


def check_terminal(info: Info, result: StepResult, context: str) -> None:
    a = info.agent
    assert result.done[a], f"{context}: the C# episode ended, the stand-in's did not (reward {info.reward})"
    check_observations(info.observations, result.observations[a], context + " (terminal)")
    assert info.reward == pytest.approx(float(result.rewards[a]), abs=REWARD_TOLERANCE), (
        f"{context}: terminal reward (obtained: C#, expected: stand-in)"
    )
    assert info.max_step_reached == bool(result.interrupted[a]), f"{context}: interrupted by MaxStep"
    assert info.stats.get(SUCCESS_RATE) == float(result.success[a]), f"{context}: success ({info.stats})"
    assert info.stats.get(EPISODE_LENGTH) == float(result.episode_steps[a]), f"{context}: episode length"


def run_layout(index: int, compiled_editor: Path, driver: Path, cwd: Path) -> list[list[bool]]:
    """Every area's planned episodes, compared step by step; returns each area's episodes' success.

    Over all layouts this ends episodes by success, by collision and by MaxStep (some 360 in all).
    """
    spec = layout_spec(index)
    plan = PATROL_PLAN if "patrol" in spec.tasks else PLAN
    world = TaskWorld(spec, num_areas=NUM_AREAS, seed=index)
    rng = np.random.default_rng(index)
    builder = f"{NAMESPACE}.{UnityLayout(spec.behavior_name).scene_builder_class}"
    agent = ShimAgent(driver, compiled_editor, builder, seed=index, num_areas=NUM_AREAS, cwd=cwd)
    assert agent.header == f"scene\tareas={NUM_AREAS}", "the area replicator adds the trainer's areas in the Editor"
    outcomes: list[list[bool]] = [[] for _ in range(NUM_AREAS)]
    episode, step = np.zeros(NUM_AREAS, dtype=int), np.zeros(NUM_AREAS, dtype=int)
    starting, pending = np.ones(NUM_AREAS, dtype=bool), None
    try:
        while True:
            decisions = []  # one per area, in the order the Agents ask (and then read their actions)
            while len(decisions) < NUM_AREAS:
                info = agent.read()
                a = info.agent
                if info.done:
                    check_terminal(info, pending, where(index, a, episode[a], step[a]))
                    outcomes[a].append(bool(pending.success[a]))
                    episode[a], step[a], starting[a] = episode[a] + 1, 0, True
                else:
                    decisions.append(info)
            if pending is not None:
                unended = pending.done & ~starting
                assert not unended.any(), (
                    f"area {np.flatnonzero(unended)}: the stand-in's episode ended, the C# one did not"
                )
            if episode.min() >= len(plan):
                break
            world.reset_areas(starting)
            for info in decisions:
                if starting[info.agent]:
                    copy_start_state(world, info)
            observed = world.observe()
            for info in decisions:
                a = info.agent
                context = where(index, a, episode[a], step[a])
                if starting[a]:
                    check_observations(info.observations, observed[a], context + " (first)")
                    assert info.reward == 0.0
                else:
                    check_observations(info.observations, pending.observations[a], context)
                    assert info.reward == pytest.approx(float(pending.rewards[a]), abs=REWARD_TOLERANCE), (
                        f"{context}: reward (obtained: C#, expected: stand-in)"
                    )
            starting[:] = False
            # Sent with the next decisions, while the other area is somewhere else in its episode.
            parameters = NEW_CONSTANTS if (episode[0], step[0]) == (1, PARAMETER_STEP) else {}
            world.set_world_constants(parameters)
            expert = expert_actions(world)
            actions = []
            for order, info in enumerate(decisions):
                a = info.agent
                kind, sent = plan[min(episode[a], len(plan) - 1)], parameters if order == 0 else {}
                if kind == "noisy" and step[a] % 4 == 0:
                    axes, keys = heuristic_input(world, a, step[a] // 4)
                    chosen = agent.heuristic(axes, keys, sent)
                    np.testing.assert_array_equal(
                        chosen,
                        expected_heuristic(world, axes, keys),
                        err_msg=f"{where(index, a, episode[a], step[a])}: Heuristic for {axes} with {keys} held",
                    )
                else:
                    chosen = choose_actions(world, kind, rng, expert[a])
                    agent.act(chosen, sent)
                actions.append((a, chosen))
            pending = world.step(np.stack([chosen for _, chosen in sorted(actions, key=lambda pair: pair[0])]))
            step += 1
        agent.close()
    finally:
        agent.kill()
    return outcomes


@pytest.mark.parametrize(
    "index", range(len(LAYOUTS)), ids=[f"{'+'.join(tasks)}-{ACTION_SPACES[a].name}" for tasks, a in LAYOUTS]
)
def test_the_generated_agent_and_the_standin_agree_step_by_step(index, compiled, unity_shim, tmp_path):
    outcomes = run_layout(index, compiled, unity_shim.driver, tmp_path)
    spec = layout_spec(index)
    plan = PATROL_PLAN if "patrol" in spec.tasks else PLAN
    for area in outcomes:
        if spec.tasks == ("patrol",) and ACTION_SPACES[LAYOUTS[index][1]].navigates:
            assert area[:3] == [True, True, True], "the patrol agent completes its route three episodes in a row"
        if spec.goal_task is not None:
            assert not area[plan.index("still")], "an agent standing still ends by MaxStep, unsuccessful"
