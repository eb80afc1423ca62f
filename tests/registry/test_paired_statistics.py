"""The paired bootstrap: seeded, centred on the episodes' own numbers, and right on cases worked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from mlops_unity_pipeline.registry.paired_statistics import compare_paired, interquartile_mean


def test_the_same_seed_gives_the_same_intervals_and_another_seed_nearly_the_same():
    rng = np.random.default_rng(0)
    champion = rng.normal(1.0, 0.5, 200)
    candidate = champion + rng.normal(0.05, 0.1, 200)
    first = compare_paired(candidate, champion, confidence=0.95, seed=1)
    assert compare_paired(candidate, champion, confidence=0.95, seed=1) == first
    other = compare_paired(candidate, champion, confidence=0.95, seed=2)
    assert other.mean_difference.estimate == first.mean_difference.estimate
    assert other.mean_difference.low == pytest.approx(first.mean_difference.low, abs=0.005)
    difference = candidate - champion
    half_width = 1.96 * difference.std() / np.sqrt(len(difference))  # the normal approximation, for comparison
    assert first.mean_difference.low == pytest.approx(difference.mean() - half_width, abs=0.005)
    assert first.mean_difference.low < difference.mean() < first.mean_difference.high
    narrower = compare_paired(candidate, champion, confidence=0.5, seed=1).mean_difference
    assert first.mean_difference.low < narrower.low < narrower.high < first.mean_difference.high


def test_identical_sides_give_a_zero_interval_and_even_odds():
    values = np.linspace(0.0, 1.0, 30)
    result = compare_paired(values, values, confidence=0.95, seed=0)
    assert (result.mean_difference.low, result.mean_difference.high) == (0.0, 0.0)
    assert result.iqm_difference.estimate == 0.0
    assert result.probability_of_improvement.estimate == 0.5


def test_interquartile_mean_and_probability_of_improvement_by_hand():
    assert interquartile_mean(np.array([100.0, 1.0, 2.0, 3.0, 4.0, -50.0, 5.0, 6.0])) == 3.5
    result = compare_paired([1.0, 1.0, 0.0, 0.0], [0.0, 1.0, 0.0, 1.0], confidence=0.9, seed=0)
    assert result.probability_of_improvement.estimate == (1 + 0.5 + 0.5 + 0) / 4
    assert result.mean_difference.estimate == 0.0 and result.episodes == 4


def test_unpaired_inputs_are_refused():
    with pytest.raises(ValueError, match="two equally long, non-empty lists"):
        compare_paired([1.0, 2.0], [1.0], confidence=0.95, seed=0)
