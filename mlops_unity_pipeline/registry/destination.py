"""Which registry a registration goes to: Vertex AI, a file registry folder, or one inside the task's own output.

The register command and component pass every setting, empty when unset; this module turns them
into one choice and refuses the choice that would silently be wrong. A file registry inside
the task's output artifact starts empty on every run, so the quality gate would promote every
version: it is allowed only on this machine (kfp.local) and said so loudly, and refused when
the output lives on object storage (``/gcs/...`` on Vertex AI Pipelines).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .. import gcs
from ..errors import RegistryError
from ..kfp_executor_output import uri_for_local_path
from .file_registry import FileRegistry
from .model_registry import ModelRegistry
from .vertex_registry import DEFAULT_REGION, VertexConfig, VertexRegistry

#: The file registry's folder inside the register task's output, when nothing else is configured.
IN_OUTPUT_REGISTRY = "registry"


@dataclass(frozen=True)
class Destination:
    """Vertex AI (``vertex``), or a file registry (``registry_dir``; ``None`` is the default root)."""

    vertex: VertexConfig | None = None
    registry_dir: Path | None = None
    warning: str | None = None

    def registry(self) -> ModelRegistry:
        """The registry this destination names."""
        return VertexRegistry(self.vertex) if self.vertex is not None else FileRegistry(self.registry_dir)


def choose_destination(
    *,
    vertex_project: str | None = None,
    vertex_region: str = DEFAULT_REGION,
    staging_bucket: str | None = None,
    serving_image: str | None = None,
    experiment: str | None = None,
    tensorboard: str | None = None,
    registry_dir: str | os.PathLike[str] | None = None,
    out: str | os.PathLike[str] | None = None,
    registry_in_output: bool = False,
) -> Destination:
    """The registry for these settings (empty strings count as unset).

    A Vertex AI project wins; without a staging bucket, the artifacts go under the bucket the
    task's output is stored in (the pipeline root's). Then a file registry folder; then, with
    ``registry_in_output``, a file registry inside ``out``; else the default file registry.
    """
    if vertex_project:
        bucket = staging_bucket or _bucket_of(out)
        if not bucket:
            raise RegistryError(
                "Vertex AI registration needs a staging bucket: give staging_bucket (--staging-bucket gs://BUCKET) "
                "or run where the task's output is in a gs:// pipeline root"
            )
        vertex = VertexConfig(
            vertex_project,
            vertex_region or DEFAULT_REGION,
            bucket,
            serving_image or None,
            experiment=experiment or None,
            tensorboard=tensorboard or None,
        )
        return Destination(vertex=vertex.checked())
    if registry_dir:
        return Destination(registry_dir=Path(registry_dir))
    if registry_in_output and out is not None:
        stored_at = uri_for_local_path(out)
        if not stored_at.startswith("/"):
            raise RegistryError(
                f"no vertex_project and no registry_dir, and this task's output is stored at {stored_at}: a file "
                "registry there would start empty on every run, so every version would become champion. Set "
                "vertex_project (compile.py --project sets it for Vertex AI runs) or registry_dir (a shared volume)"
            )
        return Destination(
            registry_dir=Path(out) / IN_OUTPUT_REGISTRY,
            warning=(
                f"warning: no vertex_project and no registry_dir: registering in a file registry inside this task's "
                f"output ({Path(out) / IN_OUTPUT_REGISTRY}), which starts empty on every run, so the quality gate has "
                "no champion to compare with"
            ),
        )
    return Destination()


def _bucket_of(out: str | os.PathLike[str] | None) -> str | None:
    """``gs://BUCKET`` when ``out`` is on Vertex AI's Cloud Storage mount, else ``None``."""
    if out is None:
        return None
    stored_at = uri_for_local_path(out)
    if not stored_at.startswith(gcs.GS_PREFIX):
        return None
    bucket, _ = gcs.split_gs_uri(stored_at)
    return f"{gcs.GS_PREFIX}{bucket}"
