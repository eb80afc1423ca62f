"""The container images of the pipeline: their names in one place, registry and tag chosen at compile time.

Components are declared with the default references; compiling for a registry and tag rewrites
every executor's image from the default reference to the chosen one (:func:`retag`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import __version__
from ..errors import DeployError

#: One image per kind of work. The folder under ``containers/`` has the same name.
PIPELINE = "pipeline"  # codegen, evaluate, register, the exit handler: Python 3.11 with kfp's side
UNITY_BUILDER = "unity-builder"  # the Unity Editor (or the stand-in) building the player
TRAINER = "trainer"  # CUDA, Python 3.10, mlagents 1.1.0, torch
SERVING = "serving"  # serves a registered policy (built, not used by the pipeline)
ROLES: tuple[str, ...] = (PIPELINE, UNITY_BUILDER, TRAINER, SERVING)

#: Defaults; ``IMAGE_REGISTRY`` / ``IMAGE_TAG`` (see env.sh.example) or compile flags override them.
DEFAULT_REGISTRY = "unity-mlops"
DEFAULT_TAG = __version__


@dataclass(frozen=True)
class ImageSet:
    """Where the images live: ``<registry>/<role>:<tag>``, e.g. ``europe-west4-docker.pkg.dev/p/unity-mlops/trainer:1.2``."""

    registry: str = DEFAULT_REGISTRY
    tag: str = DEFAULT_TAG
    #: Roles whose tasks run in another role's image, e.g. ``{"unity-builder": "pipeline"}`` where
    #: only stand-in builds are made and no Unity image exists (a local run).
    aliases: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.registry or self.registry.endswith("/") or any(c.isspace() for c in self.registry):
            raise DeployError(
                f"image registry {self.registry!r} is not valid; expected e.g. 'REGION-docker.pkg.dev/PROJECT/REPO'"
            )
        if not self.tag or ":" in self.tag or "/" in self.tag or any(c.isspace() for c in self.tag):
            raise DeployError(f"image tag {self.tag!r} is not valid; expected e.g. '0.1.0' or a commit hash")
        for role, other in self.aliases.items():
            _known(role)
            _known(other)
            if other in self.aliases:
                raise DeployError(f"image alias {role}={other}: {other} is itself an alias; name the image it runs in")

    def ref(self, role: str) -> str:
        """The full image reference for one role (its alias's, if it has one)."""
        _known(role)
        return f"{self.registry}/{self.aliases.get(role, role)}:{self.tag}"

    @classmethod
    def from_env(
        cls, registry: str | None = None, tag: str | None = None, aliases: Mapping[str, str] | None = None
    ) -> ImageSet:
        """Explicit values first, then ``$IMAGE_REGISTRY`` / ``$IMAGE_TAG``, then the defaults."""
        return cls(
            registry=registry or os.environ.get("IMAGE_REGISTRY") or DEFAULT_REGISTRY,
            tag=tag or os.environ.get("IMAGE_TAG") or DEFAULT_TAG,
            aliases=dict(aliases or {}),
        )


def _known(role: str) -> None:
    if role not in ROLES:
        raise DeployError(f"unknown image role {role!r}; known: {', '.join(ROLES)}")


def parse_aliases(assignments: list[str] | None) -> dict[str, str]:
    """``ROLE=OTHER`` assignments (``unity-builder=pipeline``) as an alias mapping; checked by :class:`ImageSet`."""
    aliases: dict[str, str] = {}
    for assignment in assignments or []:
        role, sep, other = assignment.partition("=")
        if not sep or not role or not other:
            raise DeployError(f"image alias {assignment!r} is not ROLE=ROLE, e.g. unity-builder=pipeline")
        aliases[role.strip()] = other.strip()
    return aliases


#: The references components are declared with.
DEFAULT_IMAGES = ImageSet()


def default_ref(role: str) -> str:
    """The reference a component declares for ``role``; compile-time retagging replaces it."""
    return DEFAULT_IMAGES.ref(role)


#: Images of Google's own components that tasks may run in as they are (the custom training job's launcher).
EXTERNAL_IMAGE_PREFIXES = ("gcr.io/ml-pipeline/google-cloud-pipeline-components:",)


def retag(pipeline_spec: dict[str, Any], images: ImageSet) -> dict[str, Any]:
    """Point every executor of a compiled pipeline (the PipelineSpec as a dict) at ``images``, in place.

    A Vertex AI custom training job names its container in its worker pool spec, the default of
    one of its component's inputs; that image is retagged too.
    """
    defaults = {DEFAULT_IMAGES.ref(role): images.ref(role) for role in ROLES}

    def retagged(image: str, where: str) -> str:
        if image.startswith(EXTERNAL_IMAGE_PREFIXES):
            return image
        if image not in defaults:
            raise DeployError(f"{where} uses image {image!r}, which is not one of the declared default images")
        return defaults[image]

    executors = pipeline_spec.get("deploymentSpec", {}).get("executors", {})
    for name, executor in executors.items():
        container = executor.get("container")
        if container is not None:
            container["image"] = retagged(container.get("image"), f"executor {name!r}")
    for name, component in pipeline_spec.get("components", {}).items():
        pools = component.get("inputDefinitions", {}).get("parameters", {}).get("worker_pool_specs", {})
        for pool in pools.get("defaultValue") or []:
            container = pool.get("container_spec", {})
            if "image_uri" in container:
                container["image_uri"] = retagged(container["image_uri"], f"the custom job of {name!r}")
    return pipeline_spec
