"""Compiling a pipeline for one of its two targets: Vertex AI Pipelines or Kubeflow Pipelines.

Both start from the same DSL. Kubeflow Pipelines gets kfp's two YAML documents: the
PipelineSpec and the kfp-kubernetes platform spec (secrets, node selectors, tolerations,
volumes). Vertex AI, which rejects a second document, gets the PipelineSpec alone. Each target
has its own parameter defaults (accelerator names differ), and every executor's image is
retagged for the chosen registry and tag.
"""

from __future__ import annotations

import enum
import itertools
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ..documents import write_text_atomic
from ..errors import DeployError
from .images import ImageSet, retag


class Target(str, enum.Enum):
    """Where a compiled pipeline runs."""

    VERTEX = "vertex"
    KFP = "kfp"


def compile_pipeline(
    pipeline_func: Any,
    out_path: str | os.PathLike[str],
    *,
    target: Target,
    images: ImageSet,
    parameter_defaults: Mapping[str, Any] | None = None,
) -> Path:
    """Compile ``pipeline_func`` (a ``@dsl.pipeline``) for ``target`` into ``out_path``; return the path."""
    from kfp import compiler

    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "pipeline.yaml"
        compiler.Compiler().compile(pipeline_func, str(raw), pipeline_parameters=dict(parameter_defaults or {}))
        text = raw.read_text(encoding="utf-8")
    documents = [document for document in yaml.safe_load_all(text) if document is not None]
    retag(documents[0], images)
    if target is Target.VERTEX:
        documents = documents[:1]
    header = "".join(f"{line}\n" for line in itertools.takewhile(lambda line: line.startswith("#"), text.splitlines()))
    body = yaml.safe_dump_all(documents, sort_keys=True, default_flow_style=False, width=1000)
    out = Path(out_path)
    write_text_atomic(out, header + f"# Target: {target.value}\n" + body)
    return out


def read_pipeline_documents(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The YAML documents of a compiled pipeline: the PipelineSpec, then the platform spec if any."""
    try:
        documents = [d for d in yaml.safe_load_all(Path(path).read_text(encoding="utf-8")) if d is not None]
    except (OSError, yaml.YAMLError) as exc:
        raise DeployError(f"cannot read the compiled pipeline {path}: {exc}") from None
    if not documents or "pipelineInfo" not in documents[0]:
        raise DeployError(f"{path} is not a compiled KFP pipeline (no pipelineInfo); run 'python compile.py' first")
    return documents


def require_single_document(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The pipeline spec at ``path``, which must be the Vertex target's output: Vertex AI rejects
    kfp-kubernetes' second document."""
    documents = read_pipeline_documents(path)
    if len(documents) != 1:
        raise DeployError(
            f"{path} has a Kubernetes platform document, which Vertex AI Pipelines rejects; "
            "compile it with '--target vertex' to submit it to Vertex AI"
        )
    return documents[0]
