"""The codegen stage as a whole: outputs, determinism, manifest, the committed examples."""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mlops_unity_pipeline import RLTrainingConfig, SpecValidationError, UnityAssetSpec
from mlops_unity_pipeline.codegen import generate
from mlops_unity_pipeline.codegen.manifest import sha256_file

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = ["simple_agent", "patrol_agent"]


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_input_gives_byte_identical_output(tmp_path):
    asset = UnityAssetSpec(asset_id="d-1", name="Det", description="Collect items and avoid obstacles")
    config = RLTrainingConfig(algorithm="SAC", hyperparameters={"tau": 0.01})
    generate(asset, config, tmp_path / "a")
    generate(UnityAssetSpec.from_dict(asset.to_dict()), RLTrainingConfig.from_dict(config.to_dict()), tmp_path / "b")
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")


def test_manifest_hashes_every_file_and_the_normalised_inputs(tmp_path):
    asset = UnityAssetSpec(asset_id="m-1", name="Man")
    result = generate(asset, RLTrainingConfig(), tmp_path)
    manifest = json.loads(result.manifest_path.read_text())
    written = {p for p in tree_bytes(tmp_path) if p != "manifest.json"}
    assert set(manifest["files"]) == written
    for name, digest in manifest["files"].items():
        assert sha256_file(tmp_path / name) == digest
    again = generate(
        UnityAssetSpec(asset_id="m-1", name="Man", asset_type="behavior"), RLTrainingConfig(), tmp_path / "x"
    )
    changed = generate(asset, RLTrainingConfig(max_steps=3000), tmp_path / "y")
    assert again.manifest["inputs_sha256"] == manifest["inputs_sha256"] != changed.manifest["inputs_sha256"]
    assert manifest["unity"]["execute_method"] == "UnityMLOps.Generated.ManBuildScript.PerformBuild"
    assert (tmp_path / manifest["unity"]["assets_dir"] / "Scripts" / "ManAgent.cs").is_file()


def test_bad_input_leaves_earlier_output_untouched(tmp_path):
    generate(UnityAssetSpec(asset_id="k-1", name="Keep"), RLTrainingConfig(), tmp_path)
    before = tree_bytes(tmp_path)
    with pytest.raises(SpecValidationError):
        generate(UnityAssetSpec(asset_id="k-1", name="Keep", task=["reach", "collect"]), RLTrainingConfig(), tmp_path)
    assert tree_bytes(tmp_path) == before


def test_trainer_config_follows_the_rl_config(tmp_path):
    config = RLTrainingConfig(
        algorithm="PPO",
        max_steps=100_000,
        num_envs=8,
        time_scale=20.0,
        num_areas=4,
        seed=7,
        use_offline_rl=True,
        demonstrations_path="/data/expert.demo",
        gail_strength=0.05,
        hyperparameters={"batch_size": 128, "learning_rate": 1e-3},
        network_settings={"hidden_units": 64},
    )
    result = generate(UnityAssetSpec(asset_id="t-1", name="SimpleAgent"), config, tmp_path)
    document = yaml.safe_load(result.trainer_config_path.read_text())
    behavior = document["behaviors"]["SimpleAgent"]
    assert behavior["trainer_type"] == "ppo" and behavior["max_steps"] == 100_000
    assert behavior["hyperparameters"]["batch_size"] == 128 and behavior["hyperparameters"]["learning_rate"] == 1e-3
    assert behavior["hyperparameters"]["num_epoch"] == 4
    assert behavior["network_settings"]["hidden_units"] == 64
    assert behavior["behavioral_cloning"]["demo_path"] == "/data/expert.demo"
    assert behavior["reward_signals"]["gail"]["demo_path"] == "/data/expert.demo"
    assert document["env_settings"] == {"num_envs": 8, "num_areas": 4, "seed": 7}
    assert document["engine_settings"] == {"time_scale": 20.0, "no_graphics": True}


@pytest.mark.parametrize("example", EXAMPLES)
def test_committed_examples_are_current(tmp_path, example):
    folder = REPO / "examples" / example
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mlops_unity_pipeline",
            "codegen",
            "--asset-spec",
            str(folder / "asset_spec.yaml"),
            "--rl-config",
            str(folder / "rl_config.yaml"),
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "wrote 5 files" in result.stdout
    comparison = filecmp.dircmp(folder / "generated", tmp_path)
    assert tree_bytes(folder / "generated") == tree_bytes(tmp_path), f"run 'make examples': {comparison.diff_files}"


@pytest.mark.trainer
def test_trainer_configs_load_with_mlagents_run_options(tmp_path, run_in_trainer_env):
    """mlagents' own settings loader accepts every generated variant (PPO, SAC, POCA, offline RL)."""
    variants = {
        "ppo": RLTrainingConfig(),
        "sac": RLTrainingConfig(algorithm="SAC", hyperparameters={"buffer_init_steps": 500}),
        "poca": RLTrainingConfig(algorithm="POCA", network_settings={"normalize": True}),
        "offline": RLTrainingConfig(
            use_offline_rl=True, demonstrations_path=str(tmp_path / "x.demo"), gail_strength=0.05
        ),
    }
    paths = []
    for name, config in variants.items():
        result = generate(UnityAssetSpec(asset_id="r-1", name="Runner"), config, tmp_path / name)
        paths.append(str(result.trainer_config_path))
    code = """
import sys
from mlagents.trainers.learn import parse_command_line
for path in sys.argv[1:]:
    # Exactly what mlagents-learn does with its config argument (plugins registered, RunOptions built).
    options = parse_command_line([path])
    settings = options.behaviors["Runner"]
    print(path, type(settings.hyperparameters).__name__, options.env_settings.num_envs,
          settings.behavioral_cloning is not None, sorted(k.value for k in settings.reward_signals))
"""
    result = run_in_trainer_env(code, *paths)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "PPOSettings" in lines[0] and "SACSettings" in lines[1] and "POCASettings" in lines[2]
    assert lines[3].endswith("True ['extrinsic', 'gail']")


def test_offline_rl_uses_behavioral_cloning_and_adds_gail_only_when_asked(tmp_path):
    asset = UnityAssetSpec(asset_id="o-1", name="Offline")
    plain = generate(asset, RLTrainingConfig(use_offline_rl=True, demonstrations_path="d.demo"), tmp_path / "a")
    behavior = yaml.safe_load(plain.trainer_config_path.read_text())["behaviors"]["Offline"]
    assert behavior["behavioral_cloning"] == {"demo_path": "d.demo", "strength": 0.5, "steps": 250_000}
    assert list(behavior["reward_signals"]) == ["extrinsic"]
