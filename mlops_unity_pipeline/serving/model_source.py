"""Where the serving image finds its model: ``AIP_STORAGE_URI`` (``gs://``, ``file://`` or a path).

Vertex AI copies a model's artifacts to a bucket of its own and passes that ``gs://`` URI in
``AIP_STORAGE_URI``; locally, a file-registry version folder (or its ``file://`` URI) works
the same way. The folder holds ``model.onnx`` and, when registered by this project,
``behavior.json`` to check the policy against.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

from .. import gcs
from ..behavior import BehaviorSpec
from ..errors import ServingConfigError
from ..layouts import ModelLayout
from ..onnx_policy import OnnxPolicy


def local_model_dir(uri: str) -> Path:
    """A local folder holding the model: downloaded for ``gs://``, as is for ``file://`` and paths."""
    if uri.startswith(gcs.GS_PREFIX):
        target = Path(tempfile.mkdtemp(prefix="unity-mlops-model-"))
        if not gcs.download_prefix(gcs.client(None), uri, target):
            raise ServingConfigError(f"AIP_STORAGE_URI {uri}: no objects there")
        return target
    path = Path(unquote(urlparse(uri).path)) if uri.startswith("file://") else Path(uri)
    if not path.is_dir():
        raise ServingConfigError(f"AIP_STORAGE_URI {uri}: not a folder")
    return path


def load_policy(model_dir: Path) -> OnnxPolicy:
    """The folder's ``model.onnx``, checked against its ``behavior.json`` when there is one."""
    layout = ModelLayout(model_dir)
    model, behavior = layout.model_path, layout.behavior_path
    if not model.is_file():
        names = ", ".join(sorted(p.name for p in model_dir.iterdir())) or "nothing"
        raise ServingConfigError(f"{model_dir}: no {layout.MODEL} (found: {names})")
    return OnnxPolicy(model, BehaviorSpec.load(behavior) if behavior.is_file() else None)
