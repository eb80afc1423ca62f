"""Validation refuses what cannot run, at the edge, with the field named; nothing is written."""

from __future__ import annotations

import math
import subprocess
import sys
import time

import pytest
import yaml

from mlops_unity_pipeline import (
    RLTrainingConfig,
    SpecValidationError,
    TrainingJob,
    TrainingSchedule,
    UnityAssetSpec,
    UnityMLOpsOrchestrator,
)
from mlops_unity_pipeline.behavior import BehaviorSpec
from tests.conftest import run_cli

from .conftest import REPO_ROOT, SIMPLE_AGENT, assert_clear_error

ASSET = {"asset_id": "a-1", "name": "SimpleAgent"}


@pytest.mark.parametrize(
    ("rl_yaml", "message"),
    [
        ("time_scale: .nan", "rl_config.time_scale: nan is not allowed; numbers must be finite"),
        ("gamma: .nan", "rl_config.gamma: nan is not allowed; numbers must be finite"),
        ("gamma: -.inf", "rl_config.gamma: -inf is not allowed"),
        ("hyperparameters: {learning_rate: .inf}", "rl_config.hyperparameters.learning_rate: inf is not allowed"),
        ("max_steps: 10", "rl_config.max_steps: 10 is too few: PPO first updates the policy after 2048 steps"),
        ("max_steps: 500", "give max_steps >= 2048, or lower buffer_size in hyperparameters"),
        ("{algorithm: SAC, max_steps: 200}", "SAC first updates the policy after 1000 steps (buffer_init_steps)"),
        ("{max_steps: 5000, summary_freq: 9000}", "rl_config.summary_freq: 9000 is more than max_steps 5000"),
    ],
)
def test_run_refuses_rl_configs_that_cannot_train(rl_yaml, message, tmp_path):
    job = tmp_path / "job.yaml"
    job.write_text(yaml.safe_dump({"job_id": "j-1", "asset_spec": ASSET, "rl_config": yaml.safe_load(rl_yaml)}))
    result = run_cli("run", job, "--work-dir", tmp_path / "work")
    assert_clear_error(result, message)
    assert not (tmp_path / "work").exists()


def test_a_small_budget_is_fine_when_the_buffer_is_smaller_too():
    RLTrainingConfig(max_steps=600, hyperparameters={"buffer_size": 512, "batch_size": 64})


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: TrainingJob(job_id="nl\n", asset_spec=UnityAssetSpec(**ASSET)), "job_id"),
        (lambda: UnityAssetSpec(asset_id="a-1\n", name="X"), "asset_id"),
        (
            lambda: TrainingSchedule(
                schedule_id="s\n", cron_expression="0 2 * * *", asset_specs=[UnityAssetSpec(**ASSET)]
            ),
            "schedule_id",
        ),
        (lambda: TrainingJob.from_dict({"job_id": "ok\n", "asset_spec": ASSET}), "job_id"),
    ],
)
def test_ids_with_a_trailing_newline_are_refused(build, field):
    with pytest.raises(SpecValidationError) as caught:
        build()
    assert [problem.path for problem in caught.value.problems] == [field]
    assert "\\n" in str(caught.value)


@pytest.mark.parametrize("name", ["Ägent", "Øgent", "Agent²", "Straße Agent"])
def test_names_that_would_lose_letters_are_refused(name, tmp_path):
    spec = tmp_path / "asset.yaml"
    spec.write_text(yaml.safe_dump({"asset_id": "a-1", "name": name}, allow_unicode=True), encoding="utf-8")
    result = run_cli("codegen", "--asset-spec", spec, "--out", tmp_path / "out")
    assert_clear_error(result, "name:", "outside ASCII", "spell the name with A-Z")
    assert not (tmp_path / "out").exists()


def test_names_that_stay_are_distinct_behaviours(codegen_dir):
    names = {BehaviorSpec.load(codegen_dir(name)).behavior_name for name in ("gent", "Agent", "A_gent", "Simple2")}
    assert names == {"Gent", "Agent", "AGent", "Simple2"}


def test_a_schedule_whose_job_ids_would_be_too_long_is_refused():
    with pytest.raises(SpecValidationError, match=r"asset_specs\[1\]\.asset_id: .* of 136 characters; at most 128"):
        TrainingSchedule(
            schedule_id="s" * 60,
            cron_expression="0 2 * * *",
            asset_specs=[UnityAssetSpec(asset_id="short", name="A"), UnityAssetSpec(asset_id="a" * 60, name="B")],
        )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"eval_episodes": 0}, "eval_episodes: 0 is not allowed; give a whole number >= 1"),
        ({"eval_episodes": 2.5}, "eval_episodes: 2.5 is not allowed"),
        ({"build_backend": "magic"}, "build_backend: 'magic' is not one of auto, unity, standin"),
        ({"champion_margin": math.nan}, "champion_margin: nan is not allowed; give a finite number >= 0"),
        ({"champion_margin": -1}, "champion_margin: -1 is not allowed"),
        ({"webhook_url": "not a url"}, "webhook_url: 'not a url' is not an http:// or https:// URL with a host"),
        ({"webhook_url": "ftp://host/x"}, "webhook_url: 'ftp://host/x' is not an http://"),
        ({"model_name": "bad name"}, "model_name: 'bad name' is not allowed"),
        ({"approval_timeout_s": 0}, "approval_timeout_s: 0 is not allowed"),
    ],
)
def test_the_orchestrator_checks_its_options_when_it_is_made(options, message, tmp_path):
    with pytest.raises(SpecValidationError, match="invalid input in UnityMLOpsOrchestrator") as caught:
        UnityMLOpsOrchestrator(work_dir=tmp_path / "work", **options)
    assert message in str(caught.value)
    assert not (tmp_path / "work").exists()


def test_the_command_line_reports_orchestrator_options_without_a_traceback(tmp_path):
    job = tmp_path / "job.yaml"
    TrainingJob(job_id="j", asset_spec=UnityAssetSpec(**ASSET), rl_config=RLTrainingConfig(max_steps=3000)).dump(job)
    result = run_cli(
        "run",
        job,
        "--work-dir",
        tmp_path / "w",
        "--eval-episodes",
        "0",
        "--webhook-url",
        "nope",
        "--training-seeds",
        "17",
    )
    assert_clear_error(
        result,
        "eval_episodes: 0 is not allowed",
        "webhook_url: 'nope'",
        "training_seeds: 17 is not allowed; give a whole number from 1 to 16",
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: TrainingJob(job_id="j", asset_spec=dict(ASSET)),
            "asset_spec: a dict is not a UnityAssetSpec; pass UnityAssetSpec(...)",
        ),
        (
            lambda: TrainingJob(job_id="j", asset_spec=UnityAssetSpec(**ASSET), rl_config={"max_steps": 3000}),
            "rl_config: a dict is not a RLTrainingConfig",
        ),
        (
            lambda: TrainingSchedule(schedule_id="s", cron_expression="0 2 * * *", asset_specs=[dict(ASSET)]),
            "asset_specs[0]: a dict is not a UnityAssetSpec",
        ),
        (lambda: TrainingJob(job_id="j"), "asset_spec: is required"),
        (
            lambda: UnityAssetSpec(asset_id="a", name="X", colour="red"),
            "colour: unknown field; allowed: asset_id, name",
        ),
        (lambda: RLTrainingConfig(max_step=3000), "max_step: unknown field"),
        (
            lambda: UnityAssetSpec("a", "X", "behavior", "", {}, {}, None, None, [], None, "extra"),
            "takes at most 10 positional arguments",
        ),
    ],
)
def test_api_misuse_is_a_spec_validation_error(make, message):
    with pytest.raises(SpecValidationError) as caught:
        make()
    assert message in str(caught.value)


BOMB = (
    "\n".join(
        ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        + [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
        + ["asset_id: x", "name: X"]
    )
    + "\n"
)


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path):
    spec = tmp_path / "bomb.yaml"
    spec.write_text(BOMB)
    assert len(BOMB) < 600
    started = time.monotonic()
    result = run_cli("codegen", "--asset-spec", spec, "--out", tmp_path / "out", timeout=60)
    assert time.monotonic() - started < 30
    assert_clear_error(result, "aliases expand to more than 100000 nodes")
    assert not (tmp_path / "out").exists()


def test_a_recursive_alias_is_refused(tmp_path):
    spec = tmp_path / "loop.yaml"
    spec.write_text("asset_id: x\nname: X\ntags: &t [*t]\n")
    assert_clear_error(run_cli("codegen", "--asset-spec", spec, "--out", tmp_path / "out"), "cannot be recursive")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--param", "eval_episodes=abc"], "eval_episodes: 'abc' is not of type integer"),
        (["--param", "no_such_parameter=1"], "no_such_parameter: unknown field(s)"),
        (["--param", "eval_episodes=["], "eval_episodes: '[' is not a YAML value"),
        (["--parameters", "/nonexistent/params.yaml"], "cannot read file"),
    ],
)
def test_compiling_alone_checks_the_parameters_it_is_given(argv, message, tmp_path):
    result = subprocess.run(
        [sys.executable, "compile.py", "--output", str(tmp_path / "p.yaml"), *argv],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
        timeout=300,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert message in result.stderr, result.stderr
    assert not (tmp_path / "p.yaml").exists()


def test_compiling_alone_does_not_need_the_assets_a_run_needs(tmp_path):
    result = subprocess.run(
        [sys.executable, "compile.py", "--output", str(tmp_path / "p.yaml"), "--param", "eval_episodes=5"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "p.yaml").is_file()
    assert SIMPLE_AGENT.is_dir()
