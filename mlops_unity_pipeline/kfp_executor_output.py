"""The KFP executor-output JSON a stage command writes when it runs as a container component.

A container component's outputs reach the next task only through this file:
``kfp.local.DockerRunner`` registers no output artifact that the file does not name, and the
KFP v2 launcher and Vertex AI Pipelines take from it each artifact's URI (which may point at a
file inside the stage's output folder, such as ``policy.onnx``) and its metadata (what the
console shows for ``Metrics``). The layout is the ``ExecutorOutput`` message of KFP's
``pipeline_spec.proto`` in protobuf's JSON mapping; this module writes it with the standard
library alone, so stages that never import kfp (the trainer's Python 3.10 environment) can
use it.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .documents import write_text_atomic
from .errors import ExecutorOutputError

#: KFP mounts object storage at these local prefixes (the launcher's ``LocalPathForURI``);
#: the inverse mapping turns the path a stage wrote into the URI KFP expects.
MOUNT_PREFIXES: tuple[tuple[str, str], ...] = (("/gcs/", "gs://"), ("/minio/", "minio://"), ("/s3/", "s3://"))


@dataclass(frozen=True)
class OutputArtifact:
    """One output artifact of a component: the local file or folder a stage wrote, and its metadata.

    ``metadata`` is shown by the Vertex AI and Kubeflow consoles; for a ``Metrics`` artifact it
    holds the scalar metrics themselves (names to numbers). An artifact that names a remote
    resource rather than files (a ``google.VertexModel``) gives its ``uri`` instead of a path.
    """

    local_path: str | os.PathLike[str] | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    uri: str | None = None

    @property
    def artifact_uri(self) -> str:
        if self.uri is not None:
            return self.uri
        if self.local_path is None:
            raise ExecutorOutputError("an output artifact needs a local path or a URI")
        return uri_for_local_path(self.local_path)


def uri_for_local_path(local_path: str | os.PathLike[str]) -> str:
    """The artifact URI for a path on KFP's mounts: ``/gcs/b/x`` → ``gs://b/x``; a plain path stays as is.

    ``kfp.local`` uses absolute local paths as URIs, so anything outside the mounts is returned
    made absolute.
    """
    text = os.path.abspath(os.fspath(local_path))
    for prefix, scheme in MOUNT_PREFIXES:
        if text.startswith(prefix):
            return scheme + text[len(prefix) :]
    return text


def local_path_for_uri(uri: str) -> str:
    """What a task sees for a URI: ``gs://b/x`` as ``/gcs/b/x``, Vertex AI's mount; anything else as it is."""
    return "/gcs/" + uri[len("gs://") :] if uri.startswith("gs://") else uri


def executor_output(
    artifacts: Mapping[str, OutputArtifact] | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``ExecutorOutput`` document for these outputs, keyed by the component's output names."""
    document: dict[str, Any] = {}
    if artifacts:
        document["artifacts"] = {
            name: {
                "artifacts": [
                    {"name": name, "uri": artifact.artifact_uri, "metadata": _json_ready(dict(artifact.metadata), name)}
                ]
            }
            for name, artifact in artifacts.items()
        }
    if parameters:
        document["parameterValues"] = {name: _json_ready(value, name) for name, value in parameters.items()}
    return document


def write_executor_output(
    path: str | os.PathLike[str],
    artifacts: Mapping[str, OutputArtifact] | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> Path:
    """Write the executor output to ``path`` (atomically, creating its folder) and return the path."""
    target = Path(path)
    write_text_atomic(target, json.dumps(executor_output(artifacts, parameters), indent=2, sort_keys=True) + "\n")
    return target


def _json_ready(value: Any, where: str) -> Any:
    """``value`` as plain JSON types; NaN and infinities, which protobuf's JSON rejects, are errors."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ExecutorOutputError(f"executor output {where!r}: {value!r} is not a finite number")
        return value
    if isinstance(value, Mapping):
        return {str(key): _json_ready(item, f"{where}.{key}") for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(item, f"{where}[{index}]") for index, item in enumerate(value)]
    if hasattr(value, "item"):  # numpy scalars, without importing numpy
        return _json_ready(value.item(), where)
    raise ExecutorOutputError(f"executor output {where!r}: {type(value).__name__} {value!r} cannot be written as JSON")
