"""The quality gate: a new version becomes ``champion`` only if it beats the champion by a margin.

Every version is registered whatever the gate says; the gate only moves the ``champion`` alias
(and, on Vertex AI, the default version). The decision, with its numbers, is stored in the
new version's metadata so that anyone can see later why a version was or was not promoted.

When the evaluation ran the current champion on the candidate's own seeded episodes, the gate
decides on the paired differences (see :mod:`.paired_statistics`): the candidate is promoted
only if there are at least ``min_episodes`` pairs and the lower end of the ``confidence``
bootstrap interval of the mean difference is above ``margin``. An evaluation that did not run
the champion can only be compared with the champion's stored number from its own, other
episodes (``method: unpaired``), which luck decides more often; an evaluation that ran an
earlier champion is not compared at all. A candidate below one of the ``floors`` (absolute
minimums of its own metrics, such as the success rate) is never promoted, champion or not.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from ..errors import RegistryError
from .paired_statistics import compare_paired

CHAMPION_ALIAS = "champion"
DEFAULT_METRIC = "mean_reward"
DEFAULT_MARGIN = 0.0
DEFAULT_CONFIDENCE = 0.95
DEFAULT_MIN_EPISODES = 20
#: The per-episode value behind each metric the paired gate can compare.
PAIRED_VALUES = {"mean_reward": "reward", "success_rate": "success"}


@dataclass(frozen=True)
class GateSettings:
    """How the gate decides: the metric, the margin it must clear, the confidence, the floors."""

    margin: float = DEFAULT_MARGIN
    metric: str = DEFAULT_METRIC
    confidence: float = DEFAULT_CONFIDENCE
    min_episodes: int = DEFAULT_MIN_EPISODES
    floors: Mapping[str, float] = field(default_factory=dict)

    def checked(self) -> GateSettings:
        """These settings, or a :class:`RegistryError` naming the bad one and what is allowed."""
        check_margin(self.margin)
        if not isinstance(self.metric, str) or not self.metric:
            raise RegistryError(f"gate metric {self.metric!r} is not allowed; give a metric name such as mean_reward")
        if not isinstance(self.confidence, (int, float)) or not 0.0 < self.confidence < 1.0:
            raise RegistryError(
                f"gate confidence {self.confidence!r} is not allowed; give a number between 0 and 1, "
                f"such as {DEFAULT_CONFIDENCE}"
            )
        if isinstance(self.min_episodes, bool) or not isinstance(self.min_episodes, int) or self.min_episodes < 1:
            raise RegistryError(f"gate minimum episodes {self.min_episodes!r} is not allowed; give a whole number >= 1")
        for name, minimum in self.floors.items():
            if isinstance(minimum, bool) or not isinstance(minimum, (int, float)) or not math.isfinite(minimum):
                raise RegistryError(f"floor for {name!r} is {minimum!r}; give a finite number")
        return self


#: The settings a registration uses unless given others.
DEFAULT_GATE = GateSettings()


@dataclass(frozen=True)
class Champion:
    """The current champion as the registry knows it: version, stored metrics, the hash of its ONNX file."""

    version: str
    metrics: dict[str, Any]
    model_sha256: str


@dataclass(frozen=True)
class GateDecision:
    """Whether a candidate replaces the champion, and the numbers that decided it.

    ``candidate`` and ``champion`` are the metric of each side (on the same episodes when
    ``method`` is ``paired``, whose bootstrap intervals are in ``paired``); ``floors`` maps each
    floor's metric to its minimum and the candidate's value.
    """

    metric: str
    margin: float
    candidate: float
    champion: float | None
    champion_version: str | None
    promoted: bool
    reason: str
    method: str = "no champion"
    floors: dict[str, dict[str, float]] = field(default_factory=dict)
    paired: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_margin(margin: float) -> float:
    """A margin is a finite, non-negative number in the metric's own unit."""
    if isinstance(margin, bool) or not isinstance(margin, (int, float)) or not math.isfinite(margin) or margin < 0:
        raise RegistryError(f"champion margin {margin!r} is not allowed; give a finite number >= 0")
    return float(margin)


def metric_value(metrics: dict[str, Any], metric: str, where: str) -> float:
    """The gate metric from an evaluation's metrics; a missing or non-numeric one is an error."""
    value = metrics.get(metric)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        numeric = sorted(k for k, v in metrics.items() if isinstance(v, (int, float)) and not isinstance(v, bool))
        raise RegistryError(
            f"{where}: evaluation metric {metric!r} is {value!r}; the quality gate needs a finite number "
            f"(numeric metrics there: {', '.join(numeric) or 'none'})"
        )
    return float(value)


def decide(
    candidate: Mapping[str, Any], champion: Champion | None, settings: GateSettings = DEFAULT_GATE
) -> GateDecision:
    """Decide on ``candidate`` (a candidate's metadata: ``evaluation_metrics``, ``evaluation`` and,
    when the evaluation ran a champion, ``champion_evaluation``) against the current ``champion``."""
    settings = settings.checked()
    metrics = candidate["evaluation_metrics"]
    value = metric_value(metrics, settings.metric, "candidate")
    floors = {
        name: {"minimum": float(minimum), "candidate": metric_value(metrics, name, "candidate floor")}
        for name, minimum in sorted(settings.floors.items())
    }
    below = [
        f"{name} {floor['candidate']:g} is below the floor {floor['minimum']:g}"
        for name, floor in floors.items()
        if floor["candidate"] < floor["minimum"]
    ]

    def decision(
        champion_value: float | None, promoted: bool, reason: str, method: str, paired: dict[str, Any] | None = None
    ) -> GateDecision:
        if below:
            promoted, reason = False, "; ".join(below) + f" (and {reason})"
        return GateDecision(
            settings.metric,
            float(settings.margin),
            value,
            champion_value,
            champion.version if champion else None,
            promoted,
            reason,
            method,
            floors,
            paired,
        )

    if champion is None:
        return decision(None, True, "no champion yet", "no champion")
    compared = candidate.get("champion_evaluation")
    if compared is None:
        stored = metric_value(champion.metrics, settings.metric, f"champion version {champion.version}")
        promoted = value > stored + settings.margin
        relation = "beats" if promoted else "does not beat"
        return decision(
            stored,
            promoted,
            f"{settings.metric} {value:g} {relation} champion {stored:g} + margin "
            f"{settings.margin:g} (unpaired: the evaluation did not run the champion on its episodes)",
            "unpaired",
        )
    if compared["model_sha256"] != champion.model_sha256:
        return decision(
            None,
            False,
            f"the evaluation ran champion version {compared['version']}, but the champion "
            f"is now version {champion.version}; evaluate again against it",
            "stale",
        )
    return _paired(candidate, compared, settings, decision)


def _paired(
    candidate: Mapping[str, Any],
    compared: Mapping[str, Any],
    settings: GateSettings,
    decision: Callable[..., GateDecision],
) -> GateDecision:
    """The decision on the paired per-episode values, through ``decide``'s ``decision`` (which applies the floors)."""
    if settings.metric not in PAIRED_VALUES:
        raise RegistryError(
            f"gate metric {settings.metric!r} cannot be compared episode by episode; "
            f"use one of {', '.join(PAIRED_VALUES)}"
        )
    field_name = PAIRED_VALUES[settings.metric]
    ours = [float(episode[field_name]) for episode in candidate["per_episode"]]
    theirs = [float(episode[field_name]) for episode in compared["per_episode"]]
    if len(ours) != len(theirs):
        raise RegistryError(
            f"the evaluation holds {len(ours)} candidate episodes but {len(theirs)} of the champion; evaluate again"
        )
    champion_value = math.fsum(theirs) / len(theirs)
    if len(ours) < settings.min_episodes:
        return decision(
            champion_value,
            False,
            f"only {len(ours)} paired episodes; the gate needs at least {settings.min_episodes}",
            "paired",
        )
    comparison = compare_paired(ours, theirs, confidence=settings.confidence, seed=int(candidate["evaluation"]["seed"]))
    mean = comparison.mean_difference
    promoted = mean.low > settings.margin
    reason = (
        f"paired over {len(ours)} episodes: {settings.metric} {math.fsum(ours) / len(ours):g} vs champion "
        f"{champion_value:g}, difference {mean.estimate:+.4g}, {settings.confidence:.0%} interval "
        f"[{mean.low:+.4g}, {mean.high:+.4g}] {'clears' if promoted else 'does not clear'} margin "
        f"{settings.margin:g}; probability of improvement {comparison.probability_of_improvement.estimate:.2f}"
    )
    return decision(champion_value, promoted, reason, "paired", comparison.to_dict())
