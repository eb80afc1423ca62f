"""Choosing one of several training seeds for the gate, and gating it on fresh episodes.

The policies are real: the quick-start policy mlagents-learn trained (tests/serving/data) and copies
of it made worse by shifting its action bias (tests/trained_policy.py), each in a folder laid out as
the train stage leaves it, with the seed it was "trained" with in its effective trainer config.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from trained_policy import TRAINED, degraded_copy

from mlops_unity_pipeline import UnityMLOpsOrchestrator
from mlops_unity_pipeline.build import build
from mlops_unity_pipeline.codegen import generate
from mlops_unity_pipeline.errors import SpecValidationError
from mlops_unity_pipeline.evaluate.stage import evaluate
from mlops_unity_pipeline.evaluation_report import read_report
from mlops_unity_pipeline.registry import register_model
from mlops_unity_pipeline.seeds import MAX_TRAINING_SEEDS, training_seeds
from mlops_unity_pipeline.seeds.selection import (
    SELECTION_EPISODE_SEED,
    SeedSelectionError,
    choose,
    read_selection,
    select_seed,
)
from mlops_unity_pipeline.specs import RLTrainingConfig, UnityAssetSpec

REPO_ROOT = Path(__file__).resolve().parents[2]
EPISODES = 20


@pytest.fixture(scope="module")
def quickstart(tmp_path_factory):
    """The quick-start asset's codegen output and stand-in build (what the trained policy was trained in)."""
    root = tmp_path_factory.mktemp("quickstart")
    asset = UnityAssetSpec.load(REPO_ROOT / "examples" / "simple_agent" / "asset_spec.yaml")
    generate(asset, RLTrainingConfig.load(TRAINED / "rl_config.yaml"), root / "generated")
    build(root / "generated", root / "build", backend="standin")
    return root / "generated", root / "build"


def training_folder(folder: Path, model: Path, seed: int) -> Path:
    """A train stage's output folder holding ``model``, trained (as its effective config says) with ``seed``."""
    folder.mkdir(parents=True)
    shutil.copy(model, folder / "policy.onnx")
    (folder / "metrics.json").write_text(json.dumps({"steps": 100000, "behavior_name": "SimpleAgent"}))
    (folder / "trainer_config.yaml").write_text(yaml.safe_dump({"env_settings": {"seed": seed}}))
    return folder


@pytest.fixture
def three_seeds(tmp_path) -> list[Path]:
    """Seeds 7, 8, 9: the trained policy, a worse copy and a much worse copy."""
    worse, worst = degraded_copy(tmp_path / "worse.onnx", 0.3), degraded_copy(tmp_path / "worst.onnx", 0.6)
    return [
        training_folder(tmp_path / "seeds" / str(k) / "training", model, 7 + k)
        for k, model in enumerate([worse, TRAINED / "model.onnx", worst])
    ]


def stand_in(quickstart):
    generated, player = quickstart
    return lambda model, out, seed: evaluate(model, player, generated, EPISODES, out, seed=seed)


def test_the_rules_pick_the_best_or_the_middle_seed_and_ties_go_to_the_first() -> None:
    assert choose([0.2, 0.9, 0.5], "best") == 1
    assert choose([0.2, 0.9, 0.5], "median") == 2
    assert choose([0.4, 0.1, 0.3, 0.2], "median") == 3  # an even count: the lower of the two middle ones
    assert choose([0.5, 0.5, 0.1], "best") == 0 and choose([0.7], "median") == 0
    with pytest.raises(SeedSelectionError, match="'mean' is not one of best, median"):
        choose([0.1, 0.2], "mean")


def test_seeds_count_up_from_the_configs_and_a_random_seed_stays_random() -> None:
    assert training_seeds(42, 3) == [42, 43, 44]
    assert training_seeds(-1, 2) == [-1, -1]
    assert training_seeds(2**31 - 1, 2) == [2**31 - 1, 0]


def test_every_seed_runs_the_same_selection_episodes_and_the_rule_chooses(tmp_path, quickstart, three_seeds) -> None:
    best = select_seed(three_seeds, stand_in(quickstart), tmp_path / "best", rule="best", metric="mean_reward")
    median = select_seed(three_seeds, stand_in(quickstart), tmp_path / "median", rule="median", metric="mean_reward")

    assert best.chosen_seed.training_seed == 8 and best.policy_path == three_seeds[1] / "policy.onnx"
    assert median.chosen_seed.training_seed == 7
    rewards = [seed.metrics["mean_reward"] for seed in best.seeds]
    assert rewards[1] > rewards[0] > rewards[2]
    for k in range(3):
        report = read_report(tmp_path / "best" / str(k))
        assert (report["seed"], report["episodes"]) == (SELECTION_EPISODE_SEED, EPISODES)
    document = read_selection(tmp_path / "best")
    assert document["chosen"] == 1 and [s["training_seed"] for s in document["seeds"]] == [7, 8, 9]
    assert document["reason"].startswith("best of 3 training seeds by mean_reward on 20 selection episodes")


def test_the_gate_runs_the_chosen_seed_on_other_episodes_and_the_registry_keeps_every_seed(
    tmp_path, quickstart, three_seeds
) -> None:
    generated, player = quickstart
    selection = select_seed(
        three_seeds, stand_in(quickstart), tmp_path / "selection", rule="best", metric="mean_reward"
    )
    chosen = selection.chosen_seed.training
    document = read_selection(tmp_path / "selection")
    gate = evaluate(chosen / "policy.onnx", player, generated, EPISODES, tmp_path / "evaluation", selection=document)

    selection_episodes = read_report(tmp_path / "selection" / str(selection.chosen))["per_episode"]
    gate_episodes = read_report(tmp_path / "evaluation")["per_episode"]
    assert gate.seed != SELECTION_EPISODE_SEED
    assert gate_episodes != selection_episodes, "the same policy on the same start states would repeat its results"

    registration = register_model(
        chosen / "policy.onnx",
        generated,
        chosen,
        tmp_path / "evaluation",
        job_id="job-1",
        model_name="quickstart",
        registry_dir=tmp_path / "registry",
        out=tmp_path / "reg",
    )
    metadata = json.loads((Path(registration.uri.removeprefix("file://")) / "metadata.json").read_text())
    recorded = metadata["seed_selection"]
    assert recorded["episode_seed"] != metadata["evaluation"]["seed"] == 0
    assert [s["metrics"]["mean_reward"] for s in recorded["seeds"]] == [
        s.metrics["mean_reward"] for s in selection.seeds
    ]
    assert recorded["seeds"][recorded["chosen"]]["model_sha256"] == metadata["files"]["model.onnx"]
    page = (tmp_path / "reg" / "quality_gate.html").read_text()
    assert "Training seed 8 (chosen)" in page and "Training seed 9" in page and "best of 3 training seeds" in page


def test_an_evaluation_on_the_selection_episodes_or_of_another_seed_is_refused(tmp_path, quickstart, three_seeds):
    generated, player = quickstart
    select_seed(three_seeds, stand_in(quickstart), tmp_path / "selection", rule="best", metric="mean_reward")
    document = read_selection(tmp_path / "selection")
    with pytest.raises(SeedSelectionError, match="chosen on the episodes of seed 1, the same the gate's"):
        evaluate(
            three_seeds[1] / "policy.onnx",
            player,
            generated,
            EPISODES,
            tmp_path / "same",
            seed=SELECTION_EPISODE_SEED,
            selection=document,
        )
    with pytest.raises(SeedSelectionError, match="is not the seed the selection chose .training seed 8"):
        evaluate(three_seeds[0] / "policy.onnx", player, generated, EPISODES, tmp_path / "other", selection=document)
    assert not (tmp_path / "same").exists() and not (tmp_path / "other").exists()


def test_one_seed_is_not_evaluated_and_leaves_the_evaluation_as_it_was(tmp_path, quickstart, three_seeds):
    generated, player = quickstart
    single = select_seed(three_seeds[:1], stand_in(quickstart), tmp_path / "one", rule="median", metric="mean_reward")
    assert single.reason == "one training seed: nothing to choose" and single.chosen_seed.metrics is None
    assert not (tmp_path / "one" / "0").exists()
    evaluate(
        three_seeds[0] / "policy.onnx",
        player,
        generated,
        EPISODES,
        tmp_path / "evaluation",
        seed=SELECTION_EPISODE_SEED,
        selection=read_selection(tmp_path / "one"),
    )
    assert "seed_selection" not in read_report(tmp_path / "evaluation")


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"training_seeds": 0}, "training_seeds: 0 is not allowed; give a whole number from 1 to 16"),
        ({"training_seeds": MAX_TRAINING_SEEDS + 1}, "training_seeds: 17 is not allowed"),
        ({"training_seeds": "3"}, "training_seeds: '3' is not allowed"),
        ({"training_seeds": True}, "training_seeds: True is not allowed"),
        ({"seed_selection": "mean"}, "seed_selection: 'mean' is not one of best, median"),
    ],
)
def test_bad_seed_settings_are_refused_naming_the_field(tmp_path, options, expected) -> None:
    with pytest.raises(SpecValidationError, match=expected.replace("(", r"\(")):
        UnityMLOpsOrchestrator(work_dir=tmp_path, **options)


def test_the_command_line_selects_a_seed_and_evaluates_it_on_other_episodes(tmp_path, quickstart, three_seeds):
    """The README's select-seed and evaluate --selection commands, as written there."""
    generated, player = quickstart

    def command(*args: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mlops_unity_pipeline", *map(str, args)],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )

    trainings = [word for seed in three_seeds for word in ("--training", seed)]
    chosen = command(
        "select-seed",
        *trainings,
        "--build",
        player,
        "--generated",
        generated,
        "--episodes",
        20,
        "--rule",
        "best",
        "--out",
        tmp_path / "selection",
    )
    assert chosen.returncode == 0, chosen.stderr
    assert chosen.stdout.startswith("best of 3 training seeds by mean_reward") and "training seed 8" in chosen.stdout
    model = three_seeds[1] / "policy.onnx"
    evaluated = command(
        "evaluate",
        "--model",
        model,
        "--build",
        player,
        "--generated",
        generated,
        "--episodes",
        20,
        "--out",
        tmp_path / "evaluation",
        "--selection",
        tmp_path / "selection",
    )
    assert evaluated.returncode == 0, evaluated.stderr
    assert read_report(tmp_path / "evaluation")["seed_selection"]["chosen"] == 1
    refused = command(
        "evaluate",
        "--model",
        model,
        "--build",
        player,
        "--generated",
        generated,
        "--episodes",
        20,
        "--seed",
        SELECTION_EPISODE_SEED,
        "--out",
        tmp_path / "again",
        "--selection",
        tmp_path / "selection",
    )
    assert refused.returncode == 2 and refused.stderr.startswith("error: the seed was chosen on the episodes of seed 1")
    assert "Traceback" not in refused.stderr
