"""Every new kind of action layout trains with the real mlagents-learn against its stand-in player.

Branches [3, 2] (turn, forward), [2, 2, 2, 2] (forward, back, right, left keys) and [7] (six
directions), and continuous actions of size 1 and 4 (forward, strafe, turn, sprint): each is
generated, built and trained for a tiny budget; the exported ONNX policy has the BehaviorSpec's
shapes and, run on an observation, gives actions of the right width and within every branch.
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from action_spaces import ACTION_SPACES

from mlops_unity_pipeline.behavior import BehaviorSpec
from mlops_unity_pipeline.onnx_policy import (
    ACTION_MASKS_INPUT,
    DETERMINISTIC_CONTINUOUS_OUTPUT,
    DETERMINISTIC_DISCRETE_OUTPUT,
    OBSERVATION_INPUT,
    check_policy,
)
from tests.conftest import TINY_PPO

TRAINED = ["d3-2-turn", "d2-2-2-2-keys", "d7", "c1", "c4-turn"]
PPO = {**TINY_PPO, "reward_signals": {"extrinsic": {"gamma": 0.99, "strength": 1.0}}}
#: Areas in the one player: TINY_PPO's 1,024 steps in 32 decisions (the test needs an export, not stepping).
AREAS = 32


@pytest.mark.slow
@pytest.mark.parametrize("case", [case for case in ACTION_SPACES if case.name in TRAINED], ids=lambda case: case.name)
def test_the_layout_trains_and_exports_a_policy_of_its_shape(case, player_for, learn, base_port, tmp_path):
    asset = tmp_path / "asset.yaml"
    asset.write_text(
        yaml.safe_dump(
            {
                "asset_id": f"layout-{case.name}",
                "name": "Layout Walker",
                "description": "Reach the target",
                "action_space": case.action_space,
            }
        )
    )
    rl = tmp_path / "rl.yaml"
    rl.write_text(f"max_steps: 2048\nnum_areas: {AREAS}\n")  # codegen needs a valid config; learn gets PPO below
    executable = player_for(asset, rl, tmp_path)
    spec = BehaviorSpec.load(tmp_path / "generated")
    result = learn({"behaviors": {spec.behavior_name: PPO}}, executable, base_port, "--num-areas", str(AREAS))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    policy = tmp_path / "results" / "run" / f"{spec.behavior_name}.onnx"
    check_policy(policy, spec)

    import onnxruntime

    session = onnxruntime.InferenceSession(str(policy), providers=["CPUExecutionProvider"])
    feeds = {OBSERVATION_INPUT: np.zeros((5, spec.observation_size), dtype=np.float32)}
    branches = spec.actions.discrete_branches
    if branches:
        feeds[ACTION_MASKS_INPUT] = np.ones((5, sum(branches)), dtype=np.float32)
        (actions,) = session.run([DETERMINISTIC_DISCRETE_OUTPUT], feeds)
        assert actions.shape == (5, len(branches))
        assert ((actions >= 0) & (actions < np.array(branches))).all()
    else:
        (actions,) = session.run([DETERMINISTIC_CONTINUOUS_OUTPUT], feeds)
        assert actions.shape == (5, spec.actions.continuous_size)
