"""The simulation's rules, checked against hand-computed cases (pure numpy, main environment)."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from mlops_unity_pipeline.behavior import BehaviorSpec
from mlops_unity_pipeline.behavior.derive import derive_behavior
from mlops_unity_pipeline.specs import UnityAssetSpec
from mlops_unity_pipeline.standin.world import TaskWorld, WorldSpecError

SIMPLE_AGENT = Path(__file__).resolve().parents[2] / "examples" / "simple_agent" / "generated"


def spec_for(description: str, **fields) -> BehaviorSpec:
    return derive_behavior(UnityAssetSpec(asset_id="t", name="Probe", description=description, **fields))


@pytest.fixture
def simple() -> BehaviorSpec:
    return BehaviorSpec.load(SIMPLE_AGENT)


def test_observation_layout_follows_the_spec(simple):
    world = TaskWorld(simple, num_areas=5, seed=3)
    obs = world.reset()
    assert obs.shape == (5, simple.observation_size) and obs.dtype == np.float32
    offsets = simple.observation_offsets()
    assert np.all(obs[:, offsets["velocity"]] == 0)
    expected = (world.target - world.position) / (2 * simple.world.arena_half_size)
    np.testing.assert_allclose(obs[:, offsets["target_direction"]], expected, rtol=1e-6)
    assert np.all((obs[:, offsets["raycast"]] > 0) & (obs[:, offsets["raycast"]] <= 1))


def test_the_same_seed_gives_the_same_episodes(simple):
    actions = np.random.default_rng(0).uniform(-1, 1, size=(50, 4, 2))
    runs = []
    for _ in range(2):
        world = TaskWorld(simple, num_areas=4, seed=11)
        trace = [world.reset()]
        for action in actions:
            step = world.step(action)
            trace += [step.observations, step.rewards]
            world.reset_areas(step.done)
        runs.append(np.concatenate([t.ravel() for t in trace]))
    np.testing.assert_array_equal(runs[0], runs[1])


def test_rays_measure_walls_and_obstacles(simple):
    world = TaskWorld(simple, num_areas=1, seed=0)
    world.reset()
    w = simple.world
    world.position[:] = 0.0
    world.obstacles[:] = [[0.0, 2.0], [50.0, 50.0]]  # one straight ahead (+z)
    rays = world.observe()[0, simple.observation_offsets()["raycast"]]
    assert rays[0] == pytest.approx((2.0 - w.obstacle_radius) / w.ray_length, rel=1e-5)
    assert rays[2] == pytest.approx(w.arena_half_size / w.ray_length, rel=1e-5)  # 90°: +x wall
    assert rays[1] == pytest.approx(w.arena_half_size * math.sqrt(2) / w.ray_length, rel=1e-5)  # 45°: corner


def test_reaching_the_target_pays_and_ends_the_episode(simple):
    world = TaskWorld(simple, num_areas=2, seed=0)
    world.reset()
    world.obstacles[:] = 50.0
    world.position[:] = 0.0
    world.target[:] = [[0.5, 0.0], [3.0, 3.0]]
    step = world.step(np.array([[1.0, 0.0], [0.0, 0.0]]))
    penalty = simple.reward("step_penalty").value
    # Area 0 moved 0.3 towards its target (0.5 away); area 1 stood still.
    progress = simple.reward("goal_progress").value * 0.3 / (2 * simple.world.arena_half_size)
    assert step.done.tolist() == [True, False] and step.success.tolist() == [True, False]
    np.testing.assert_allclose(
        step.rewards, [penalty + progress + simple.reward("target_reached").value, penalty], rtol=1e-6
    )


def test_a_collision_ends_the_episode_as_a_failure(simple):
    world = TaskWorld(simple, num_areas=1, seed=0)
    world.reset()
    world.position[:] = 0.0
    world.obstacles[0] = [[0.0, 1.0], [50, 50]]
    world.target[:] = [[0.0, 1.0]]  # touching both: the collision is judged first
    step = world.step(np.array([[0.0, 0.0]]))
    assert step.done[0] and not step.success[0]
    expected = simple.reward("step_penalty").value + simple.reward("collision").value
    assert step.rewards[0] == pytest.approx(expected)


def test_the_episode_is_interrupted_at_max_steps():
    spec = spec_for("avoid obstacles")
    world = TaskWorld(spec, num_areas=3, seed=1)
    world.reset()
    world.obstacles[:] = 50.0
    world.obstacle_velocity[:] = 0.0
    world.steps[:] = spec.max_episode_steps - 1
    step = world.step(np.zeros((3, 2)))
    assert step.interrupted.all() and step.done.all()
    assert step.success.all(), "an avoid-only agent that survives the episode succeeded"
    assert step.rewards[0] == pytest.approx(spec.reward("survival_bonus").value)


def test_patrol_waypoints_are_visited_in_order():
    spec = spec_for("Patrol between waypoints")
    world = TaskWorld(spec, num_areas=1, seed=0)
    world.reset()
    w = spec.world
    radius = (w.arena_half_size - w.waypoint_inset) * math.sqrt(2)
    np.testing.assert_allclose(world.waypoints[0, 0], [radius * math.sin(math.pi / 4)] * 2)
    total = 0.0
    for index in range(w.waypoint_count):
        world.position[0] = world.waypoints[0, index]
        step = world.step(np.zeros((1, 2)))
        total += step.rewards[0]
    assert step.done[0] and step.success[0]
    expected = (
        w.waypoint_count * spec.reward("waypoint_reached").value
        + spec.reward("route_completed").value
        + w.waypoint_count * spec.reward("step_penalty").value
    )
    assert total == pytest.approx(expected, rel=1e-5)


def test_collect_removes_items_and_points_at_the_nearest():
    spec = spec_for("collect coins", observation_space={"position": 3, "target_direction": 3})
    world = TaskWorld(spec, num_areas=1, seed=0)
    world.reset()
    world.position[0] = 0.0
    world.items[0] = [[0.3, 0], [2, 0], [3, 0], [3, 3], [-3, -3]]
    step = world.step(np.zeros((1, 2)))
    assert step.rewards[0] == pytest.approx(spec.reward("item_collected").value + spec.reward("step_penalty").value)
    assert world.items_left[0].tolist() == [False, True, True, True, True]
    obs = step.observations[0]
    offsets = spec.observation_offsets()
    np.testing.assert_allclose(obs[offsets["target_direction"]], [2 / 8, 0, 0], atol=1e-6)
    np.testing.assert_allclose(obs[offsets["position"]], [0, 0, 0], atol=1e-6)


def test_discrete_branches_move_and_sprint():
    spec = spec_for("reach the target", action_space={"type": "discrete", "branches": [3, 3, 2]})
    world = TaskWorld(spec, num_areas=3, seed=0)
    world.reset()
    world.step(np.array([[1, 0, 0], [2, 1, 1], [0, 0, 0]]))
    speed, sprint = spec.world.move_speed, spec.world.sprint_multiplier
    np.testing.assert_allclose(world.velocity, [[speed, 0], [-speed * sprint, speed * sprint], [0, 0]])


def test_moving_obstacles_bounce_off_walls():
    spec = spec_for("avoid obstacles")
    world = TaskWorld(spec, num_areas=1, seed=0)
    world.reset()
    limit = spec.world.arena_half_size - spec.world.obstacle_radius
    world.obstacles[0, 0] = [limit - 0.01, 0.0]
    world.obstacle_velocity[0, 0] = [spec.world.obstacle_speed, 0.0]
    world.step(np.zeros((1, 2)))
    assert world.obstacles[0, 0, 0] == pytest.approx(limit)
    assert world.obstacle_velocity[0, 0, 0] == pytest.approx(-spec.world.obstacle_speed)


def test_environment_parameters_apply_to_each_area_from_its_next_episode(simple):
    world = TaskWorld(simple, num_areas=2, seed=0)
    world.reset()
    unknown = world.set_world_constants({"goal_radius": 1.25, "arena_half_size": 6.0, "lesson": 2.0})
    assert unknown == ["lesson"]
    # No running episode sees a constant change ...
    assert world.constant("goal_radius").tolist() == [0.5, 0.5]
    world.reset_areas(np.array([False, True]))
    # ... and an area takes the new ones when its own next episode begins.
    assert world.constant("goal_radius").tolist() == [0.5, 1.25]
    assert world.constant("arena_half_size").tolist() == [4.0, 6.0]
    world.position[:] = 0.0
    world.obstacles[:] = 50.0
    rays = world.observe()[:, simple.observation_offsets()["raycast"]]
    assert rays[:, 0] * simple.world.ray_length == pytest.approx([4.0, 6.0])


def test_a_spec_the_world_cannot_simulate_is_refused(simple):
    broken = replace(simple, rewards=tuple(t for t in simple.rewards if t.name != "target_reached"))
    with pytest.raises(WorldSpecError, match="target_reached"):
        TaskWorld(broken)
