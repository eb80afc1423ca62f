"""The rule that fits a run's players to the machine's cores (no training: the layout alone)."""

from __future__ import annotations

import pytest

from mlops_unity_pipeline.build.generated import GeneratedOutput
from mlops_unity_pipeline.codegen import generate
from mlops_unity_pipeline.specs import RLTrainingConfig, UnityAssetSpec
from mlops_unity_pipeline.train.players import apply_layout, fit_players


@pytest.mark.parametrize(
    ("num_envs", "num_areas", "cores", "expected"),
    [
        (8, 8, 2, (1, 64)),  # the quick start on 2 cores: one player, every agent kept
        (2, 32, 2, (1, 64)),
        (8, 8, 4, (2, 32)),  # 3 players would serve 4 cores, but 64 agents do not split in 3
        (8, 8, 9, (8, 8)),  # enough cores: unchanged
        (7, 1, 3, (1, 7)),
        (1, 8, 1, (1, 8)),
    ],
)
def test_players_beyond_the_cores_become_areas_of_fewer_players(num_envs, num_areas, cores, expected):
    layout = fit_players(num_envs, num_areas, cores)
    assert (layout.num_envs, layout.num_areas) == expected
    assert layout.fitted == (expected[0] != num_envs)
    assert layout.num_envs * layout.num_areas == num_envs * num_areas


def test_the_switch_off_keeps_the_config_as_it_is():
    config = {"behaviors": {}, "env_settings": {"num_envs": 8, "num_areas": 8, "seed": 3}}
    layout = apply_layout(config, enabled=False, cores=2)
    assert not layout.fitted and config["env_settings"] == {"num_envs": 8, "num_areas": 8, "seed": 3}
    apply_layout(config, enabled=True, cores=2)
    assert config["env_settings"] == {"num_envs": 1, "num_areas": 64, "seed": 3}


def test_a_user_config_without_env_settings_is_not_changed():
    config = {"behaviors": {}}
    assert not apply_layout(config, enabled=True, cores=2).fitted and config == {"behaviors": {}}


@pytest.mark.parametrize("fit", [True, False])
def test_codegen_carries_the_switch_to_the_train_stage(fit, tmp_path):
    asset = UnityAssetSpec(asset_id="r-1", name="Reacher")
    generate(asset, RLTrainingConfig(max_steps=3000, fit_players_to_cores=fit), tmp_path)
    assert GeneratedOutput.load(tmp_path).fit_players_to_cores is fit
