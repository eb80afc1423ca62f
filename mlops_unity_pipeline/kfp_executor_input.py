"""The KFP executor-input JSON a container component can be given (``dsl.PIPELINE_TASK_EXECUTOR_INPUT_PLACEHOLDER``).

A list-of-artifacts input (what ``dsl.Collected`` passes from a loop) has no path placeholder in a
container component; its artifacts' URIs are in the executor input, which KFP, Vertex AI and
``kfp.local`` all resolve the same way. Standard library only, like :mod:`.kfp_executor_output`.
"""

from __future__ import annotations

import json

from .errors import MLOpsError
from .kfp_executor_output import MOUNT_PREFIXES


class ExecutorInputError(MLOpsError):
    """The executor input is not KFP's JSON, or lacks the input asked for."""


def input_artifact_paths(executor_input: str, name: str) -> list[str]:
    """Where this task reads the artifacts of input ``name``, in the order KFP lists them: at the launcher's
    mounts for object storage (``gs://b/x`` at ``/gcs/b/x``), as given otherwise (``kfp.local``'s paths)."""
    try:
        document = json.loads(executor_input)
        artifacts = document["inputs"]["artifacts"][name]["artifacts"]
        return [_local_path(artifact["uri"]) for artifact in artifacts]
    except (ValueError, KeyError, TypeError) as exc:
        raise ExecutorInputError(
            f"the executor input has no artifacts for input {name!r} ({exc}); pass KFP's "
            "executor input ({{$}}) of a task with that input"
        ) from None


def _local_path(uri: str) -> str:
    for prefix, scheme in MOUNT_PREFIXES:
        if uri.startswith(scheme):
            return prefix + uri[len(scheme) :]
    return uri
