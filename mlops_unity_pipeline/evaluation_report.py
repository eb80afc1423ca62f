"""``eval_metrics.json``: what an evaluation measured, in a layout the registry reads back.

Layout::

    {"format_version": 1, "behavior_name": ..., "model_sha256": ..., "backend": "standin" | "unity",
     "seed": ..., "episodes": N,
     "metrics": {"mean_reward", "std_reward", "success_rate", "mean_episode_length",
                 "std_episode_length", "episodes", "onnx_matches_behavior"},
     "per_episode": [{"reward", "length", "success"}, ...],
     "champion": {"version", "model_sha256", "metrics", "per_episode"},   (only when compared)
     "seed_selection": {...}}   (only when the model was chosen among training seeds: see seeds.selection)

``champion`` is the registry's champion when the evaluation also ran it, on the same seeded
episodes: ``per_episode[i]`` of both sides started from the same state, so the quality gate
can compare them pair by pair. ``model_sha256`` ties the numbers to the exact ONNX file they came from, so a registry can
refuse to file one model under another model's evaluation. This module is pure Python (no
onnxruntime), so the registry can read reports without the evaluation's dependencies, and sits
below every stage that writes or reads a report: the evaluate stage, training (the champion it
checks), seed selection and the registry.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .documents import read_document, write_document
from .errors import EvaluationReportError
from .layouts import EvaluationLayout

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Episode:
    """One finished episode: its undiscounted return, its number of decisions, the task's verdict."""

    reward: float
    length: int
    success: bool


@dataclass(frozen=True)
class ChampionModel:
    """The champion's ONNX file as fetched from a registry, to be run on the candidate's episodes."""

    version: str
    path: Path


@dataclass(frozen=True)
class ChampionEpisodes:
    """The champion's results on the candidate's episodes: which version it was, and how it did."""

    version: str
    model_sha256: str
    episodes: tuple[Episode, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "model_sha256": self.model_sha256,
            "metrics": summarize(self.episodes),
            "per_episode": episode_records(self.episodes),
        }


@dataclass(frozen=True)
class EvaluationReport:
    """The summary and per-episode results of running one ONNX policy (and the champion) for N episodes."""

    behavior_name: str
    model_sha256: str
    backend: str
    seed: int
    episodes: tuple[Episode, ...]
    champion: ChampionEpisodes | None = None
    seed_selection: dict[str, Any] | None = None

    @property
    def metrics(self) -> dict[str, Any]:
        """Mean/std reward, success rate, mean/std episode length (population std, ddof=0)."""
        return summarize(self.episodes)

    def to_dict(self) -> dict[str, Any]:
        champion = {"champion": self.champion.to_dict()} if self.champion else {}
        selection = {"seed_selection": self.seed_selection} if self.seed_selection else {}
        return {
            "format_version": FORMAT_VERSION,
            "behavior_name": self.behavior_name,
            "model_sha256": self.model_sha256,
            "backend": self.backend,
            "seed": self.seed,
            "episodes": len(self.episodes),
            "metrics": self.metrics,
            "per_episode": episode_records(self.episodes),
            **champion,
            **selection,
        }

    def write(self, out_dir: str | os.PathLike[str]) -> Path:
        path = EvaluationLayout(Path(out_dir)).metrics_path
        write_document(path, self.to_dict())
        return path


def read_report(evaluation_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """The report document in ``evaluation_dir``, checked for the fields the registry relies on."""
    path = EvaluationLayout(Path(evaluation_dir)).metrics_path
    if not path.is_file():
        raise EvaluationReportError(f"{path}: no evaluation report; run 'evaluate --out {evaluation_dir}' first")
    document = read_document(path)
    if not isinstance(document, dict) or document.get("format_version") != FORMAT_VERSION:
        raise EvaluationReportError(f"{path}: format_version is not {FORMAT_VERSION}; re-run the evaluation")
    missing = [key for key in ("model_sha256", "metrics", "backend", "seed", "episodes") if key not in document]
    if missing or not isinstance(document["metrics"], dict):
        fields = ", ".join(missing) or "metrics"
        raise EvaluationReportError(f"{path}: missing field(s) {fields}; re-run the evaluation")
    return document


def summarize(episodes: tuple[Episode, ...] | list[Episode]) -> dict[str, Any]:
    """Mean/std reward, success rate, mean/std episode length (population std, ddof=0) of some episodes."""
    rewards = [e.reward for e in episodes]
    lengths = [float(e.length) for e in episodes]
    return {
        "mean_reward": _mean(rewards),
        "std_reward": _std(rewards),
        "success_rate": _mean([1.0 if e.success else 0.0 for e in episodes]),
        "mean_episode_length": _mean(lengths),
        "std_episode_length": _std(lengths),
        "episodes": len(episodes),
        "onnx_matches_behavior": True,
    }


def episode_records(episodes: tuple[Episode, ...] | list[Episode]) -> list[dict[str, Any]]:
    return [{"reward": e.reward, "length": e.length, "success": e.success} for e in episodes]


def _mean(values: list[float]) -> float:
    return math.fsum(values) / len(values) if values else 0.0


def _std(values: list[float]) -> float:
    if not values:
        return 0.0
    mean = _mean(values)
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))
