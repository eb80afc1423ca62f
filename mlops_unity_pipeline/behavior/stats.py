"""The statistics an episode's end records (``Task/*``): the generated Agent sends them through
ML-Agents' StatsRecorder, the stand-in through the stats side channel, and training and
evaluation read them back by these names.
"""

from __future__ import annotations

from dataclasses import dataclass

SUCCESS_RATE = "Task/SuccessRate"
EPISODE_LENGTH = "Task/EpisodeLength"
#: Summed per summary period, so the run's total episode count can be read from TensorBoard.
EPISODES = "Task/Episodes"


@dataclass(frozen=True)
class EpisodeStat:
    """One statistic: its name, what it measures (``success``: 1 or 0, ``length``: decisions,
    ``count``: 1) and how ML-Agents aggregates it (a ``StatAggregationMethod`` name)."""

    name: str
    measures: str
    aggregation: str


#: Recorded once per ended episode, in this order.
EPISODE_STATS = (
    EpisodeStat(SUCCESS_RATE, "success", "Average"),
    EpisodeStat(EPISODE_LENGTH, "length", "Average"),
    EpisodeStat(EPISODES, "count", "Sum"),
)


def episode_values(success: bool, length: int) -> list[tuple[EpisodeStat, float]]:
    """The values :data:`EPISODE_STATS` take for one ended episode."""
    measured = {"success": 1.0 if success else 0.0, "length": float(length), "count": 1.0}
    return [(stat, measured[stat.measures]) for stat in EPISODE_STATS]
