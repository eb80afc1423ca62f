"""The training stage against the stand-in player with the real mlagents-learn."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest
import yaml

from mlops_unity_pipeline.behavior import BehaviorSpec
from mlops_unity_pipeline.behavior.stats import SUCCESS_RATE
from mlops_unity_pipeline.onnx_policy import PolicyMismatchError, check_policy
from mlops_unity_pipeline.ports import reserve_base_port
from mlops_unity_pipeline.train import TrainingError, train
from mlops_unity_pipeline.train.players import fit_players, max_players, usable_cores
from mlops_unity_pipeline.train.report import RewardCurve, reward_curve_png
from mlops_unity_pipeline.train.tensorboard_scalars import read_scalars
from tests.conftest import TINY_RL

from .conftest import make_build

pytestmark = pytest.mark.trainer


#: One player more than this machine's cores serve, so the stage fits the players to the cores.
TOO_MANY_PLAYERS = max_players(usable_cores()) + 1


#: Checkpoints and summaries of the ``trained`` run, four of each over its steps.
EVERY = TINY_RL["max_steps"] // 4


@pytest.fixture(scope="module")
def trained(tmp_path_factory, trainer_env):
    """The tests' small PPO config, players fitted to the cores: a run whose outputs are checked, not its learning."""
    generated, build = make_build(
        tmp_path_factory.mktemp("fitted"),
        **{
            **TINY_RL,
            "num_envs": TOO_MANY_PLAYERS,
            "num_areas": 2,
            "summary_freq": EVERY,
            "checkpoint_interval": EVERY,
        },
    )
    return train(build, generated, tmp_path_factory.mktemp("training"))


def test_training_writes_a_checked_policy_metrics_and_a_report(trained, small_build):
    out = trained.out_dir
    spec = BehaviorSpec.load(small_build[0])
    shapes = check_policy(trained.policy_path, spec)
    assert shapes["obs_0"][1] == spec.observation_size == 12
    metrics = json.loads(trained.metrics_path.read_text())
    assert metrics["steps"] == metrics["max_steps"] == TINY_RL["max_steps"]
    assert metrics["trainer_type"] == "ppo" and metrics["device"] in ("cpu", "cuda")
    assert metrics["episodes"] > 0 and metrics["final_mean_reward"] is not None
    assert metrics["best_mean_reward"] >= metrics["final_mean_reward"]
    assert 0 < metrics["last_attempt_timers"]["env_time_share"] < 1
    assert 0 < metrics["stage_seconds"]["mlagents_learn"] < metrics["stage_seconds"]["total"]
    assert [p["step"] for p in metrics["reward_curve"]] == sorted(p["step"] for p in metrics["reward_curve"])
    success = read_scalars(trained.run_dir / "SimpleAgent").get(SUCCESS_RATE)
    assert (out / "reward_curve.png").read_bytes() == reward_curve_png(RewardCurve.of(metrics, success)), (
        "the figure, drawn while mlagents-learn exited, shows the run's final curve"
    )
    html = trained.report_path.read_text()
    assert "data:image/png;base64," in html and "SimpleAgent" in html
    run = trained.run_dir
    assert list((run / "SimpleAgent").glob("events.out.tfevents.*")), "TensorBoard events are kept"
    assert (run / "SimpleAgent" / "checkpoint.pt").exists()
    assert len(list((run / "SimpleAgent").glob("SimpleAgent-*.pt"))) >= 3, f"checkpoints every {EVERY} steps are kept"


def test_more_players_than_the_cores_serve_become_fewer_players_with_the_same_agents(trained):
    players = json.loads(trained.metrics_path.read_text())["players"]
    assert players["fitted"] and players["cores"] == usable_cores()
    assert players["requested_num_envs"] == TOO_MANY_PLAYERS and players["requested_num_areas"] == 2
    assert players["num_envs"] <= max_players(usable_cores()) < TOO_MANY_PLAYERS
    assert players["num_envs"] * players["num_areas"] == TOO_MANY_PLAYERS * 2
    player_logs = list((trained.run_dir / "run_logs").glob("Player-*.log"))
    assert len(player_logs) == players["num_envs"], "mlagents-learn started the fitted number of players"
    config = yaml.safe_load((trained.out_dir / "trainer_config.yaml").read_text())
    assert config["env_settings"]["num_envs"] == players["num_envs"]
    assert config["env_settings"]["num_areas"] == players["num_areas"]
    assert (
        f"training {players['num_envs']} player(s) of {players['num_areas']} areas"
        in (trained.out_dir / "trainer.log").read_text()
    )


@pytest.mark.parametrize("fit", [True, False])
def test_fit_players_to_cores_false_starts_exactly_num_envs_players(fit, tmp_path, monkeypatch):
    generated, build = make_build(tmp_path, num_envs=TOO_MANY_PLAYERS, num_areas=2, fit_players_to_cores=fit)
    monkeypatch.setenv(
        "MLAGENTS_TRAIN_COMMAND",
        f"{sys.executable} -c \"import sys; print('mlagents-learn started', sys.argv[1]); sys.exit(3)\" {{num_envs}}",
    )
    with pytest.raises(TrainingError) as caught:
        train(build, generated, tmp_path / "training")
    started = int(re.search(r"mlagents-learn started (\d+)", str(caught.value)).group(1))
    assert started == fit_players(TOO_MANY_PLAYERS, 2, usable_cores(), enabled=fit).num_envs
    assert (started < TOO_MANY_PLAYERS) if fit else (started == TOO_MANY_PLAYERS)


def test_a_policy_that_does_not_fit_the_behavior_fails_the_check(trained, small_build, tmp_path):
    spec = BehaviorSpec.load(small_build[0])
    data = spec.to_dict()
    data["observations"][0]["size"] = 16
    data["actions"] = {"continuous_size": 0, "discrete_branches": [3, 3], "meaning": "x"}
    wrong = BehaviorSpec.from_dict(data)
    with pytest.raises(PolicyMismatchError) as caught:
        check_policy(trained.policy_path, wrong)
    message = str(caught.value)
    assert "'obs_0' has shape" in message and "expected [batch, 20]" in message
    assert "'discrete_actions' is missing" in message


def test_interrupted_training_resumes_from_its_checkpoint(tmp_path, trainer_env):
    generated, build = make_build(tmp_path, max_steps=8000, checkpoint_interval=2000, summary_freq=1000)
    out = tmp_path / "training"
    command = [
        sys.executable,
        "-m",
        "mlops_unity_pipeline",
        "train",
        "--build",
        str(build),
        "--generated",
        str(generated),
        "--out",
        str(out),
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    checkpoints = out / "results" / "run" / "SimpleAgent"
    deadline = time.monotonic() + 240
    while not list(checkpoints.glob("SimpleAgent-*.pt")) and time.monotonic() < deadline:
        assert process.poll() is None, "training ended before it could be interrupted"
        time.sleep(0.5)
    saved = sorted(int(p.stem.split("-")[1]) for p in checkpoints.glob("SimpleAgent-*.pt"))
    assert saved, "no checkpoint was written in time"
    os.kill(process.pid, signal.SIGKILL)  # as a preempted VM would: no clean-up at all
    process.wait()
    time.sleep(2)  # mlagents-learn dies with its parent; its players notice and exit

    # Run again from the command line, as a pipeline's retry would, with KFP's executor output.
    executor_output = tmp_path / "executor_output.json"
    rerun = subprocess.run(
        [sys.executable, "-m", "mlops_unity_pipeline", "--executor-output", str(executor_output), *command[3:]],
        capture_output=True,
        text=True,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert "(resumed)" in rerun.stdout
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["steps"] == 8000 and metrics["attempts"] == 2
    artifacts = json.loads(executor_output.read_text())["artifacts"]
    assert artifacts["model"]["artifacts"][0]["uri"] == str(out / "policy.onnx")
    assert artifacts["metrics"]["artifacts"][0]["metadata"]["steps"] == 8000
    assert set(artifacts) == {"training", "model", "metrics", "report"}
    log = (out / "trainer.log").read_text()
    assert "Resuming from" in log or "Resuming training from step" in log
    resumed_steps = [p["step"] for p in metrics["reward_curve"] if p["step"] > saved[0]]
    assert resumed_steps and max(resumed_steps) == 8000


def test_resume_without_a_checkpoint_is_an_error(small_build, tmp_path):
    generated, build = small_build
    with pytest.raises(TrainingError, match="--resume was given but there is no checkpoint"):
        train(build, generated, tmp_path, resume=True)


def test_a_failing_trainer_reports_its_exit_status_and_log(small_build, tmp_path, monkeypatch):
    generated, build = small_build
    monkeypatch.setenv(
        "MLAGENTS_TRAIN_COMMAND",
        f"{sys.executable} -c \"import sys; print('bad config at', sys.argv[1]); sys.exit(3)\" {{config}}",
    )
    with pytest.raises(TrainingError) as caught:
        train(build, generated, tmp_path)
    message = str(caught.value)
    assert "exited with status 3" in message
    assert f"bad config at {tmp_path / 'trainer_config.yaml'}" in message


#: What the stage needs only after mlagents-learn has started (or never, off a terminal).
LOADED_AFTER_THE_START = ("numpy", "matplotlib", "onnx", "google.protobuf", "tqdm", "mlops_unity_pipeline.build.stage")


def test_the_stage_starts_mlagents_learn_before_loading_what_follows_training(small_build, tmp_path):
    """mlagents-learn's start is on every run's critical path: the command line loads none of
    :data:`LOADED_AFTER_THE_START` before it starts the supervised trainer command (here one
    that fails at once, so the stage reports it)."""
    generated, build = small_build
    watch = (
        "import runpy, sys\n"
        "def hook(event, args):\n"
        "    if event == 'subprocess.Popen' and any('process_tree.py' in str(word) for word in args[1]):\n"
        f"        loaded = [m for m in {LOADED_AFTER_THE_START!r} if m in sys.modules]\n"
        "        print('loaded at the start:', loaded, file=sys.stderr, flush=True)\n"
        "sys.addaudithook(hook)\n"
        "sys.argv[0] = 'mlops_unity_pipeline'\n"
        "runpy.run_module('mlops_unity_pipeline', run_name='__main__')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", watch, "train", "--build", str(build), "--generated", str(generated)]
        + ["--out", str(tmp_path / "training"), "--device", "cpu"],
        capture_output=True,
        text=True,
        env={**os.environ, "MLAGENTS_TRAIN_COMMAND": f"{sys.executable} -c 'raise SystemExit(3)'"},
        check=False,
    )
    assert "exited with status 3" in result.stderr, result.stderr[-2000:]
    assert "loaded at the start: []" in result.stderr, result.stderr[-2000:]


def test_an_unknown_placeholder_in_the_train_command_is_named(small_build, tmp_path, monkeypatch):
    generated, build = small_build
    monkeypatch.setenv("MLAGENTS_TRAIN_COMMAND", "mlagents-learn {config} --env {enviroment}")
    with pytest.raises(TrainingError.__mro__[1], match="unknown placeholder 'enviroment'"):
        train(build, generated, tmp_path)


def test_port_reservations_never_overlap(tmp_path):
    with reserve_base_port(8, lock_dir=tmp_path) as first, reserve_base_port(8, lock_dir=tmp_path) as second:
        assert abs(first - second) >= 8
