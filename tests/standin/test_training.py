"""The real mlagents-learn trains against the stand-in player, as it would against a Unity build."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from mlops_unity_pipeline.train.summaries import parse_summaries
from mlops_unity_pipeline.train.tensorboard_scalars import read_scalars

MEAN_REWARD = re.compile(r"Step: (\d+)\. .*Mean Reward: (-?\d+(?:\.\d+)?)")

PPO = {
    "trainer_type": "ppo",
    "hyperparameters": {
        "batch_size": 64,
        "buffer_size": 1024,
        "learning_rate": 3.0e-4,
        "beta": 5.0e-3,
        "epsilon": 0.2,
        "lambd": 0.95,
        "num_epoch": 3,
    },
    "network_settings": {"hidden_units": 128, "num_layers": 2, "normalize": False},
    "reward_signals": {"extrinsic": {"gamma": 0.99, "strength": 1.0}},
    "time_horizon": 64,
}


def behaviors(name: str, settings: dict, **overrides) -> dict:
    return {"behaviors": {name: {**settings, **overrides}}}


def mean_rewards(output: str) -> list[tuple[int, float]]:
    return [(int(step), float(reward)) for step, reward in MEAN_REWARD.findall(output)]


@pytest.mark.slow
def test_ppo_learns_the_seed_simple_agent(simple_agent, base_port, learn, tmp_path):
    config = behaviors("SimpleAgent", PPO, max_steps=30000, summary_freq=3000)
    result = learn(config, simple_agent, base_port, "--num-areas", "16", "--seed", "1", timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    curve = mean_rewards(result.stdout + result.stderr)
    assert len(curve) >= 10, result.stdout[-2000:]
    start = sum(reward for _, reward in curve[:2]) / 2
    end = sum(reward for _, reward in curve[-2:]) / 2
    print(f"mean reward {start:.3f} -> {end:.3f}: {curve}")
    assert end > start + 0.5, f"the mean reward did not rise clearly: {curve}"

    success = read_scalars(tmp_path / "results" / "run" / "SimpleAgent")["Task/SuccessRate"]
    assert success[-1][1] > success[0][1], f"the success rate in TensorBoard did not rise: {success}"


@pytest.mark.slow
def test_sac_with_discrete_actions_runs_to_max_steps(base_port, learn, tmp_path, player_for):
    asset = tmp_path / "asset.yaml"
    asset.write_text(
        "asset_id: discrete-001\nname: GridWalker\ndescription: Reach the target\n"
        "action_space: {type: discrete, branches: [3, 3]}\n"
    )
    rl = tmp_path / "rl.yaml"
    rl.write_text("algorithm: SAC\nmax_steps: 3000\n")
    executable = player_for(asset, rl, tmp_path)
    sac = {
        "trainer_type": "sac",
        "hyperparameters": {
            "batch_size": 64,
            "buffer_size": 10000,
            "buffer_init_steps": 500,
            "steps_per_update": 10,
            "learning_rate": 3.0e-4,
        },
        "network_settings": {"hidden_units": 64, "num_layers": 2},
        "time_horizon": 64,
    }
    result = learn(
        behaviors("GridWalker", sac, max_steps=3000, summary_freq=1000), executable, base_port, "--num-areas", "16"
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    # Every summary counts, also one without a finished episode: at 16 areas, 3000 steps are fewer decisions
    # per area than an episode's 200, so an unseeded run can end with no episode that reached its target.
    assert parse_summaries(result.stdout + result.stderr, "GridWalker")[-1].step == 3000
    assert (tmp_path / "results" / "run" / "GridWalker.onnx").is_file()


@pytest.mark.slow
def test_two_envs_start_two_players_that_follow_a_curriculum(simple_agent, base_port, learn, tmp_path):
    config = behaviors("SimpleAgent", PPO, max_steps=4000, summary_freq=2000)
    always = {
        "measure": "reward",
        "behavior": "SimpleAgent",
        "threshold": -5.0,
        "min_lesson_length": 1,
        "signal_smoothing": False,
    }
    config["environment_parameters"] = {
        "goal_radius": {
            "curriculum": [
                {"name": "wide", "completion_criteria": always, "value": 1.5},
                {"name": "narrow", "value": 0.5},
            ]
        }
    }
    result = learn(config, simple_agent, base_port, "--num-envs", "2", "--num-areas", "4")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    logs = tmp_path / "results" / "run" / "run_logs"
    pids = set()
    for worker in (0, 1):
        text = (logs / f"Player-{worker}.log").read_text()
        assert f"--mlagents-port {base_port + worker}" in text
        assert "the trainer closed the connection" in text
        assert text.index("environment parameter goal_radius = 1.5") < text.index(
            "environment parameter goal_radius = 0.5"
        )
        pids.add(text.split("pid ")[1].split(",")[0])
    assert len(pids) == 2


@pytest.mark.slow
def test_a_killed_player_is_restarted_and_the_run_finishes(simple_agent, base_port, trainer_env, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(json.dumps(behaviors("SimpleAgent", PPO, max_steps=8000, summary_freq=2000)))
    output = tmp_path / "learn.out"
    with output.open("w") as sink:
        learn = subprocess.Popen(
            [
                str(trainer_env.mlagents_learn),
                str(config),
                "--env",
                str(simple_agent),
                "--run-id",
                "run",
                "--results-dir",
                str(tmp_path / "results"),
                "--force",
                "--base-port",
                str(base_port),
                "--no-graphics",
                "--num-areas",
                "8",
            ],
            stdout=sink,
            stderr=subprocess.STDOUT,
            cwd=tmp_path,
        )
    log = tmp_path / "results" / "run" / "run_logs" / "Player-0.log"
    try:
        first = _player_pid(log, exclude=None)
        time.sleep(3)  # let it train a while
        os.kill(first, signal.SIGKILL)
        second = _player_pid(log, exclude=first, timeout=90)
        assert learn.wait(timeout=240) == 0, output.read_text()[-3000:]
    finally:
        if learn.poll() is None:
            learn.kill()
    text = output.read_text()
    assert "Restarting worker[0]" in text, text[-3000:]
    assert "Step: 8000" in text
    assert second != first


def _player_pid(log: Path, exclude: int | None, timeout: float = 60) -> int:
    """The pid of the player that last (re)wrote ``log`` and is connected, other than ``exclude``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text() if log.exists() else ""
        if "connected" in text:
            pid = int(text.split("pid ")[1].split(",")[0])
            if pid != exclude:
                return pid
        time.sleep(0.2)
    raise AssertionError(f"no (new) player connected within {timeout}s")
