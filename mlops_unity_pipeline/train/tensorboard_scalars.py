"""Print the TensorBoard scalars of an mlagents run as JSON (runs in the trainer environment).

``python -m mlops_unity_pipeline.train.tensorboard_scalars RUN_DIR/BEHAVIOR`` reads every
events file there (a resumed run adds one per attempt) with TensorBoard's own reader and
prints ``{tag: [[step, value], ...]}``. TensorBoard lives only in the trainer environment, so
the train stage runs this module there rather than importing TensorBoard itself. With ``-`` for
the folder, it imports TensorBoard first and then reads the folder from its standard input: the
train stage starts it with mlagents-learn, so the import is done when training ends.
"""

from __future__ import annotations

import json
import sys


def read_scalars(directory: str) -> dict[str, list[list[float]]]:
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    if directory == "-":
        directory = sys.stdin.readline().strip()
    accumulator = EventAccumulator(directory, size_guidance={"scalars": 0})
    accumulator.Reload()
    series: dict[str, list[list[float]]] = {}
    for tag in accumulator.Tags()["scalars"]:
        by_step = {event.step: event.value for event in accumulator.Scalars(tag)}
        series[tag] = [[step, by_step[step]] for step in sorted(by_step)]
    return series


if __name__ == "__main__":
    json.dump(read_scalars(sys.argv[1]), sys.stdout)
