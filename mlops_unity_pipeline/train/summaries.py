"""Reading mlagents-learn's own summary lines (the numbers it also writes to TensorBoard).

Every ``summary_freq`` steps mlagents logs, per behaviour::

    [INFO] SimpleAgent. Step: 5000. Time Elapsed: 12.345 s. Mean Reward: -0.123. Std of Reward: 0.456. Training.

These lines are the one place mlagents reports the reward's standard deviation, and they
survive a resumed run in an appended log, so the reward curve and the final and best
rewards are taken from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SUMMARY_LINE = re.compile(
    r"\[INFO\] (?P<behavior>[A-Za-z0-9_]+)\. Step: (?P<step>\d+)\. Time Elapsed: [\d.]+ s\."
    r"(?: Mean Reward: (?P<mean>-?[\d.]+(?:e-?\d+)?)\. Std of Reward: (?P<std>[\d.]+(?:e-?\d+)?)\.)?"
)

#: What mlagents-learn logs when training is over and it has copied a behaviour's last export to
#: ``<results>/<run-id>/<behavior>.onnx``, its final policy: ``[INFO] Copied <export> to <final>.``
_FINAL_POLICY_COPIED = "[INFO] Copied "


def copied_final_policy(line: str, behavior: str) -> bool:
    """Whether ``line`` says that ``behavior``'s final policy has been written."""
    return line.startswith(_FINAL_POLICY_COPIED) and line.rstrip().endswith(f"/{behavior}.onnx.")


@dataclass(frozen=True)
class Summary:
    """One summary line: the step and the reward statistics."""

    behavior: str
    step: int
    mean_reward: float | None
    std_reward: float | None


def parse_summary(line: str) -> Summary | None:
    match = SUMMARY_LINE.search(line)
    if not match:
        return None
    mean, std = match.group("mean"), match.group("std")
    return Summary(
        behavior=match.group("behavior"),
        step=int(match.group("step")),
        mean_reward=float(mean) if mean is not None else None,
        std_reward=float(std) if std is not None else None,
    )


def parse_summaries(text: str, behavior: str) -> list[Summary]:
    """Every summary of ``behavior`` in a log, in step order, the latest line winning per step."""
    by_step: dict[int, Summary] = {}
    for line in text.splitlines():
        summary = parse_summary(line)
        if summary and summary.behavior == behavior:
            by_step[summary.step] = summary
    return [by_step[step] for step in sorted(by_step)]
