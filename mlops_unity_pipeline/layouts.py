"""Stage output layouts: the one place that names each file a stage writes into its folder.

Every stage's output folder has a layout class here; code that writes or reads a stage's file
goes through it, so a file name is written once (a test checks it). The classes only name paths;
reading and checking a folder's contents stays with the stage that knows them
(``GeneratedOutput`` for codegen's manifest, ``read_report`` for an evaluation).

``behavior.json`` is named by :mod:`.behavior.spec` itself: the stand-in player's library
snapshot holds only ``behavior/`` and ``standin/``, so that name cannot come from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from .behavior.spec import BEHAVIOR_FILE

#: The mlagents-learn configuration: codegen's, and the effective copy training ran with.
TRAINER_CONFIG_FILE = "trainer_config.yaml"
#: Training metrics in a training folder; the job's record in a run directory.
METRICS_FILE = "metrics.json"
#: A policy as the registry stores it and a champion folder holds it.
MODEL_FILE = "model.onnx"
#: What a player the pipeline did not generate declared at the handshake (no ``behavior.json`` then).
PLAYER_FILE = "player.json"


@dataclass(frozen=True)
class CodegenLayout:
    """``codegen --out``: the BehaviorSpec, the trainer config, the Unity sources and their manifest."""

    root: Path

    BEHAVIOR: ClassVar[str] = BEHAVIOR_FILE
    TRAINER_CONFIG: ClassVar[str] = TRAINER_CONFIG_FILE
    MANIFEST: ClassVar[str] = "manifest.json"
    UNITY: ClassVar[str] = "unity"
    #: For an existing behaviour, the asset's ``existing`` block, in place of everything above.
    EXISTING: ClassVar[str] = "existing.json"

    @property
    def behavior_path(self) -> Path:
        return self.root / self.BEHAVIOR

    @property
    def trainer_config_path(self) -> Path:
        return self.root / self.TRAINER_CONFIG

    @property
    def manifest_path(self) -> Path:
        return self.root / self.MANIFEST

    @property
    def existing_path(self) -> Path:
        return self.root / self.EXISTING


@dataclass(frozen=True)
class BuildLayout:
    """``build --out``: a Linux player shaped as Unity makes one, and the build's record."""

    root: Path

    INFO: ClassVar[str] = "build_info.json"
    #: Unity names a Linux player after the product: ``<Name>.x86_64``, beside ``<Name>_Data/``.
    PLAYER_SUFFIX: ClassVar[str] = ".x86_64"
    DATA_SUFFIX: ClassVar[str] = "_Data"
    UNITY_LOG: ClassVar[str] = "unity-build.log"
    #: The log of a team's own build command or build method (an existing behaviour).
    EXISTING_LOG: ClassVar[str] = "build.log"

    @classmethod
    def player_name(cls, behavior_name: str) -> str:
        return behavior_name + cls.PLAYER_SUFFIX

    def player(self, behavior_name: str) -> Path:
        return self.root / self.player_name(behavior_name)

    def data_dir(self, behavior_name: str) -> Path:
        return self.root / (behavior_name + self.DATA_SUFFIX)

    @property
    def info_path(self) -> Path:
        return self.root / self.INFO

    @property
    def behavior_path(self) -> Path:
        """The stand-in build's copy of the behaviour, for readers of the build folder."""
        return self.root / BEHAVIOR_FILE


@dataclass(frozen=True)
class TrainLayout:
    """``train --out``: the checked policy, metrics and report, and mlagents-learn's own results."""

    root: Path

    POLICY: ClassVar[str] = "policy.onnx"
    METRICS: ClassVar[str] = METRICS_FILE
    TRAINER_CONFIG: ClassVar[str] = TRAINER_CONFIG_FILE
    PLAYER: ClassVar[str] = PLAYER_FILE
    LOG: ClassVar[str] = "trainer.log"
    STATE: ClassVar[str] = "train_state.json"
    REWARD_CURVE: ClassVar[str] = "reward_curve.png"
    REPORT: ClassVar[str] = "report.html"
    #: mlagents-learn's ``--results-dir`` and ``--run-id``: checkpoints, TensorBoard events, run_logs/.
    RESULTS: ClassVar[str] = "results"
    RUN_ID: ClassVar[str] = "run"
    TIMERS: ClassVar[str] = "timers.json"
    RUN_LOGS: ClassVar[str] = "run_logs"
    CHECKPOINT: ClassVar[str] = "checkpoint.pt"
    #: The players' logs mlagents-learn asks for (``-logFile``), one per player.
    PLAYER_LOGS: ClassVar[str] = "Player-*.log"

    @property
    def policy_path(self) -> Path:
        return self.root / self.POLICY

    @property
    def metrics_path(self) -> Path:
        return self.root / self.METRICS

    @property
    def trainer_config_path(self) -> Path:
        return self.root / self.TRAINER_CONFIG

    @property
    def player_path(self) -> Path:
        return self.root / self.PLAYER

    @property
    def log_path(self) -> Path:
        return self.root / self.LOG

    @property
    def state_path(self) -> Path:
        return self.root / self.STATE

    @property
    def reward_curve_path(self) -> Path:
        return self.root / self.REWARD_CURVE

    @property
    def report_path(self) -> Path:
        return self.root / self.REPORT

    @property
    def results_dir(self) -> Path:
        return self.root / self.RESULTS

    @property
    def run_dir(self) -> Path:
        return self.results_dir / self.RUN_ID

    @property
    def run_logs(self) -> Path:
        return self.run_dir / self.RUN_LOGS

    @property
    def timers_path(self) -> Path:
        return self.run_logs / self.TIMERS

    def checkpoint(self, behavior_name: str) -> Path:
        return self.run_dir / behavior_name / self.CHECKPOINT

    def exported_policy(self, behavior_name: str) -> Path:
        """Where mlagents-learn exports the behaviour's policy at the end of a run."""
        return self.run_dir / f"{behavior_name}.onnx"


@dataclass(frozen=True)
class EvaluationLayout:
    """``evaluate --out``: the report, and the registry's champion when it ran too."""

    root: Path

    METRICS: ClassVar[str] = "eval_metrics.json"
    CHAMPION: ClassVar[str] = "champion"

    @property
    def metrics_path(self) -> Path:
        return self.root / self.METRICS

    @property
    def champion_dir(self) -> Path:
        return self.root / self.CHAMPION


@dataclass(frozen=True)
class SeedSelectionLayout:
    """``select-seed --out``: the choice among training seeds, and each seed's selection episodes."""

    root: Path

    SELECTION: ClassVar[str] = "seed_selection.json"

    @property
    def selection_path(self) -> Path:
        return self.root / self.SELECTION

    def seed_dir(self, index: int) -> Path:
        return self.root / str(index)


@dataclass(frozen=True)
class ChampionLayout:
    """``champion --out``: the registry's champion fetched once for a pipeline run, or a record that there is none."""

    root: Path

    RECORD: ClassVar[str] = "champion.json"
    MODEL: ClassVar[str] = MODEL_FILE

    @property
    def record_path(self) -> Path:
        return self.root / self.RECORD

    @property
    def model_path(self) -> Path:
        return self.root / self.MODEL


@dataclass(frozen=True)
class ModelLayout:
    """A registered model's folder (a file-registry version, a Vertex AI artifact folder, a serving folder)."""

    root: Path

    MODEL: ClassVar[str] = MODEL_FILE
    METADATA: ClassVar[str] = "metadata.json"
    BEHAVIOR: ClassVar[str] = BEHAVIOR_FILE

    @property
    def model_path(self) -> Path:
        return self.root / self.MODEL

    @property
    def metadata_path(self) -> Path:
        return self.root / self.METADATA

    @property
    def behavior_path(self) -> Path:
        return self.root / self.BEHAVIOR


@dataclass(frozen=True)
class RegisterLayout:
    """``register --out`` (a local job's run directory): the registration and the quality gate's report."""

    root: Path

    REGISTRATION: ClassVar[str] = "registration.json"
    GATE_PNG: ClassVar[str] = "quality_gate.png"
    GATE_HTML: ClassVar[str] = "quality_gate.html"

    @property
    def registration_path(self) -> Path:
        return self.root / self.REGISTRATION

    @property
    def gate_png_path(self) -> Path:
        return self.root / self.GATE_PNG

    @property
    def gate_html_path(self) -> Path:
        return self.root / self.GATE_HTML


@dataclass(frozen=True)
class RunLayout:
    """A local job's run directory: one folder per stage and the job's record.

    With several training seeds, ``seeds/`` holds the selection and a folder per seed, with the
    seed's training in it; ``training`` then links to the chosen seed's.
    """

    root: Path

    GENERATED: ClassVar[str] = "generated"
    BUILD: ClassVar[str] = "build"
    TRAINING: ClassVar[str] = "training"
    SEEDS: ClassVar[str] = "seeds"
    EVALUATION: ClassVar[str] = "evaluation"
    METRICS: ClassVar[str] = METRICS_FILE

    @property
    def generated(self) -> CodegenLayout:
        return CodegenLayout(self.root / self.GENERATED)

    @property
    def build(self) -> BuildLayout:
        return BuildLayout(self.root / self.BUILD)

    @property
    def training(self) -> TrainLayout:
        return TrainLayout(self.root / self.TRAINING)

    @property
    def seeds(self) -> SeedSelectionLayout:
        return SeedSelectionLayout(self.root / self.SEEDS)

    def seed_training(self, index: int) -> TrainLayout:
        return TrainLayout(self.seeds.seed_dir(index) / self.TRAINING)

    @property
    def evaluation(self) -> EvaluationLayout:
        return EvaluationLayout(self.root / self.EVALUATION)

    @property
    def metrics_path(self) -> Path:
        return self.root / self.METRICS
