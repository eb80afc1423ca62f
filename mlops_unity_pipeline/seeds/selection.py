"""Choosing one of an asset's trained seeds for the quality gate, on selection episodes of their own.

Every seed's policy runs the same seeded episodes (:data:`SELECTION_EPISODE_SEED`, the same
start states for every seed), and the rule picks one by the metric the gate compares: the best,
or the median for a typical run. The best of N on these episodes overstates how good the chosen
policy is on them (the winner's curse: part of its lead is the luck of these episodes), so the
gate never sees them. The evaluate stage runs the chosen policy and the champion on fresh
episodes (its own seed, 0 by default) and refuses a selection made on those same episodes
(:func:`check_fresh_episodes`); the registry stores every seed's results with the version.

Output layout (``out/``)::

    seed_selection.json   every seed's training seed, model hash and selection metrics; the choice and why
    <k>/eval_metrics.json seed k's evaluation on the selection episodes (k: its place in the list given)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..codegen.manifest import sha256_file
from ..documents import read_document, write_document
from ..errors import SeedSelectionError
from ..evaluation_report import EvaluationReport
from ..layouts import SeedSelectionLayout, TrainLayout
from ..registry.quality_gate import metric_value
from .settings import SELECTION_RULES, SeedSettings, config_seed

FORMAT_VERSION = 1
#: The selection episodes' seed. The gate's evaluation runs evaluate's default seed, 0: other
#: start states (the stand-in seeds episode batch ``b`` with ``(seed, b)``, a Unity player its
#: random generator with ``seed``), so the candidate meets the champion on episodes it was not chosen on.
SELECTION_EPISODE_SEED = 1

#: Runs one policy (its ONNX file) on ``episodes`` seeded episodes into a folder: ``(model, out, seed)``.
PolicyEvaluator = Callable[[Path, Path, int], EvaluationReport]


@dataclass(frozen=True)
class TrainedSeed:
    """One training seed's run and how it did on the selection episodes (``metrics`` is ``None`` when
    a single seed was not evaluated: there was nothing to choose)."""

    index: int
    training_seed: int
    training: Path
    model_sha256: str
    metrics: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "training_seed": self.training_seed,
            "training": str(self.training),
            "model_sha256": self.model_sha256,
            "metrics": self.metrics,
        }


@dataclass(frozen=True)
class SeedSelection:
    """Which seed the gate gets (``chosen``, an index into ``seeds``), by what rule and metric, and why."""

    rule: str
    metric: str
    episodes: int
    episode_seed: int
    seeds: tuple[TrainedSeed, ...]
    chosen: int
    reason: str

    @property
    def chosen_seed(self) -> TrainedSeed:
        return self.seeds[self.chosen]

    @property
    def policy_path(self) -> Path:
        return TrainLayout(self.chosen_seed.training).policy_path

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "rule": self.rule,
            "metric": self.metric,
            "episodes": self.episodes,
            "episode_seed": self.episode_seed,
            "chosen": self.chosen,
            "reason": self.reason,
            "seeds": [seed.to_dict() for seed in self.seeds],
        }

    def write(self, out_dir: str | os.PathLike[str]) -> Path:
        path = SeedSelectionLayout(Path(out_dir)).selection_path
        write_document(path, self.to_dict())
        return path


def choose(values: Sequence[float], rule: str) -> int:
    """The index ``rule`` picks from ``values``: ``best`` the highest, ``median`` the middle one (for an
    even count the lower of the two middle ones). Ties go to the lower index, so the choice is deterministic."""
    if rule not in SELECTION_RULES:
        raise SeedSelectionError(f"seed selection rule {rule!r} is not one of {', '.join(SELECTION_RULES)}")
    if not values:
        raise SeedSelectionError("there are no seeds to choose from")
    ranked = sorted(range(len(values)), key=lambda index: (-values[index], index))
    return ranked[0] if rule == "best" else ranked[len(ranked) // 2]


def select_seed(
    trainings: Sequence[str | os.PathLike[str]],
    evaluate_policy: PolicyEvaluator,
    out: str | os.PathLike[str],
    *,
    rule: str,
    metric: str,
    episode_seed: int = SELECTION_EPISODE_SEED,
    log: Callable[[str], None] = lambda message: None,
) -> SeedSelection:
    """Evaluate every training folder's policy on the same selection episodes and choose one by ``rule``.

    ``trainings`` are the train stage's output folders, one per seed; ``evaluate_policy`` runs one
    policy (it fixes the episode count and the player). A single seed is not evaluated: there is
    nothing to choose. Writes ``out/seed_selection.json`` (and each seed's evaluation) and returns it.
    """
    SeedSettings(len(trainings), rule).checked()
    out = Path(out)
    seeds = [_trained_seed(index, Path(training)) for index, training in enumerate(trainings)]
    if len(seeds) == 1:
        selection = SeedSelection(
            rule, metric, 0, episode_seed, tuple(seeds), 0, "one training seed: nothing to choose"
        )
        out.mkdir(parents=True, exist_ok=True)
        selection.write(out)
        return selection
    log(f"evaluating {len(seeds)} training seeds on the same selection episodes (seed {episode_seed})")
    with ThreadPoolExecutor(max_workers=min(len(seeds), os.cpu_count() or 1)) as pool:
        reports = list(
            pool.map(
                lambda seed: evaluate_policy(
                    TrainLayout(seed.training).policy_path, SeedSelectionLayout(out).seed_dir(seed.index), episode_seed
                ),
                seeds,
            )
        )
    seeds = [
        TrainedSeed(seed.index, seed.training_seed, seed.training, seed.model_sha256, report.metrics)
        for seed, report in zip(seeds, reports)
    ]
    values = [
        metric_value(report.metrics, metric, f"training seed {seed.training_seed}")
        for seed, report in zip(seeds, reports)
    ]
    chosen = choose(values, rule)
    episodes = len(reports[0].episodes)
    others = ", ".join(
        f"{value:.4g} (seed {seed.training_seed})" for seed, value in zip(seeds, values) if seed.index != chosen
    )
    reason = (
        f"{rule} of {len(seeds)} training seeds by {metric} on {episodes} selection episodes (episode seed "
        f"{episode_seed}): training seed {seeds[chosen].training_seed} with {values[chosen]:.4g}; the others "
        f"{others}. The gate evaluates it on other episodes"
    )
    selection = SeedSelection(rule, metric, episodes, episode_seed, tuple(seeds), chosen, reason)
    selection.write(out)
    log(f"chose {reason}")
    return selection


def read_selection(folder: str | os.PathLike[str]) -> dict[str, Any]:
    """The ``seed_selection.json`` in ``folder``, checked for the fields an evaluation relies on."""
    path = SeedSelectionLayout(Path(folder)).selection_path
    if not path.is_file():
        raise SeedSelectionError(f"{path}: no seed selection; give the select-seed command's --out folder")
    document = read_document(path)
    if not isinstance(document, dict) or document.get("format_version") != FORMAT_VERSION:
        raise SeedSelectionError(f"{path}: format_version is not {FORMAT_VERSION}; select the seed again")
    missing = [key for key in ("rule", "metric", "episode_seed", "chosen", "seeds", "reason") if key not in document]
    if missing:
        raise SeedSelectionError(f"{path}: missing field(s) {', '.join(missing)}; select the seed again")
    return document


def check_fresh_episodes(selection: Mapping[str, Any], model_sha256: str, evaluation_seed: int) -> None:
    """Refuse to gate on a selection's own episodes, or a model that is not the selection's choice.

    A selection of one seed evaluated nothing, so any episodes are fresh for it.
    """
    chosen = selection["seeds"][selection["chosen"]]
    if chosen["model_sha256"] != model_sha256:
        raise SeedSelectionError(
            f"the model evaluated (sha256 {model_sha256}) is not the seed the selection chose "
            f"(training seed {chosen['training_seed']}, sha256 {chosen['model_sha256']}); "
            "evaluate the selection's policy"
        )
    if len(selection["seeds"]) > 1 and selection["episode_seed"] == evaluation_seed:
        raise SeedSelectionError(
            f"the seed was chosen on the episodes of seed {evaluation_seed}, the same the gate's "
            "evaluation would run: the chosen seed's lead there is partly luck. Evaluate with "
            f"another --seed than {selection['episode_seed']}"
        )


def _trained_seed(index: int, training: Path) -> TrainedSeed:
    layout = TrainLayout(training)
    policy, config = layout.policy_path, layout.trainer_config_path
    for path in (policy, config):
        if not path.is_file():
            raise SeedSelectionError(f"{path}: not found; each training must be a train stage's output folder")
    return TrainedSeed(index, config_seed(read_document(config)), training.resolve(), sha256_file(policy))
