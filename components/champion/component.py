"""The champion as a container component: the registry's current champion policy out, before training."""

from kfp import dsl
from kfp.dsl import Artifact, Output

from mlops_unity_pipeline.deploy.images import PIPELINE, default_ref

from ..common import outputs_of, stage_spec


@outputs_of("champion")
@dsl.container_component
def champion(
    model_name: str,
    asset_id: str,
    registry_dir: str,
    vertex_project: str,
    vertex_region: str,
    staging_bucket: str,
    timeout: str,
    champion: Output[Artifact],
):
    """Fetch the champion of ``<model_name>-<asset_id>`` where a lasting registry is configured
    (``registry_dir`` or ``vertex_project``, as for the register task).

    ``champion`` holds champion.json (its version, or none) and model.onnx: the train task checks
    it against the player before training, the evaluate task runs it on the candidate's episodes.
    It runs in the pipeline image, which reaches Vertex AI; the trainer image cannot.
    ``timeout`` (seconds) stops the stage.
    """
    return stage_spec(default_ref(PIPELINE), timeout, [
        "champion", "--out", champion.path, "--model-name", dsl.ConcatPlaceholder([model_name, "-", asset_id]),
        "--registry", registry_dir, "--vertex-project", vertex_project, "--vertex-region", vertex_region,
        "--staging-bucket", staging_bucket,
    ])
