"""Vertex AI answered in memory: the Model Registry, model evaluations, Experiments (metadata) and TensorBoard.

What it keeps as Vertex AI does, because the code under test relies on it: model versions
numbered from 1 under one parent, each alias on exactly one version (an upload that claims an
alias takes it from the version that held it; the first version is ``default``), look-ups by
``ID@VERSION`` or ``ID@ALIAS``, resource names made of parent, collection and id, ``AlreadyExists``
and ``NotFound``. Other metadata and TensorBoard resources follow the same generic rules
(create, get, update by merging, list by parent). Long-running operations finish at once.
"""

from __future__ import annotations

import itertools
import threading
import uuid
from typing import Any

from google.api_core import exceptions as api_exceptions
from google.cloud.aiplatform_v1.services.metadata_service.transports.rest_base import _BaseMetadataServiceRestTransport
from google.cloud.aiplatform_v1.services.model_service.transports.rest_base import _BaseModelServiceRestTransport
from google.cloud.aiplatform_v1.services.pipeline_service.transports.rest_base import _BasePipelineServiceRestTransport
from google.cloud.aiplatform_v1.services.tensorboard_service.transports.rest_base import (
    _BaseTensorboardServiceRestTransport,
)
from google.cloud.aiplatform_v1.types import (
    metadata_service,
    model_service,
    pipeline_service,
    tensorboard_service,
)
from google.cloud.aiplatform_v1.types import model as gca_model
from google.cloud.aiplatform_v1.types import model_evaluation as gca_model_evaluation
from google.cloud.aiplatform_v1.types import pipeline_job as gca_pipeline_job
from google.longrunning import operations_pb2
from google.protobuf import any_pb2, timestamp_pb2

from .routes import Route, routes_of
from .server import snake_case

#: Collection names in resource paths, per resource type (the ones ``<type>s`` does not give).
COLLECTIONS = {
    "TensorboardExperiment": "experiments",
    "TensorboardRun": "runs",
    "TensorboardTimeSeries": "timeSeries",
}
#: Create calls that Vertex AI answers with a long-running operation.
LRO_CREATES = {"MetadataStore", "Tensorboard"}


def vertex_routes() -> list[Route]:
    """The REST routes of the services the fake answers."""
    types = [model_service, metadata_service, tensorboard_service, pipeline_service]
    return [
        *routes_of(_BasePipelineServiceRestTransport, types),
        *routes_of(_BaseModelServiceRestTransport, types),
        *routes_of(_BaseMetadataServiceRestTransport, types),
        *routes_of(_BaseTensorboardServiceRestTransport, types),
    ]


def done_operation(name: str, response: Any) -> operations_pb2.Operation:
    packed = any_pb2.Any()
    packed.Pack(type(response).pb(response))
    return operations_pb2.Operation(name=name, done=True, response=packed)


def _now() -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.GetCurrentTime()
    return stamp


class FakeVertexAI:
    """The state of one project's Vertex AI, and the RPCs that read and change it."""

    def __init__(self) -> None:
        self.versions: dict[str, list[gca_model.Model]] = {}
        self.evaluations: dict[str, list[gca_model_evaluation.ModelEvaluation]] = {}
        self.resources: dict[str, Any] = {}
        self.time_series_data: dict[str, list[Any]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.RLock()

    # -- the Model Registry ---------------------------------------------------------------

    def upload_model(self, request: model_service.UploadModelRequest) -> operations_pb2.Operation:
        with self._lock:
            resource = request.parent_model or f"{request.parent}/models/{request.model_id or next(self._ids)}"
            versions = self.versions.setdefault(resource, [])
            aliases = list(request.model.version_aliases)
            if not versions and "default" not in aliases:
                aliases.append("default")  # the first version is always the default
            for version in versions:
                kept = [alias for alias in version.version_aliases if alias not in aliases]
                del version.version_aliases[:]
                version.version_aliases.extend(kept)
            model = gca_model.Model(request.model)
            model.name, model.version_id = resource, str(len(versions) + 1)
            model.create_time = model.version_create_time = model.update_time = _now()
            del model.version_aliases[:]
            model.version_aliases.extend(aliases)
            versions.append(model)
            response = model_service.UploadModelResponse(model=resource, model_version_id=model.version_id)
            return done_operation(f"{request.parent}/operations/{next(self._ids)}", response)

    def get_model(self, request: model_service.GetModelRequest) -> gca_model.Model:
        with self._lock:
            return self._version(request.name)

    def import_model_evaluation(
        self, request: model_service.ImportModelEvaluationRequest
    ) -> gca_model_evaluation.ModelEvaluation:
        with self._lock:
            version = self._version(request.parent)
            key = f"{version.name}@{version.version_id}"
            evaluation = gca_model_evaluation.ModelEvaluation(request.model_evaluation)
            evaluation.name = f"{version.name}/evaluations/{next(self._ids)}"
            evaluation.create_time = _now()
            self.evaluations.setdefault(key, []).append(evaluation)
            return evaluation

    def list_model_evaluations(
        self, request: model_service.ListModelEvaluationsRequest
    ) -> model_service.ListModelEvaluationsResponse:
        with self._lock:
            version = self._version(request.parent)
            found = self.evaluations.get(f"{version.name}@{version.version_id}", [])
            return model_service.ListModelEvaluationsResponse(model_evaluations=found)

    def _version(self, name: str) -> gca_model.Model:
        resource, _, ref = name.partition("@")
        for version in self.versions.get(resource, []):
            if version.version_id == (ref or "default") or (ref or "default") in version.version_aliases:
                return version
        raise api_exceptions.NotFound(f"Model {name} not found")

    def version_aliases(self, resource: str) -> list[list[str]]:
        """Each version's aliases, in version order (for assertions)."""
        with self._lock:
            return [sorted(version.version_aliases) for version in self.versions.get(resource, [])]

    # -- Pipelines: a submitted job is kept, never run (tests run its spec themselves) ------

    def create_pipeline_job(self, request: pipeline_service.CreatePipelineJobRequest) -> gca_pipeline_job.PipelineJob:
        with self._lock:
            job = gca_pipeline_job.PipelineJob(request.pipeline_job)
            job.name = f"{request.parent}/pipelineJobs/{request.pipeline_job_id or next(self._ids)}"
            if job.name in self.resources:
                raise api_exceptions.AlreadyExists(f"{job.name} already exists")
            job.create_time = job.update_time = _now()
            self.resources[job.name] = job
            return job

    # -- Experiments (metadata) and TensorBoard: generic resources --------------------------

    def add_context_children(self, request: Any) -> metadata_service.AddContextChildrenResponse:
        self._get(request.context)
        return metadata_service.AddContextChildrenResponse()

    def add_context_artifacts_and_executions(
        self, request: Any
    ) -> metadata_service.AddContextArtifactsAndExecutionsResponse:
        self._get(request.context)
        return metadata_service.AddContextArtifactsAndExecutionsResponse()

    def write_tensorboard_run_data(self, request: Any) -> tensorboard_service.WriteTensorboardRunDataResponse:
        with self._lock:
            self._get(request.tensorboard_run)
            for series in request.time_series_data:
                name = f"{request.tensorboard_run}/timeSeries/{series.tensorboard_time_series_id}"
                self._get(name)
                self.time_series_data.setdefault(name, []).extend(series.values)
        return tensorboard_service.WriteTensorboardRunDataResponse()

    def batch_create_tensorboard_time_series(
        self, request: Any
    ) -> tensorboard_service.BatchCreateTensorboardTimeSeriesResponse:
        created = [self._create("TensorboardTimeSeries", item) for item in request.requests]
        return tensorboard_service.BatchCreateTensorboardTimeSeriesResponse(tensorboard_time_series=created)

    def __getattr__(self, name: str) -> Any:
        """Create/Get/Update/List/Delete of any other resource type, by the generic rules."""
        for verb in ("create", "get", "update", "list", "delete"):
            if name.startswith(f"{verb}_"):
                kind = "".join(part.title() for part in name[len(verb) + 1 :].split("_"))
                return lambda request: getattr(self, f"_{verb}")(kind, request)
        raise AttributeError(name)

    def _field(self, kind: str) -> str:
        return snake_case(kind)

    def _create(self, kind: str, request: Any) -> Any:
        with self._lock:
            resource = type(getattr(request, self._field(kind)))(getattr(request, self._field(kind)))
            resource_id = getattr(request, f"{self._field(kind)}_id", "") or uuid.uuid4().hex[:12]
            collection = COLLECTIONS.get(kind, kind[0].lower() + kind[1:] + "s")
            parent = request.parent
            resource.name = f"{parent}/{collection}/{resource_id}"
            if resource.name in self.resources:
                raise api_exceptions.AlreadyExists(f"{resource.name} already exists")
            for stamp in ("create_time", "update_time"):
                if stamp in type(resource).meta.fields:
                    setattr(resource, stamp, _now())
            if "etag" in type(resource).meta.fields:
                resource.etag = uuid.uuid4().hex
            self.resources[resource.name] = resource
            if kind in LRO_CREATES:
                return done_operation(f"{parent}/operations/{next(self._ids)}", resource)
            return resource

    def _get(self, name_or_kind: str, request: Any = None) -> Any:
        name = name_or_kind if request is None else request.name
        with self._lock:
            if name not in self.resources:
                raise api_exceptions.NotFound(f"{name} not found")
            return self.resources[name]

    def _update(self, kind: str, request: Any) -> Any:
        with self._lock:
            change = getattr(request, self._field(kind))
            stored = self._get(change.name)
            merged = type(stored).pb(stored)
            merged.MergeFrom(type(change).pb(change))
            updated = type(stored).wrap(merged)
            self.resources[change.name] = updated
            return updated

    def _list(self, kind: str, request: Any) -> Any:
        collection = COLLECTIONS.get(kind) or COLLECTIONS.get(kind[:-1]) or kind[0].lower() + kind[1:]
        prefix = f"{request.parent}/{collection}/"
        with self._lock:
            found = [
                r for name, r in self.resources.items() if name.startswith(prefix) and "/" not in name[len(prefix) :]
            ]
        response_type = getattr(_types_module(kind), f"List{kind}Response")
        field = next(name for name in response_type.meta.fields if name != "next_page_token")
        return response_type(**{field: [r for r in found if _matches(r, getattr(request, "filter", ""))]})

    def _delete(self, kind: str, request: Any) -> operations_pb2.Operation:
        with self._lock:
            self._get(request.name)
            del self.resources[request.name]
        return operations_pb2.Operation(name=f"{request.name}/operations/{next(self._ids)}", done=True)


def _types_module(kind: str) -> Any:
    for module in (metadata_service, tensorboard_service, model_service):
        if hasattr(module, f"List{kind}Response"):
            return module
    raise AttributeError(f"no List{kind}Response")


def _matches(resource: Any, text: str) -> bool:
    """The simple ``field="value"`` (and ``AND``) filters aiplatform sends; anything else matches all."""
    for clause in filter(None, (part.strip() for part in (text or "").split(" AND "))):
        field, _, value = clause.partition("=")
        field, value = field.strip(), value.strip().strip('"')
        if field in type(resource).meta.fields and str(getattr(resource, field)) != value:
            return False
    return True
