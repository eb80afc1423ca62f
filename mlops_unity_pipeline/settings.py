"""``OrchestratorSettings``: every option of a local training run, with its default, in one place.

The Python API (``UnityMLOpsOrchestrator(...)`` takes these fields as keyword arguments), the
``run`` and ``schedule`` commands (their options are mapped onto these fields) and the compiled
pipeline's parameter defaults all read their defaults here, as ML-Agents' ``RunOptions`` is the one
description of a training run for its command line and its trainers.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .errors import Problem, SpecValidationError
from .registry.quality_gate import DEFAULT_CONFIDENCE, DEFAULT_MARGIN, DEFAULT_MIN_EPISODES, GateSettings
from .registry.vertex_registry import DEFAULT_REGION
from .seeds import DEFAULT_SELECTION_RULE, DEFAULT_TRAINING_SEEDS, SeedSettings

#: Episodes the evaluate stage runs when nothing says how many: the quality gate's fewest paired
#: episodes, so a default run can be promoted on the paired comparison.
DEFAULT_EVAL_EPISODES = DEFAULT_MIN_EPISODES
#: How long a version the gate would promote waits for a person's approval through the control plane.
DEFAULT_APPROVAL_TIMEOUT_S = 3600.0


@dataclass(frozen=True)
class OrchestratorSettings:
    """How :class:`~mlops_unity_pipeline.orchestrator.UnityMLOpsOrchestrator` runs jobs.

    ``vertex_project``/``vertex_region`` register in Vertex AI Model Registry instead of the file
    registry (``staging_bucket`` holds the uploaded artifacts; ``vertex_credentials`` default to
    Application Default Credentials); ``work_dir`` holds run directories (default
    ``$MLOPS_WORK_DIR`` or ``./runs``); ``registry_dir`` the file registry; ``build_backend`` is
    ``auto``, ``unity`` or ``standin`` (``unity_project`` for the real Editor);
    ``webhook_url``/``webhook_secret`` send signed job and stage events; ``eval_episodes`` and the
    quality gate's ``champion_margin``, ``gate_confidence``, ``gate_min_episodes`` and
    ``gate_floors`` (metric → minimum) control evaluation, which runs the registry's champion on
    the candidate's episodes, and the paired quality gate; ``model_name`` prefixes the registered
    model's name, ``<model_name>-<asset_id>`` as in the pipeline (default: the behaviour name;
    :func:`~mlops_unity_pipeline.registry.registered_model_name`); ``training_seeds`` trains each
    job that many times (mlagents seeds counting up from its config's) and the ``seed_selection``
    rule (``best`` or ``median``) chooses the one the gate compares with the champion
    (:mod:`.seeds`); ``device`` is the torch device training uses. With a
    ``control_plane`` (a :class:`~mlops_unity_pipeline.control_plane.ControlPlaneRuntime`), a
    version the gate would promote waits up to ``approval_timeout_s`` for a person's approval.
    ``progress`` receives one line per stage started and finished (default: the log).

    Only the first two fields may be given by position, as the guide's
    ``UnityMLOpsOrchestrator(vertex_project, vertex_region)`` allows.
    """

    vertex_project: str | None = None
    vertex_region: str = DEFAULT_REGION
    _: KW_ONLY
    work_dir: str | os.PathLike[str] | None = None
    registry_dir: str | os.PathLike[str] | None = None
    build_backend: str = "auto"
    unity_project: str | None = None
    staging_bucket: str | None = None
    vertex_credentials: Any = None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    eval_episodes: int = DEFAULT_EVAL_EPISODES
    champion_margin: float = DEFAULT_MARGIN
    gate_confidence: float = DEFAULT_CONFIDENCE
    gate_min_episodes: int = DEFAULT_MIN_EPISODES
    gate_floors: dict[str, float] = field(default_factory=dict)
    model_name: str | None = None
    training_seeds: int = DEFAULT_TRAINING_SEEDS
    seed_selection: str = DEFAULT_SELECTION_RULE
    device: str | None = None
    control_plane: Any = None
    approval_timeout_s: float = DEFAULT_APPROVAL_TIMEOUT_S
    progress: Callable[[str], None] | None = None

    def problems(self) -> list[Problem]:
        """What is wrong with these settings, found when a run is set up rather than stages later."""
        from .build.stage import BACKENDS
        from .registry.candidate import MODEL_NAME_PATTERN

        problems = []
        if self.build_backend not in BACKENDS:
            problems.append(Problem("build_backend", f"{self.build_backend!r} is not one of {', '.join(BACKENDS)}"))
        episodes = self.eval_episodes
        if isinstance(episodes, bool) or not isinstance(episodes, int) or episodes < 1:
            problems.append(Problem("eval_episodes", f"{episodes!r} is not allowed; give a whole number >= 1"))
        if not _finite_number(self.champion_margin) or self.champion_margin < 0:
            problems.append(
                Problem("champion_margin", f"{self.champion_margin!r} is not allowed; give a finite number >= 0")
            )
        if not _finite_number(self.approval_timeout_s) or self.approval_timeout_s <= 0:
            problems.append(
                Problem("approval_timeout_s", f"{self.approval_timeout_s!r} is not allowed; give seconds > 0")
            )
        if self.webhook_url is not None:
            parts = urlsplit(self.webhook_url) if isinstance(self.webhook_url, str) else None
            if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
                problems.append(
                    Problem("webhook_url", f"{self.webhook_url!r} is not an http:// or https:// URL with a host")
                )
        name = self.model_name
        if name is not None and (not isinstance(name, str) or not MODEL_NAME_PATTERN.fullmatch(name)):
            problems.append(
                Problem(
                    "model_name", f"{name!r} is not allowed; use a letter then up to 62 letters, digits, '_' or '-'"
                )
            )
        return problems + self.seeds.problems()

    def checked(self, source: str) -> OrchestratorSettings:
        """These settings, or a :class:`SpecValidationError` listing every problem, attributed to ``source``."""
        problems = self.problems()
        if problems:
            raise SpecValidationError(problems, source=source)
        return self

    @property
    def seeds(self) -> SeedSettings:
        """How many seeds each job trains with and the rule that picks the one the gate sees."""
        return SeedSettings(self.training_seeds, self.seed_selection)

    @property
    def gate(self) -> GateSettings:
        """The quality gate these settings describe, checked."""
        return GateSettings(
            self.champion_margin,
            confidence=self.gate_confidence,
            min_episodes=self.gate_min_episodes,
            floors=dict(self.gate_floors or {}),
        ).checked()


def _finite_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
