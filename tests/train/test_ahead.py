"""The train stage draws the reward curve while mlagents-learn exits, and never keeps a stale figure.

Lines as mlagents 1.1.0 logs them go to :class:`WorkAhead`, with the log file written as the
stage writes it; the figure drawing is the real one, counted by a wrapper around it.
"""

from __future__ import annotations

from contextlib import closing

import pytest

from mlops_unity_pipeline.train import ahead as ahead_module
from mlops_unity_pipeline.train.ahead import WorkAhead
from mlops_unity_pipeline.train.metrics import reward_curve
from mlops_unity_pipeline.train.report import RewardCurve, reward_curve_png
from mlops_unity_pipeline.train.summaries import copied_final_policy, parse_summaries

RUN = "/work/out/results/run"
LINES = [
    "[INFO] SimpleAgent. Step: 1000. Time Elapsed: 1.0 s. Mean Reward: -0.500. Std of Reward: 0.300. Training.\n",
    "[INFO] SimpleAgent. Step: 2000. Time Elapsed: 2.0 s. Mean Reward: 0.250. Std of Reward: 0.200. Training.\n",
    f"[INFO] Exported {RUN}/SimpleAgent/SimpleAgent-2000.onnx\n",
    f"[INFO] Copied {RUN}/SimpleAgent/SimpleAgent-2000.onnx to {RUN}/SimpleAgent.onnx.\n",
]
LATE_SUMMARY = (
    "[INFO] SimpleAgent. Step: 3000. Time Elapsed: 3.0 s. Mean Reward: 0.900. Std of Reward: 0.100. Training.\n"
)


@pytest.fixture
def drawings(monkeypatch):
    """Every curve the stage draws, in order (the drawing itself is the real one)."""
    drawn: list[RewardCurve] = []

    def counted(curve: RewardCurve) -> bytes:
        drawn.append(curve)
        return reward_curve_png(curve)

    monkeypatch.setattr(ahead_module, "reward_curve_png", counted)
    return drawn


def follow(lines: list[str], log_path, work: WorkAhead) -> None:
    with log_path.open("a", encoding="utf-8") as log:
        for line in lines:
            log.write(line)
            log.flush()
            work.see(line)


def final_curve(log_path) -> RewardCurve:
    summaries = parse_summaries(log_path.read_text(), "SimpleAgent")
    return RewardCurve("SimpleAgent", "ppo", reward_curve(summaries), None)


def test_the_figure_drawn_when_the_final_policy_is_copied_is_the_report(tmp_path, drawings):
    log_path = tmp_path / "trainer.log"
    with closing(WorkAhead("SimpleAgent", "ppo", log_path, tmp_path / "no-events")) as work:
        follow(LINES, log_path, work)
        curve = final_curve(log_path)
        png = work.reward_curve_png(curve)
    assert drawings == [curve], "drawn once, ahead, and that drawing used"
    assert png == reward_curve_png(curve)


def test_a_curve_that_changed_after_the_drawing_is_drawn_again(tmp_path, drawings):
    log_path = tmp_path / "trainer.log"
    with closing(WorkAhead("SimpleAgent", "ppo", log_path, tmp_path / "no-events")) as work:
        follow(LINES, log_path, work)
        work.reward_curve_png(final_curve(log_path))  # waits for the drawing ahead
        follow([LATE_SUMMARY], log_path, work)
        curve = final_curve(log_path)
        png = work.reward_curve_png(curve)
    assert [len(drawn.points) for drawn in drawings] == [2, 3]
    assert png == reward_curve_png(curve)


def test_without_the_final_copy_nothing_is_drawn_ahead(tmp_path, drawings):
    log_path = tmp_path / "trainer.log"
    with closing(WorkAhead("SimpleAgent", "ppo", log_path, tmp_path / "no-events")) as work:
        follow(LINES[:-1], log_path, work)
        assert drawings == []
        work.reward_curve_png(final_curve(log_path))
    assert len(drawings) == 1


@pytest.mark.parametrize(
    ("line", "final"),
    [
        (LINES[-1], True),
        (f"[INFO] Copied {RUN}/OtherSimpleAgent/OtherSimpleAgent-9.onnx to {RUN}/OtherSimpleAgent.onnx.\n", False),
        (f"[INFO] Exported {RUN}/SimpleAgent/SimpleAgent-2000.onnx\n", False),
        (f"[INFO] Copied {RUN}/SimpleAgent/SimpleAgent-2000.pt to {RUN}/SimpleAgent.pt.\n", False),
    ],
)
def test_only_the_behaviours_final_copy_ends_training(line, final):
    assert copied_final_policy(line, "SimpleAgent") is final
