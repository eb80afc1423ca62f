"""The train stage's TensorBoard reader reads what TensorBoard's own ``EventAccumulator`` reads.

The event files are written in the trainer environment by torch's ``SummaryWriter`` (what mlagents
writes with): a run, a second attempt resumed from an earlier step in a file of its own, and a
record cut short at the end, as a killed writer leaves it; ``EventAccumulator`` reads them there.
It keeps every event of such files in order (torch writes no session-restart marker, so it purges
nothing); the reader keeps, per tag, the points of the latest attempt from its first step on.
The reader runs in both environments the stage runs in: this one (protobuf of the pipeline side)
and the trainer environment (the trainer image's, protobuf 3.20).
"""

from __future__ import annotations

import json
import textwrap

import pytest

from mlops_unity_pipeline.train.tensorboard_scalars import read_scalars

pytestmark = pytest.mark.trainer

WRITE_AND_ACCUMULATE = textwrap.dedent(
    """
    import json, sys
    import numpy
    from pathlib import Path
    from torch.utils.tensorboard import SummaryWriter
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    from mlops_unity_pipeline.train.tensorboard_scalars import read_scalars

    folder = Path(sys.argv[1])
    first = SummaryWriter(str(folder), filename_suffix=".1")
    first.add_text("Hyperparameters", "not a scalar", 0)
    for step in range(1000, 6000, 1000):
        first.add_scalar("Environment/Cumulative Reward", step / 1000, step)
        first.add_scalar("Task/SuccessRate", step / 10000, step)
    first.add_histogram("Policy/Weights", numpy.array([0.1, 0.2, 0.3]), 5000)
    first.close()
    resumed = SummaryWriter(str(folder), filename_suffix=".2")  # its name sorts after the first's
    for step in range(3000, 5000, 1000):
        resumed.add_scalar("Environment/Cumulative Reward", -step / 1000, step)
    resumed.close()
    (last,) = sorted(folder.glob("events.out.tfevents.*.2"))
    with last.open("ab") as cut:
        cut.write(b"\\x40\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00partial")

    accumulator = EventAccumulator(str(folder), size_guidance={"scalars": 0})
    accumulator.Reload()
    theirs = {}
    for tag in sorted(accumulator.Tags()["scalars"]):
        points = {}
        for event in accumulator.Scalars(tag):
            points = {step: value for step, value in points.items() if step < event.step}
            points[event.step] = event.value
        theirs[tag] = [[step, value] for step, value in sorted(points.items())]
    print(json.dumps({"theirs": theirs, "ours_in_trainer_env": read_scalars(folder)}))
    """
)


def test_the_reader_agrees_with_tensorboards_on_a_resumed_run_and_a_cut_record(tmp_path, run_in_trainer_env):
    result = run_in_trainer_env(WRITE_AND_ACCUMULATE, str(tmp_path), timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.splitlines()[-1])
    ours = read_scalars(tmp_path)
    assert ours == found["theirs"]
    assert found["ours_in_trainer_env"] == found["theirs"]
    assert sorted(ours) == ["Environment/Cumulative Reward", "Task/SuccessRate"], "only scalars are read"
    reward = ours["Environment/Cumulative Reward"]
    assert [step for step, _ in reward] == [1000, 2000, 3000, 4000]
    assert reward[-1][1] == -4.0, "the resumed attempt's points replace the first attempt's from its step on"


def test_a_folder_without_events_has_no_scalars(tmp_path):
    assert read_scalars(tmp_path / "missing") == {}
