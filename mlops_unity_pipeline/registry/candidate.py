"""What a registration is made of: the ONNX file and everything known about how it was made.

The register step receives the model, the codegen folder (``behavior.json``, ``manifest.json``,
``trainer_config.yaml``), the training folder (``metrics.json`` and, if kept, the effective
``trainer_config.yaml``) and the evaluation folder (``eval_metrics.json``, with the champion's
results on the same episodes when the evaluation ran it, and every training seed's results on
the selection episodes when the model was chosen among several).
:func:`collect_candidate` reads and checks them once, so the file registry and Vertex AI store
the same metadata.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..behavior import BehaviorSpec
from ..codegen.manifest import sha256_file
from ..documents import read_document
from ..errors import RegistryError
from ..evaluation_report import read_report
from ..layouts import CodegenLayout, TrainLayout
from ..player_spec import PlayerSpec
from ..validation import meets_definition, shared_definition

METADATA_FORMAT_VERSION = 1
#: Model names become folder names and (lower-cased) Vertex model ids.
MODEL_NAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,62}$")


@dataclass(frozen=True)
class Candidate:
    """A model ready to register: its files and the metadata every registry stores with it."""

    model_name: str
    job_id: str
    model_path: Path
    behavior_path: Path
    model_sha256: str
    metadata: dict[str, Any]

    @property
    def evaluation_metrics(self) -> dict[str, Any]:
        return self.metadata["evaluation_metrics"]


def check_model_name(name: str) -> str:
    if not isinstance(name, str) or not MODEL_NAME_PATTERN.fullmatch(name):
        raise RegistryError(
            f"model name {name!r} is not allowed; use a letter then up to 62 letters, digits, '_' or '-'"
        )
    return name


def check_job_id(job_id: str) -> str:
    if not meets_definition("id", job_id):
        raise RegistryError(f"job id {job_id!r} is not allowed; use {shared_definition('id')['x-allowed']}")
    return job_id


def job_id_from_run_name(run_name: str) -> str:
    """A job id made of a platform's run name: characters a job id cannot hold become ``_``.

    kfp.local names a loop iteration's run ``RUN/for-loop-2-iteration-0``, and Kubeflow display
    names may hold spaces; Vertex AI run names are already valid job ids.
    """
    return check_job_id(re.sub(r"[^A-Za-z0-9._-]", "_", run_name or ""))


def collect_candidate(
    model: str | os.PathLike[str],
    generated: str | os.PathLike[str],
    training: str | os.PathLike[str],
    evaluation: str | os.PathLike[str],
    job_id: str,
    model_name: str,
) -> Candidate:
    """Read and cross-check the register step's inputs; any missing or inconsistent one is an error."""
    check_model_name(model_name)
    check_job_id(job_id)
    model_path = Path(model).resolve()
    if model_path.suffix != ".onnx" or not model_path.is_file():
        raise RegistryError(f"--model {model}: expected an existing .onnx file")
    generated, training, evaluation = (Path(p).resolve() for p in (generated, training, evaluation))
    codegen, trained = CodegenLayout(generated), TrainLayout(training)
    if not codegen.behavior_path.exists() and trained.player_path.is_file():
        # A player the pipeline did not generate: the behaviour is what it declared at the handshake.
        behavior_path, behavior = trained.player_path, PlayerSpec.from_dict(read_document(trained.player_path))
        manifest, asset_id = {}, None
        effective = _required(trained.trainer_config_path, "run the train stage first")
    else:
        behavior_path = _required(codegen.behavior_path, "run the codegen stage first")
        spec = BehaviorSpec.load(behavior_path)
        behavior, asset_id = spec, spec.asset_id
        manifest = read_document(_required(codegen.manifest_path, "run the codegen stage first"))
        effective = trained.trainer_config_path  # what mlagents-learn actually ran with, when training kept it
        if not effective.is_file():
            effective = _required(codegen.trainer_config_path, "run the codegen stage first")
    trainer_config = read_document(effective)
    training_metrics = read_document(_required(trained.metrics_path, "run the train stage first"))
    report = read_report(evaluation)
    model_sha256 = sha256_file(model_path)
    _check_evaluation_is_of(report, evaluation, model_path, model_sha256, behavior.behavior_name, behavior_path)
    metadata = {
        "format_version": METADATA_FORMAT_VERSION,
        "model_name": model_name,
        "job_id": job_id,
        "behavior_name": behavior.behavior_name,
        "asset_id": asset_id,
        "spec_sha256": manifest.get("inputs_sha256"),
        "behavior_sha256": sha256_file(behavior_path),
        "trainer_config": trainer_config,
        "training_metrics": training_metrics,
        "evaluation_metrics": report["metrics"],
        "evaluation": {key: report[key] for key in ("backend", "seed", "episodes")},
        "per_episode": report.get("per_episode", []),
        **({"champion_evaluation": report["champion"]} if report.get("champion") else {}),
        **({"seed_selection": report["seed_selection"]} if report.get("seed_selection") else {}),
        "lineage": {
            "run_dir": _common_parent(generated, training, evaluation),
            "model": str(model_path),
            "generated": str(generated),
            "training": str(training),
            "evaluation": str(evaluation),
        },
    }
    return Candidate(model_name, job_id, model_path, behavior_path, model_sha256, metadata)


def utc_now() -> str:
    """Creation times in one format everywhere: ISO 8601, UTC, whole seconds."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _check_evaluation_is_of(
    report: dict[str, Any],
    evaluation: Path,
    model_path: Path,
    model_sha256: str,
    behavior_name: str,
    behavior_path: Path,
) -> None:
    """Refuse an evaluation of another model file, or of another behaviour."""
    if report["model_sha256"] != model_sha256:
        raise RegistryError(
            f"{evaluation}: the evaluation is of a model with sha256 {report['model_sha256']}, "
            f"not of {model_path} ({model_sha256}); evaluate this model before registering it"
        )
    if report.get("behavior_name") != behavior_name:
        raise RegistryError(
            f"{evaluation}: behavior_name {report.get('behavior_name')!r} does not match "
            f"{behavior_path} ({behavior_name!r})"
        )


def _required(path: Path, hint: str) -> Path:
    if not path.is_file():
        raise RegistryError(f"{path}: file not found; {hint}")
    return path


def _common_parent(*paths: Path) -> str | None:
    """The run directory, when the stage folders share one parent (a local run's layout)."""
    parents = {path.parent for path in paths}
    return str(parents.pop()) if len(parents) == 1 else None
