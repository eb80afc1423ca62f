"""Paired bootstrap statistics of a candidate against the champion on the same episodes.

Both policies ran the same seeded episodes (the same start states), so each episode gives one
difference ``candidate - champion`` in which the luck of the start state cancels. The episodes
are resampled with replacement as pairs (percentile bootstrap) to give confidence intervals of
the mean difference, of the difference of interquartile means (IQM, the 25 % trimmed mean
rliable recommends as robust to outlier episodes) and of the probability of improvement
(the share of episodes the candidate does better, ties counting half). The resamples come
from ``numpy.random.default_rng(seed)``, so the same inputs and seed give the same numbers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

#: Bootstrap resamples; the interval's ends move by well under 1 % of its width between seeds.
DEFAULT_RESAMPLES = 10_000
#: Resamples drawn at once, to bound memory with many episodes.
_CHUNK = 1_000


@dataclass(frozen=True)
class Interval:
    """An estimate from the episodes themselves and its two-sided bootstrap confidence interval."""

    estimate: float
    low: float
    high: float


@dataclass(frozen=True)
class PairedComparison:
    """What the paired episodes say about ``candidate - champion`` at one confidence level."""

    episodes: int
    confidence: float
    resamples: int
    seed: int
    mean_difference: Interval
    iqm_difference: Interval
    probability_of_improvement: Interval

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def compare_paired(
    candidate: np.ndarray | list[float],
    champion: np.ndarray | list[float],
    *,
    confidence: float,
    seed: int,
    resamples: int = DEFAULT_RESAMPLES,
) -> PairedComparison:
    """Bootstrap the paired per-episode values ``candidate[i]`` and ``champion[i]`` (same episode ``i``)."""
    candidate, champion = np.asarray(candidate, dtype=float), np.asarray(champion, dtype=float)
    if candidate.shape != champion.shape or candidate.ndim != 1 or not len(candidate):
        raise ValueError(
            f"paired values need two equally long, non-empty lists; got {candidate.shape} and {champion.shape}"
        )
    rng = np.random.default_rng(seed)
    statistics = {"mean": [], "iqm": [], "improvement": []}
    for start in range(0, resamples, _CHUNK):
        rows = rng.integers(0, len(candidate), size=(min(_CHUNK, resamples - start), len(candidate)))
        for name, values in _statistics(candidate[rows], champion[rows]).items():
            statistics[name].append(values)
    observed = _statistics(candidate[None, :], champion[None, :])
    tail = (1.0 - confidence) / 2.0

    def interval(name: str) -> Interval:
        low, high = np.quantile(np.concatenate(statistics[name]), [tail, 1.0 - tail])
        return Interval(float(observed[name][0]), float(low), float(high))

    return PairedComparison(
        len(candidate), confidence, resamples, seed, interval("mean"), interval("iqm"), interval("improvement")
    )


def interquartile_mean(values: np.ndarray) -> np.ndarray:
    """The mean of the middle half of each row (``scipy.stats.trim_mean(values, 0.25, axis=-1)``)."""
    count = values.shape[-1]
    cut = int(0.25 * count)
    return np.sort(values, axis=-1)[..., cut : count - cut].mean(axis=-1)


def _statistics(candidate: np.ndarray, champion: np.ndarray) -> dict[str, np.ndarray]:
    """Each row's mean difference, IQM difference and probability of improvement."""
    return {
        "mean": (candidate - champion).mean(axis=-1),
        "iqm": interquartile_mean(candidate) - interquartile_mean(champion),
        "improvement": ((candidate > champion) + 0.5 * (candidate == champion)).mean(axis=-1),
    }
