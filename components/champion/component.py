"""The champion as a container component: the registry's current champion policy out, before training."""

# ruff: noqa: UP045 (kfp reads an optional input from Optional[...], not from X | None)

from typing import Optional

from kfp import dsl
from kfp.dsl import Artifact, Output

from mlops_unity_pipeline.deploy.images import PIPELINE, default_ref

from ..common import if_present, outputs_of, stage_spec


@outputs_of("champion")
@dsl.container_component
def champion(
    model_name: str,
    asset_id: str,
    timeout: str,
    champion: Output[Artifact],
    registry_dir: Optional[str] = None,
    vertex_project: Optional[str] = None,
    vertex_region: Optional[str] = None,
    staging_bucket: Optional[str] = None,
):
    """Fetch the champion of ``<model_name>-<asset_id>`` where a lasting registry is configured
    (``registry_dir`` or ``vertex_project``, as for the register task; the champion command names
    the model and decides).

    ``champion`` holds champion.json (its version, or none) and model.onnx: the train task checks
    it against the player before training, the evaluate task runs it on the candidate's episodes.
    It runs in the pipeline image, which reaches Vertex AI; the trainer image cannot.
    ``timeout`` (seconds) stops the stage.
    """
    return stage_spec(
        default_ref(PIPELINE),
        timeout,
        [
            "champion",
            "--out",
            champion.path,
            "--model-prefix",
            model_name,
            "--asset-id",
            asset_id,
            if_present("--registry", registry_dir),
            if_present("--vertex-project", vertex_project),
            if_present("--vertex-region", vertex_region),
            if_present("--staging-bucket", staging_bucket),
        ],
    )
