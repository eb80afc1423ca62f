"""The paired quality gate end to end: the evaluate stage runs the candidate and the registry's champion
on the same seeded episodes of the stand-in, and the register stage decides on the paired differences.

The policies are real: the quick-start policy mlagents-learn trained (tests/serving/data) and copies of
it made worse by shifting the bias of its action output (see tests/trained_policy.py).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from trained_policy import TRAINED, degraded_copy

from mlops_unity_pipeline.behavior import BehaviorSpec
from mlops_unity_pipeline.build import build
from mlops_unity_pipeline.codegen import generate
from mlops_unity_pipeline.evaluate.stage import evaluate
from mlops_unity_pipeline.evaluate.standin_episodes import run_standin_episodes
from mlops_unity_pipeline.onnx_policy import OnnxPolicy
from mlops_unity_pipeline.registry import FileRegistry, register_model
from mlops_unity_pipeline.registry.destination import Destination
from mlops_unity_pipeline.registry.quality_gate import DEFAULT_GATE, Champion, GateSettings, decide
from mlops_unity_pipeline.specs import RLTrainingConfig, UnityAssetSpec

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def quickstart(tmp_path_factory):
    """The quick-start asset's codegen output and stand-in build (what the trained policy was trained in)."""
    root = tmp_path_factory.mktemp("quickstart")
    asset = UnityAssetSpec.load(REPO_ROOT / "examples" / "simple_agent" / "asset_spec.yaml")
    generate(asset, RLTrainingConfig.load(TRAINED / "rl_config.yaml"), root / "generated")
    build(root / "generated", root / "build", backend="standin")
    return root / "generated", root / "build"


@pytest.fixture
def pipeline(tmp_path, quickstart):
    """``run(job_id, model, episodes, seed, gate)``: evaluate against the registry's champion, then
    register, as the orchestrator does; returns the registration."""
    generated, player = quickstart
    registry = tmp_path / "registry"

    def run(job_id: str, model: Path, episodes: int, seed: int, gate: GateSettings = DEFAULT_GATE):
        folder = tmp_path / job_id
        training = folder / "training"
        training.mkdir(parents=True)
        shutil.copy(model, training / "policy.onnx")
        (training / "metrics.json").write_text(json.dumps({"steps": 100000}))
        champion = Destination(registry_dir=registry).registry().champion_model("quickstart", folder / "champion")
        evaluate(
            training / "policy.onnx", player, generated, episodes, folder / "evaluation", seed=seed, champion=champion
        )
        return register_model(
            training / "policy.onnx",
            generated,
            training,
            folder / "evaluation",
            job_id=job_id,
            model_name="quickstart",
            registry_dir=registry,
            gate=gate,
            out=folder / "registration",
        )

    run.registry = FileRegistry(registry)
    return run


def true_mean_rewards(*models: Path, episodes: int = 2000) -> list[float]:
    """Each policy's mean reward over many episodes: what "truly better" means here."""
    spec = BehaviorSpec.load(TRAINED)
    return [
        float(np.mean([e.reward for e in run_standin_episodes(spec, OnnxPolicy(m, spec), episodes, 99)]))
        for m in models
    ]


def test_a_slightly_worse_candidate_that_wins_on_its_own_episodes_is_refused(tmp_path, pipeline):
    worse = degraded_copy(tmp_path / "worse.onnx", 0.2)
    trained_mean, worse_mean = true_mean_rewards(TRAINED / "model.onnx", worse)
    assert worse_mean < trained_mean, "the degraded copy is truly worse"

    champion = pipeline("job-1", TRAINED / "model.onnx", 20, seed=3)
    assert champion.promoted and champion.quality_gate["method"] == "no champion"
    held = pipeline("job-2", worse, 20, seed=0)

    metadata = pipeline.registry.get("quickstart", 2).metadata
    own_mean = metadata["evaluation_metrics"]["mean_reward"]
    assert own_mean > pipeline.registry.get("quickstart", 1).metadata["evaluation_metrics"]["mean_reward"], (
        "on its own episodes the worse policy scores higher than the champion did on its own"
    )
    stored = pipeline.registry.get("quickstart", 1).metadata
    unpaired = decide(
        {key: value for key, value in metadata.items() if key != "champion_evaluation"},
        Champion("1", stored["evaluation_metrics"], stored["files"]["model.onnx"]),
    )
    assert unpaired.promoted and unpaired.method == "unpaired", "comparing stored means would promote it"

    gate = held.quality_gate
    assert not held.promoted and gate["method"] == "paired" and gate["champion_version"] == "1"
    interval = gate["paired"]["mean_difference"]
    assert interval["low"] <= interval["estimate"] < 0 and interval["high"] <= 0
    assert pipeline.registry.get("quickstart", "champion").version == 1
    champion_side = metadata["champion_evaluation"]
    assert champion_side["version"] == "1" and len(champion_side["per_episode"]) == len(metadata["per_episode"]) == 20


def test_a_truly_better_candidate_is_promoted(tmp_path, pipeline):
    worse = degraded_copy(tmp_path / "worse.onnx", 0.3)
    trained_mean, worse_mean = true_mean_rewards(TRAINED / "model.onnx", worse)
    assert trained_mean > worse_mean

    pipeline("job-1", worse, 200, seed=0)
    better = pipeline("job-2", TRAINED / "model.onnx", 200, seed=0)

    gate = better.quality_gate
    assert better.promoted and gate["method"] == "paired", gate["reason"]
    assert (
        gate["paired"]["mean_difference"]["low"] > 0 and gate["paired"]["probability_of_improvement"]["estimate"] > 0.5
    )
    assert gate["reason"].startswith("paired over 200 episodes: mean_reward ")
    assert pipeline.registry.get("quickstart", "champion").version == 2

    report = (tmp_path / "job-2" / "registration" / "quality_gate.html").read_text()
    assert "promoted to champion" in report and "Mean difference (95% interval)" in report
    assert "data:image/png;base64," in report
    assert (tmp_path / "job-2" / "registration" / "quality_gate.png").read_bytes().startswith(b"\x89PNG")


def test_two_identical_policies_are_never_promoted_over_twenty_seeds(tmp_path, pipeline):
    pipeline("job-0", TRAINED / "model.onnx", 20, seed=100)
    copy = shutil.copy(TRAINED / "model.onnx", tmp_path / "copy.onnx")
    decisions = [pipeline(f"job-{seed}", copy, 20, seed=seed).quality_gate for seed in range(1, 21)]
    assert [d["promoted"] for d in decisions] == [False] * 20
    assert {d["method"] for d in decisions} == {"paired"}
    assert pipeline.registry.get("quickstart", "champion").version == 1


def test_too_few_episodes_floors_and_a_changed_champion_hold_a_candidate(tmp_path, pipeline):
    worse = degraded_copy(tmp_path / "worse.onnx", 0.3)
    pipeline("job-1", worse, 10, seed=0)
    few = pipeline("job-2", TRAINED / "model.onnx", 10, seed=0)
    assert not few.promoted and few.quality_gate["reason"] == "only 10 paired episodes; the gate needs at least 20"

    floored = pipeline("job-3", TRAINED / "model.onnx", 200, seed=0, gate=GateSettings(floors={"success_rate": 0.99}))
    assert not floored.promoted and floored.quality_gate["reason"].startswith("success_rate 0.9")
    assert "is below the floor 0.99 (and paired over 200 episodes" in floored.quality_gate["reason"]

    evaluated_against_1 = pipeline.registry.get("quickstart", 3).metadata
    stale = decide(evaluated_against_1, Champion("7", evaluated_against_1["evaluation_metrics"], "0" * 64))
    assert not stale.promoted and stale.method == "stale"
    assert "ran champion version 1, but the champion is now version 7" in stale.reason


def test_with_no_champion_the_floors_still_apply(tmp_path, pipeline):
    worse = degraded_copy(tmp_path / "worse.onnx", 0.5)
    held = pipeline("job-1", worse, 50, seed=0, gate=GateSettings(floors={"success_rate": 0.8}))
    assert not held.promoted and held.quality_gate["method"] == "no champion"
    assert held.quality_gate["reason"].endswith("is below the floor 0.8 (and no champion yet)")
    assert pipeline.registry.champion("quickstart") is None


def test_the_command_line_compares_with_the_champion_and_reports_it_to_kfp(tmp_path, quickstart):
    """evaluate --model-name reads the champion from the registry; both commands' KFP outputs carry the comparison."""
    generated, player = quickstart
    registry, worse = tmp_path / "registry", degraded_copy(tmp_path / "training-1" / "policy.onnx", 0.3)
    training = tmp_path / "training-2"
    training.mkdir()
    shutil.copy(TRAINED / "model.onnx", training / "policy.onnx")
    for folder in (worse.parent, training):
        (folder / "metrics.json").write_text(json.dumps({"steps": 100000}))

    def cli(*args) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mlops_unity_pipeline", *map(str, args)],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    for number, folder in ((1, worse.parent), (2, training)):
        evaluated = cli(
            "--executor-output",
            tmp_path / f"evaluate-{number}.json",
            "evaluate",
            "--model",
            folder / "policy.onnx",
            "--build",
            player,
            "--generated",
            generated,
            "--episodes",
            200,
            "--out",
            tmp_path / f"evaluation-{number}",
            "--model-name",
            "quickstart",
            "--registry",
            registry,
        )
        assert evaluated.returncode == 0, evaluated.stderr
        registered = cli(
            "--executor-output",
            tmp_path / f"register-{number}.json",
            "register",
            "--model",
            folder / "policy.onnx",
            "--generated",
            generated,
            "--training",
            folder,
            "--evaluation",
            tmp_path / f"evaluation-{number}",
            "--job-id",
            f"job-{number}",
            "--model-name",
            "quickstart",
            "--registry",
            registry,
            "--out",
            tmp_path / f"registration-{number}",
        )
        assert registered.returncode == 0, registered.stderr

    alone = cli(
        "evaluate",
        "--model",
        worse,
        "--build",
        player,
        "--generated",
        generated,
        "--episodes",
        5,
        "--out",
        tmp_path / "alone",
        "--model-name",
        "other",
        "--registry",
        registry,
    )
    assert "other has no champion yet: evaluating the candidate alone" in alone.stderr
    assert "champion version 1 on the same episodes: mean reward " in evaluated.stdout
    metrics = json.loads((tmp_path / "evaluate-2.json").read_text())["artifacts"]["metrics"]["artifacts"][0]["metadata"]
    assert metrics["champion_mean_reward"] < metrics["mean_reward"] and "champion_success_rate" in metrics
    assert "promoted to champion: paired over 200 episodes: mean_reward " in registered.stderr
    summary = json.loads((tmp_path / "register-2.json").read_text())["artifacts"]["registration"]["artifacts"][0]
    numbers = summary["metadata"]
    assert numbers["promoted"] is True and numbers["gate_method"] == "paired" and numbers["gate_episodes"] == 200
    assert 0 < numbers["gate_interval_low"] < numbers["gate_mean_difference"] < numbers["gate_interval_high"]
