"""The evaluate stage on stand-in builds: real ONNX policies, the real simulation, seeded episodes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from mlops_unity_pipeline.behavior import BehaviorSpec
from mlops_unity_pipeline.build import build
from mlops_unity_pipeline.codegen.manifest import sha256_file
from mlops_unity_pipeline.evaluate.stage import EvaluationError, evaluate
from mlops_unity_pipeline.evaluate.standin_episodes import run_standin_episodes
from mlops_unity_pipeline.evaluation_report import EvaluationReport
from mlops_unity_pipeline.layouts import EvaluationLayout
from mlops_unity_pipeline.onnx_policy import OnnxPolicy, PolicyMismatchError

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def reacher(tmp_path, codegen_dir, monkeypatch):
    """A codegen output and its stand-in build for a reach task with short episodes."""
    monkeypatch.setenv("MLOPS_BUILD_CACHE", str(tmp_path / "build-cache"))
    generated = codegen_dir("Reacher", max_episode_steps=120)
    build(generated, tmp_path / "build", backend="standin")
    return generated, tmp_path / "build", BehaviorSpec.load(generated)


def seeker_weights(spec: BehaviorSpec, gain: float) -> np.ndarray:
    """A policy that steers straight at the goal: action (x, z) = tanh(gain × target_direction)."""
    weights = np.zeros((spec.observation_size, spec.actions.continuous_size))
    goal = spec.observation_offsets()["target_direction"]
    weights[goal.start, 0] = weights[goal.start + 1, 1] = gain
    return weights


def test_a_goal_seeking_policy_scores_better_than_one_that_stands_still(tmp_path, reacher, onnx_policy):
    generated, player, spec = reacher
    seeker = onnx_policy(spec, tmp_path / "seeker.onnx", weights=seeker_weights(spec, 50.0))
    still = onnx_policy(spec, tmp_path / "still.onnx", weights=seeker_weights(spec, 0.0))

    good = evaluate(seeker, player, generated, 20, tmp_path / "good").metrics
    idle = evaluate(still, player, generated, 20, tmp_path / "idle").metrics
    assert good["success_rate"] > 0.9 and idle["success_rate"] == 0.0
    assert good["mean_reward"] > idle["mean_reward"]
    assert good["mean_episode_length"] < idle["mean_episode_length"] == 120.0
    assert idle["std_episode_length"] == 0.0


def test_the_report_is_complete_consistent_and_seeded(tmp_path, reacher, onnx_policy):
    generated, player, spec = reacher
    model = onnx_policy(spec, tmp_path / "policy.onnx", seed=3)
    report = evaluate(model, player, generated, 13, tmp_path / "a", seed=7)
    document = json.loads(EvaluationLayout(tmp_path / "a").metrics_path.read_text())

    assert document["model_sha256"] == sha256_file(model) and document["backend"] == "standin"
    assert document["behavior_name"] == "Reacher" and document["seed"] == 7 and document["episodes"] == 13
    episodes = document["per_episode"]
    assert len(episodes) == 13 and all(1 <= e["length"] <= 120 for e in episodes)
    rewards = [e["reward"] for e in episodes]
    assert document["metrics"]["mean_reward"] == pytest.approx(np.mean(rewards))
    assert document["metrics"]["std_reward"] == pytest.approx(np.std(rewards))
    assert document["metrics"]["success_rate"] == pytest.approx(np.mean([e["success"] for e in episodes]))
    assert document["metrics"]["onnx_matches_behavior"] is True

    again = evaluate(model, player, generated, 13, tmp_path / "b", seed=7)
    other = evaluate(model, player, generated, 13, tmp_path / "c", seed=8)
    assert again.to_dict() == report.to_dict() and other.episodes != report.episodes


def test_a_policy_for_another_behaviour_is_refused(tmp_path, reacher, codegen_dir, onnx_policy):
    generated, player, _ = reacher
    other = BehaviorSpec.load(codegen_dir("Walker", action_space={"type": "discrete", "branches": [3, 3]}))
    with pytest.raises(PolicyMismatchError, match="does not match behavior Reacher"):
        evaluate(onnx_policy(other, tmp_path / "walker.onnx"), player, generated, 5, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_bad_arguments_are_clear_errors(tmp_path, reacher, onnx_policy):
    generated, player, spec = reacher
    model = onnx_policy(spec, tmp_path / "policy.onnx")
    with pytest.raises(EvaluationError, match="episodes is 0; give a whole number >= 1"):
        evaluate(model, player, generated, 0, tmp_path / "out")
    with pytest.raises(EvaluationError, match="seed is -1; give a whole number >= 0"):
        evaluate(model, player, generated, 1, tmp_path / "out", seed=-1)
    with pytest.raises(EvaluationError, match="backend 'gpu' is not one of auto, standin, unity"):
        evaluate(model, player, generated, 1, tmp_path / "out", backend="gpu")
    with pytest.raises(EvaluationError, match="build_info.json: not found"):
        evaluate(model, generated, generated, 1, tmp_path / "out")


def test_evaluate_then_register_on_the_command_line(tmp_path, reacher, onnx_policy):
    generated, player, spec = reacher
    model = onnx_policy(spec, tmp_path / "training" / "policy.onnx", weights=seeker_weights(spec, 50.0))
    (tmp_path / "training" / "metrics.json").write_text(json.dumps({"final_mean_reward": 0.9}))

    def cli(*args) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mlops_unity_pipeline", *map(str, args)],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    evaluated = cli(
        "evaluate",
        "--model",
        model,
        "--build",
        player,
        "--generated",
        generated,
        "--episodes",
        8,
        "--out",
        tmp_path / "evaluation",
    )
    assert evaluated.returncode == 0, evaluated.stderr
    assert evaluated.stdout.startswith("Reacher: mean reward ") and "over 8 episodes (standin)" in evaluated.stdout
    registered = cli(
        "register",
        "--model",
        model,
        "--generated",
        generated,
        "--training",
        tmp_path / "training",
        "--evaluation",
        tmp_path / "evaluation",
        "--job-id",
        "job-1",
        "--model-name",
        "reacher",
        "--registry",
        tmp_path / "registry",
    )
    assert registered.returncode == 0, registered.stderr
    assert registered.stdout.strip() == (tmp_path / "registry" / "reacher" / "versions" / "1").as_uri()


@pytest.mark.trainer
def test_the_player_path_drives_a_build_through_mlagents_envs(tmp_path, reacher, onnx_policy, trainer_env):
    """The Unity path, end to end: mlagents_envs in the trainer environment launches the player over gRPC."""
    generated, player, spec = reacher
    seeker = onnx_policy(spec, tmp_path / "seeker.onnx", weights=seeker_weights(spec, 50.0))
    report = evaluate(seeker, player, generated, 6, tmp_path / "out", backend="unity")
    assert report.backend == "unity" and len(report.episodes) == 6
    assert all(1 <= episode.length <= 120 for episode in report.episodes)
    assert report.metrics["success_rate"] > 0.8 and report.metrics["mean_reward"] > 0


@pytest.mark.trainer
def test_a_build_that_does_not_match_its_behaviour_is_refused_at_the_handshake(
    tmp_path, reacher, codegen_dir, onnx_policy, trainer_env
):
    """The player declares 12 observations; behavior.json and the policy say 14: the handshake catches it."""
    _, player, _ = reacher
    wider = codegen_dir("Reacher", max_episode_steps=120, observation_space={"raycast": 10, "velocity": 2})
    policy = onnx_policy(BehaviorSpec.load(wider), tmp_path / "wider.onnx")
    with pytest.raises(EvaluationError) as caught:
        evaluate(policy, player, wider, 2, tmp_path / "out", backend="unity")
    assert "input 'obs_0' has shape ['batch', 14]; expected [batch, 12]" in str(caught.value)


def test_a_policy_trained_by_the_pipeline_beats_standing_still(tmp_path, onnx_policy):
    """The stand-in evaluation of a policy mlagents-learn trained (see tests/serving/data)."""
    trained = REPO_ROOT / "tests" / "serving" / "data" / "simple_agent_trained"
    spec = BehaviorSpec.load(trained)
    still = OnnxPolicy(onnx_policy(spec, tmp_path / "still.onnx", weights=seeker_weights(spec, 0.0)), spec)
    learnt = EvaluationReport(
        "SimpleAgent",
        "-",
        "standin",
        0,
        tuple(run_standin_episodes(spec, OnnxPolicy(trained / "model.onnx", spec), 32, 0)),
    )
    idle = EvaluationReport("SimpleAgent", "-", "standin", 0, tuple(run_standin_episodes(spec, still, 32, 0)))
    assert learnt.metrics["success_rate"] > 0.2 > idle.metrics["success_rate"]
    assert learnt.metrics["mean_reward"] > idle.metrics["mean_reward"]
