"""What each compile target fixes in the training pipeline: its parameters' defaults and the Vertex AI train machine.

The pipeline declares every parameter once; a target only changes a few defaults when compiling:
accelerator names differ (Vertex AI's ``NVIDIA_L4``, Kubernetes' ``nvidia.com/gpu`` resource), on
Kubernetes the file registry is a mounted volume, and the serving image follows the image
registry and tag compiled for. On Vertex AI the train task's machine is compiled in as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .images import SERVING, ImageSet

#: Vertex AI's name of the GPU the train task asks for by default (the pipeline's declared default).
VERTEX_ACCELERATOR = "NVIDIA_L4"
#: Kubernetes: the resource a GPU is requested as.
KUBERNETES_ACCELERATOR = "nvidia.com/gpu"
#: Kubernetes: the file registry lives on this volume claim, mounted where ``registry_dir`` points.
REGISTRY_CLAIM = "unity-mlops-registry"
REGISTRY_MOUNT = "/registry"

#: Parameter defaults per compile target.
TARGET_DEFAULTS: dict[str, dict[str, object]] = {
    "vertex": {"accelerator_type": VERTEX_ACCELERATOR},
    "kfp": {"accelerator_type": KUBERNETES_ACCELERATOR, "registry_dir": REGISTRY_MOUNT},
}

#: The parameters the Vertex AI train job's machine is compiled from.
MACHINE_PARAMETERS = ("machine_type", "accelerator_type", "accelerator_count")


def declared_defaults(pipeline: Any) -> dict[str, object]:
    """The defaults a compiled ``@dsl.pipeline`` declares in its signature."""
    return {name: spec.default for name, spec in pipeline.component_spec.inputs.items() if spec.default is not None}


def compile_defaults(target: str, images: ImageSet) -> dict[str, object]:
    """The parameter defaults to compile with: the target's, and the serving image of the chosen registry."""
    return {**TARGET_DEFAULTS[target], "serving_image": images.ref(SERVING)}


def parameter_defaults(pipeline: Any, target: str, images: ImageSet) -> dict[str, object]:
    """Every parameter's value in a run of ``target`` that does not set it (what a run is checked against)."""
    return {**declared_defaults(pipeline), **compile_defaults(target, images)}


def train_machine(*parameters: Mapping[str, Any]) -> dict[str, Any]:
    """The Vertex AI train machine of these parameter sets, later ones winning."""
    merged: dict[str, Any] = {}
    for values in parameters:
        merged.update(values)
    return {name: merged[name] for name in MACHINE_PARAMETERS}
