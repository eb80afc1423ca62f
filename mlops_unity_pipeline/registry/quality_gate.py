"""The quality gate: a new version becomes ``champion`` only if it beats the champion by a margin.

Every version is registered whatever the gate says; the gate only moves the ``champion`` alias
(and, on Vertex AI, the default version). The decision, with both numbers, is stored in the
new version's metadata so that anyone can see later why a version was or was not promoted.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from .errors import RegistryError

CHAMPION_ALIAS = "champion"
DEFAULT_METRIC = "mean_reward"
DEFAULT_MARGIN = 0.0


@dataclass(frozen=True)
class GateDecision:
    """Whether a candidate replaces the champion, and the numbers that decided it."""

    metric: str
    margin: float
    candidate: float
    champion: float | None
    champion_version: str | None
    promoted: bool
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_margin(margin: float) -> float:
    """A margin is a finite, non-negative number in the metric's own unit."""
    if not isinstance(margin, (int, float)) or not math.isfinite(margin) or margin < 0:
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
    candidate_metrics: dict[str, Any],
    champion_metrics: dict[str, Any] | None,
    champion_version: str | None,
    margin: float = DEFAULT_MARGIN,
    metric: str = DEFAULT_METRIC,
) -> GateDecision:
    """Promote when there is no champion yet, or when ``candidate > champion + margin``."""
    margin = check_margin(margin)
    candidate = metric_value(candidate_metrics, metric, "candidate")
    if champion_metrics is None:
        return GateDecision(metric, margin, candidate, None, None, True, "no champion yet")
    champion = metric_value(champion_metrics, metric, f"champion version {champion_version}")
    promoted = candidate > champion + margin
    relation = "beats" if promoted else "does not beat"
    reason = f"{metric} {candidate:g} {relation} champion {champion:g} + margin {margin:g}"
    return GateDecision(metric, margin, candidate, champion, champion_version, promoted, reason)
