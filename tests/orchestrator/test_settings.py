"""``OrchestratorSettings``: the orchestrator's options, taken by the Python API and the run/schedule commands alike."""

from __future__ import annotations

import dataclasses

import pytest

from mlops_unity_pipeline.cli import build_parser
from mlops_unity_pipeline.cli.orchestrator_options import settings_from
from mlops_unity_pipeline.orchestrator import UnityMLOpsOrchestrator
from mlops_unity_pipeline.settings import OrchestratorSettings

#: Fields the command line sets from elsewhere than an option: the environment, or stderr.
NOT_OPTIONS = {"progress", "webhook_secret"}


def test_the_guides_keyword_arguments_and_positions_make_the_same_settings(tmp_path):
    by_keyword = UnityMLOpsOrchestrator(
        vertex_project="my-gcp-project", vertex_region="europe-west4", work_dir=tmp_path, eval_episodes=7
    )
    by_position = UnityMLOpsOrchestrator("my-gcp-project", "europe-west4", work_dir=tmp_path, eval_episodes=7)
    whole = UnityMLOpsOrchestrator(
        settings=OrchestratorSettings("my-gcp-project", "europe-west4", work_dir=tmp_path, eval_episodes=7)
    )
    assert by_keyword.settings == by_position.settings == whole.settings
    assert by_keyword.settings.vertex_region == "europe-west4" and by_keyword.settings.eval_episodes == 7


def test_only_the_first_two_settings_may_be_given_by_position():
    with pytest.raises(TypeError):
        UnityMLOpsOrchestrator("p", "us-central1", "runs")


def test_an_unknown_option_is_named():
    with pytest.raises(TypeError, match="eval_episode"):
        UnityMLOpsOrchestrator(eval_episode=3)


def test_settings_and_their_fields_together_are_refused():
    with pytest.raises(TypeError, match="not both"):
        UnityMLOpsOrchestrator(settings=OrchestratorSettings(), eval_episodes=3)


@pytest.mark.parametrize("command", ["run", "schedule"])
def test_the_commands_defaults_are_the_settings_defaults(command, monkeypatch):
    monkeypatch.delenv("MLOPS_WEBHOOK_URL", raising=False)
    args = build_parser().parse_args([command, "file.yaml"])
    given, defaults = settings_from(args), OrchestratorSettings()
    for field in dataclasses.fields(OrchestratorSettings):
        if field.name not in NOT_OPTIONS:
            assert getattr(given, field.name) == getattr(defaults, field.name), field.name


def test_the_commands_options_set_the_settings_fields(monkeypatch):
    monkeypatch.setenv("MLOPS_WEBHOOK_SECRET", "s3cret")
    args = build_parser().parse_args(
        [
            "run",
            "job.yaml",
            "--backend",
            "standin",
            "--vertex-region",
            "europe-west4",
            "--eval-episodes",
            "7",
            "--champion-margin",
            "0.5",
            "--gate-confidence",
            "0.9",
            "--gate-min-episodes",
            "5",
            "--floor",
            "success_rate=0.8",
            "--work-dir",
            "w",
            "--webhook-url",
            "http://127.0.0.1:9/hook",
        ]
    )
    settings = settings_from(args)
    assert (settings.build_backend, settings.vertex_region, settings.eval_episodes, settings.work_dir) == (
        "standin",
        "europe-west4",
        7,
        "w",
    )
    assert (settings.champion_margin, settings.gate_confidence, settings.gate_min_episodes, settings.gate_floors) == (
        0.5,
        0.9,
        5,
        {"success_rate": 0.8},
    )
    assert (settings.webhook_url, settings.webhook_secret) == ("http://127.0.0.1:9/hook", "s3cret")
