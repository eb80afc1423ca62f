"""Registering a model version in the Vertex AI Model Registry, used when ``vertex_project`` is set.

The artifacts (``model.onnx``, ``behavior.json``, ``metadata.json``) are uploaded with
google-cloud-storage to ``<staging_bucket>/unity-mlops/<model>/<job>-<time>-<hex>/``, then
``aiplatform.Model.upload`` makes them a new version of the model whose id is the lower-cased
model name (``parent_model``), or creates that model. The version carries the user's aliases,
labels (job id, spec and behaviour hashes, gate verdict) and a description; if the quality
gate promotes it, it also gets ``champion`` and becomes the default version (Vertex moves an
alias to the version that claims it). The champion's numbers come from the ``metadata.json``
next to its artifacts. Then the evaluation is imported onto the new version
(:mod:`.vertex_evaluation`) and a Vertex AI Experiments run records it (:mod:`.vertex_experiment`).

Nothing falls back: any failure (no credentials, no bucket, an API error) raises
:class:`VertexRegistryError`, and the model stays where it was in the run's artifacts; a failure
after the upload says which version is registered.
google-cloud is imported only here, when Vertex is actually used.
"""

from __future__ import annotations

import contextlib
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .. import gcs
from ..codegen.manifest import sha256_file
from ..errors import CloudStorageError, VertexRegistryError
from ..evaluation_report import ChampionModel
from ..google_endpoints import VERTEX_AI, Endpoint, from_environment
from ..layouts import ModelLayout
from .candidate import Candidate
from .model_registry import Draft, ModelRegistry
from .quality_gate import CHAMPION_ALIAS, Champion, GateDecision
from .registration import Registration
from .vertex_evaluation import SCHEMA_FILE, import_evaluation, metrics_schema
from .vertex_experiment import log_run

#: The Vertex AI region used when none is given.
DEFAULT_REGION = "us-central1"
REGION_PATTERN = re.compile(r"^[a-z]+-[a-z]+[0-9]+$")
ARTIFACT_ROOT = "unity-mlops"
#: What the serving image answers on (containers/serving); Vertex passes them in as AIP_* variables.
SERVING_PORT = 8080
PREDICT_ROUTE = "/predict"
HEALTH_ROUTE = "/health"


@dataclass(frozen=True)
class VertexConfig:
    """Where to register: project, region, a ``gs://`` staging bucket and the serving image.

    ``serving_image`` defaults to ``<region>-docker.pkg.dev/<project>/unity-mlops/serving:latest``
    (the image built from containers/serving and pushed to Artifact Registry). ``credentials``
    defaults to Application Default Credentials. ``experiment`` names the Vertex AI Experiment
    each registration logs a run to (default: the model's id); ``tensorboard`` a Vertex AI
    TensorBoard resource that receives the training curves. ``endpoint`` replaces Vertex AI's own
    (see :mod:`mlops_unity_pipeline.google_endpoints`).
    """

    project: str
    region: str = DEFAULT_REGION
    staging_bucket: str | None = None
    serving_image: str | None = None
    credentials: Any = None
    experiment: str | None = None
    tensorboard: str | None = None
    endpoint: Endpoint | None = field(default_factory=lambda: from_environment(VERTEX_AI))

    def checked(self) -> VertexConfig:
        if not self.project:
            raise VertexRegistryError("vertex_project is empty; give the Google Cloud project id")
        if not REGION_PATTERN.fullmatch(self.region or ""):
            raise VertexRegistryError(f"vertex_region {self.region!r} is not a region name like {DEFAULT_REGION!r}")
        if not self.staging_bucket:
            raise VertexRegistryError("Vertex AI registration needs a staging bucket: gs://BUCKET[/PREFIX]")
        try:
            gcs.split_gs_uri(self.staging_bucket, "staging bucket")
        except CloudStorageError as exc:
            raise VertexRegistryError(str(exc)) from None
        return self

    @property
    def image(self) -> str:
        return self.serving_image or f"{self.region}-docker.pkg.dev/{self.project}/unity-mlops/serving:latest"


def model_id(model_name: str) -> str:
    """Vertex model ids are ``[a-z0-9_-]``, starting with a letter; registry model names map onto them."""
    return model_name.lower()


def location(config: VertexConfig) -> dict[str, Any]:
    """The project, region and credentials every aiplatform call takes."""
    return {"project": config.project, "location": config.region, "credentials": config.credentials}


def label_value(text: str) -> str:
    """Vertex label values: at most 63 of ``[a-z0-9_-]``."""
    return re.sub(r"[^a-z0-9_-]", "-", text.lower())[:63]


class VertexRegistry(ModelRegistry):
    """Registers candidates as versions of Vertex AI models; see the module docstring."""

    title = "Vertex AI"

    def __init__(self, config: VertexConfig) -> None:
        self.config = config.checked()

    @property
    def _location_path(self) -> str:
        return f"projects/{self.config.project}/locations/{self.config.region}"

    @contextlib.contextmanager
    def _draft(self, candidate: Candidate) -> Iterator[Draft]:
        """Find the model and its champion; any Google Cloud failure, then or while storing, is a :class:`VertexRegistryError`."""
        from google.api_core import exceptions as api_exceptions
        from google.auth.exceptions import GoogleAuthError

        where = f"the model stays at {candidate.model_path}"
        draft = None
        try:
            self._init_aiplatform()
            storage_client = gcs.client(self.config.project, self.config.credentials)
            bucket_name, prefix = gcs.split_gs_uri(self.config.staging_bucket or "", "staging bucket")
            bucket = gcs.require_bucket(storage_client, bucket_name)
            parent = f"{self._location_path}/models/{model_id(candidate.model_name)}"
            exists = self._find(parent) is not None
            champion = self._find(f"{parent}@{CHAMPION_ALIAS}") if exists else None
            stored = None
            if champion is not None:
                champion_metadata = gcs.read_json(storage_client, f"{champion.uri}/{ModelLayout.METADATA}")
                stored = Champion(
                    str(champion.version_id),
                    champion_metadata["evaluation_metrics"],
                    champion_metadata["files"][ModelLayout.MODEL],
                )
            parts = (prefix, ARTIFACT_ROOT, candidate.model_name, self._run_folder(candidate))
            folder = "/".join(part for part in parts if part)
            draft = _VertexDraft(
                self.config,
                candidate,
                bucket,
                folder,
                f"gs://{bucket_name}/{folder}",
                parent if exists else None,
                stored,
            )
            yield draft
        except api_exceptions.GoogleAPIError as exc:
            raise VertexRegistryError(f"Vertex AI registration failed: {exc}; {self._state(where, draft)}") from None
        except GoogleAuthError as exc:
            raise VertexRegistryError(
                f"no usable Google Cloud credentials for Vertex AI ({exc}); set GOOGLE_APPLICATION_CREDENTIALS "
                f"or run 'gcloud auth application-default login'; {where}"
            ) from None
        except (VertexRegistryError, CloudStorageError) as exc:
            raise VertexRegistryError(f"{exc}; {self._state(where, draft)}") from None

    def champion_model(self, model_name: str, into: Path) -> ChampionModel | None:
        """Download the champion's ``model.onnx`` into ``into``; ``None`` when the model has no champion yet."""
        from google.api_core import exceptions as api_exceptions
        from google.auth.exceptions import GoogleAuthError

        try:
            self._init_aiplatform()
            parent = f"{self._location_path}/models/{model_id(model_name)}"
            champion = self._find(f"{parent}@{CHAMPION_ALIAS}") if self._find(parent) is not None else None
            if champion is None:
                return None
            storage_client = gcs.client(self.config.project, self.config.credentials)
            metadata = gcs.read_json(storage_client, f"{champion.uri}/{ModelLayout.METADATA}")
            path = gcs.download_file(storage_client, f"{champion.uri}/{ModelLayout.MODEL}", into / ModelLayout.MODEL)
        except (api_exceptions.GoogleAPIError, GoogleAuthError) as exc:
            raise VertexRegistryError(f"fetching the champion of {model_name} from Vertex AI failed: {exc}") from None
        except CloudStorageError as exc:
            raise VertexRegistryError(str(exc)) from None
        if sha256_file(path) != metadata["files"][ModelLayout.MODEL]:
            raise VertexRegistryError(
                f"{champion.uri}/{ModelLayout.MODEL} does not match the sha256 in its {ModelLayout.METADATA}"
            )
        return ChampionModel(str(champion.version_id), path)

    @staticmethod
    def _state(where: str, draft: _VertexDraft | None) -> str:
        """What a failure left behind: nothing, copied artifacts, or a registered version whose extras failed."""
        if draft is not None and draft.model is not None:
            return (
                f"version {draft.model.versioned_resource_name} is registered, but its evaluation or "
                "experiment run is not"
            )
        uploaded = f"; artifacts already copied to {draft.artifact_uri} are not registered" if draft else ""
        return f"{where}{uploaded}"

    def _init_aiplatform(self) -> None:
        """Point aiplatform at this project (and at a replaced endpoint, over its transport)."""
        from google.cloud import aiplatform

        endpoint = self.config.endpoint
        aiplatform.init(
            **location(self.config),
            api_endpoint=endpoint.api_endpoint if endpoint else None,
            api_transport=endpoint.transport if endpoint else None,
        )

    def _find(self, name: str) -> Any:
        """The model (version) called ``name``, or ``None`` when Vertex says it does not exist."""
        from google.api_core import exceptions as api_exceptions
        from google.cloud import aiplatform

        try:
            return aiplatform.Model(model_name=name, **location(self.config))
        except api_exceptions.NotFound:
            return None

    @staticmethod
    def _run_folder(candidate: Candidate) -> str:
        """A fresh folder per registration, so one never overwrites the artifacts of another version."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        return f"{candidate.job_id}-{stamp}-{secrets.token_hex(3)}"


class _VertexDraft(Draft):
    """A version of a Vertex AI model in the making: its artifacts' folder in the staging bucket, then the upload.

    ``model`` is the uploaded version once there is one, so a later failure can say it exists.
    """

    def __init__(
        self,
        config: VertexConfig,
        candidate: Candidate,
        bucket: Any,
        folder: str,
        artifact_uri: str,
        parent: str | None,
        champion: Champion | None,
    ) -> None:
        self.config, self.candidate, self.bucket, self.folder, self.parent = config, candidate, bucket, folder, parent
        self.artifact_uri = artifact_uri
        self.champion = champion
        self.files = {
            ModelLayout.MODEL: candidate.model_sha256,
            candidate.behavior_path.name: sha256_file(candidate.behavior_path),
        }
        self.metadata = {"artifact_uri": self.artifact_uri}
        self.model: Any = None

    def store(
        self, metadata: dict[str, Any], decision: GateDecision, aliases: tuple[str, ...], promote: bool
    ) -> Registration:
        """Upload the artifacts, make them a version (promoted: also ``champion`` and the default version),
        import its evaluation and log the Experiments run."""
        candidate, folder = self.candidate, self.folder
        gcs.upload_file(self.bucket, candidate.model_path, f"{folder}/{ModelLayout.MODEL}")
        gcs.upload_file(self.bucket, candidate.behavior_path, f"{folder}/{candidate.behavior_path.name}")
        gcs.upload_json(self.bucket, metadata, f"{folder}/{ModelLayout.METADATA}")
        schema_uri = gcs.upload_text(
            self.bucket, metrics_schema(candidate.evaluation_metrics), f"{folder}/{SCHEMA_FILE}"
        )
        self.model = self._upload(decision, list(aliases), promote)
        evaluation = import_evaluation(self.model, candidate, schema_uri)
        experiment_run = log_run(
            self.config.experiment or model_id(candidate.model_name),
            candidate,
            decision,
            self.model.versioned_resource_name,
            self.config.tensorboard,
            location(self.config),
        )
        resource = self.model.versioned_resource_name
        return Registration(
            backend="vertex",
            model_name=candidate.model_name,
            version=str(self.model.version_id),
            uri=resource,
            reference=resource,
            aliases=tuple(sorted(a for a in self.model.version_aliases if a != "default")),
            quality_gate=decision.to_dict(),
            artifact_uri=self.artifact_uri,
            vertex={"evaluation": evaluation, "experiment_run": experiment_run, "region": self.config.region},
        )

    def _upload(self, decision: GateDecision, aliases: list[str], promote: bool) -> Any:
        from google.cloud import aiplatform

        candidate, metadata = self.candidate, self.candidate.metadata
        labels = {
            "managed_by": "unity-mlops",
            "job_id": label_value(candidate.job_id),
            "spec_sha256": label_value(str(metadata.get("spec_sha256") or "none")[:16]),
            "behavior_sha256": label_value(metadata["behavior_sha256"][:16]),
            "quality_gate": "promoted" if decision.promoted else "held",
        }
        version_aliases = aliases + ([CHAMPION_ALIAS] if promote else [])
        try:
            return aiplatform.Model.upload(
                display_name=candidate.model_name,
                artifact_uri=self.artifact_uri,
                serving_container_image_uri=self.config.image,
                serving_container_predict_route=PREDICT_ROUTE,
                serving_container_health_route=HEALTH_ROUTE,
                serving_container_ports=[SERVING_PORT],
                parent_model=self.parent,
                model_id=None if self.parent else model_id(candidate.model_name),
                is_default_version=promote,
                version_aliases=version_aliases,
                version_description=f"job {candidate.job_id}: quality gate {decision.reason}",
                description=f"ML-Agents policy for behavior {metadata['behavior_name']} (asset {metadata['asset_id']})",
                labels=labels,
                sync=True,
                **location(self.config),
            )
        except ValueError as exc:
            raise VertexRegistryError(f"aiplatform rejected the upload request: {exc}") from None
