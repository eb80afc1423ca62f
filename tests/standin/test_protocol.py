"""The player against mlagents_envs' own UnityEnvironment: what it sends is what TaskWorld computes."""

from __future__ import annotations

import json
import textwrap

CHECK = textwrap.dedent("""
    import sys
    import numpy as np
    from mlagents_envs.base_env import ActionTuple
    from mlagents_envs.environment import UnityEnvironment
    from mlagents_envs.side_channel.engine_configuration_channel import EngineConfigurationChannel
    from mlagents_envs.side_channel.environment_parameters_channel import EnvironmentParametersChannel
    from mlagents_envs.side_channel.stats_side_channel import StatsSideChannel
    from mlops_unity_pipeline.behavior import BehaviorSpec
    from mlops_unity_pipeline.standin.world import TaskWorld

    executable, port, logs, behavior = sys.argv[1:5]
    stats, parameters, engine = StatsSideChannel(), EnvironmentParametersChannel(), EngineConfigurationChannel()
    engine.set_configuration_parameters(time_scale=20.0)
    env = UnityEnvironment(executable, base_port=int(port), seed=7, num_areas=3, no_graphics=True,
                           side_channels=[stats, parameters, engine], log_folder=logs, timeout_wait=30)
    env.reset()
    (name,) = env.behavior_specs
    assert name == "SimpleAgent?team=0", name
    spec = BehaviorSpec.load(behavior)
    ml_spec = env.behavior_specs[name]
    assert [o.shape for o in ml_spec.observation_specs] == [(spec.observation_size,)]
    assert ml_spec.observation_specs[0].name == f"VectorSensor_size{spec.observation_size}"
    assert ml_spec.action_spec.continuous_size == 2 and ml_spec.action_spec.discrete_branches == ()

    world = TaskWorld(spec, num_areas=3, seed=7)
    decisions, _ = env.get_steps(name)
    np.testing.assert_array_equal(decisions.obs[0], world.reset())
    rng = np.random.default_rng(0)
    ended = interrupted = 0
    for _ in range(450):
        actions = rng.uniform(-1.5, 1.5, size=(3, 2)).astype(np.float32)
        env.set_actions(name, ActionTuple(continuous=actions))
        env.step()
        decisions, terminals = env.get_steps(name)
        expected = world.step(actions)
        done = expected.done
        np.testing.assert_array_equal(terminals.obs[0], expected.observations[done])
        np.testing.assert_allclose(terminals.reward, expected.rewards[done])
        np.testing.assert_array_equal(terminals.interrupted, expected.interrupted[done])
        assert not set(terminals.agent_id) & set(decisions.agent_id), "a new episode gets a new agent id"
        np.testing.assert_array_equal(decisions.obs[0], world.reset_areas(done))
        np.testing.assert_allclose(decisions.reward, np.where(done, 0.0, expected.rewards))
        ended += int(done.sum())
        interrupted += int(expected.interrupted.sum())
    reported = stats.get_and_reset_stats()
    assert len(reported["Task/SuccessRate"]) == ended and len(reported["Task/EpisodeLength"]) == ended
    assert {method.name for _, method in reported["Task/SuccessRate"]} == {"AVERAGE"}
    parameters.set_float_parameter("goal_radius", 1.5)
    env.step()
    env.close()
    print(f"episodes={ended} interrupted={interrupted}")
""")


def test_the_player_speaks_the_unity_side_of_the_protocol(simple_agent, base_port, run_in_trainer_env, tmp_path):
    result = run_in_trainer_env(
        CHECK, str(simple_agent), str(base_port), str(tmp_path), str(simple_agent.parent / "behavior.json"), timeout=180
    )
    assert result.returncode == 0, result.stdout + result.stderr
    episodes, interrupted = (int(part.split("=")[1]) for part in result.stdout.split()[-2:])
    assert episodes > 3 and interrupted > 0, result.stdout
    log = (tmp_path / "Player-0.log").read_text()
    assert "seed 7, 3 area(s)" in log
    assert "engine configuration: time_scale = 20" in log
    assert "environment parameter goal_radius = 1.5" in log
    # env.close() replies 400 to the pending call and stops its server at once: either reaches the
    # player first, and both are the trainer closing (test_player_failures covers each on its own).
    assert "the trainer closed the connection (" in log
    assert "lost the trainer" not in log


SIDE_CHANNELS = textwrap.dedent("""
    import json
    from mlagents_envs.side_channel.engine_configuration_channel import EngineConfigurationChannel
    from mlagents_envs.side_channel.environment_parameters_channel import EnvironmentParametersChannel
    from mlagents_envs.side_channel.side_channel_manager import SideChannelManager
    from mlagents_envs.side_channel.stats_side_channel import StatsSideChannel
    from mlops_unity_pipeline.standin.side_channels import StatsAggregation, TrainerSettings, pack_stat

    engine, parameters = EngineConfigurationChannel(), EnvironmentParametersChannel()
    engine.set_configuration_parameters(width=84, height=84, time_scale=20.0, target_frame_rate=-1)
    parameters.set_float_parameter("goal_radius", 0.75)
    parameters.set_uniform_sampler_parameters("obstacle_speed", 1.0, 2.0, seed=3)
    parameters.set_gaussian_sampler_parameters("spawn_separation", 1.5, 0.1, seed=4)
    parameters.set_multirangeuniform_sampler_parameters("move_speed", [(1.0, 2.0), (4.0, 5.0)], seed=5)
    blob = bytes(SideChannelManager([engine, parameters]).generate_side_channel_messages())
    settings = TrainerSettings()
    settings.apply(blob)

    stats = StatsSideChannel()
    SideChannelManager([stats]).process_side_channel_message(
        pack_stat("Task/SuccessRate", 1.0) + pack_stat("Task/EpisodeLength", 42.0, StatsAggregation.MOST_RECENT))
    received = {key: [(value, method.name) for value, method in entries] for key, entries in stats.stats.items()}
    print(json.dumps({"engine": settings.engine, "parameters": settings.parameters, "stats": received}))
""")


def test_side_channels_read_what_mlagents_writes_and_write_what_it_reads(run_in_trainer_env):
    result = run_in_trainer_env(SIDE_CHANNELS)
    assert result.returncode == 0, result.stderr
    decoded = json.loads(result.stdout)
    assert decoded["engine"] == {"width": 84, "height": 84, "time_scale": 20.0, "target_frame_rate": -1}
    parameters = decoded["parameters"]
    assert parameters["goal_radius"] == 0.75
    assert 1.0 <= parameters["obstacle_speed"] <= 2.0
    assert abs(parameters["spawn_separation"] - 1.5) < 1.0
    assert 1.0 <= parameters["move_speed"] <= 2.0 or 4.0 <= parameters["move_speed"] <= 5.0
    assert decoded["stats"] == {"Task/SuccessRate": [[1.0, "AVERAGE"]], "Task/EpisodeLength": [[42.0, "MOST_RECENT"]]}
