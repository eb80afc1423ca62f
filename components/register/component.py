"""The registration stage as a container component: an evaluated policy in, a registered model version out."""

from google_cloud_pipeline_components.types.artifact_types import VertexModel
from kfp import dsl
from kfp.dsl import Artifact, Input, Model, Output, OutputPath

from mlops_unity_pipeline.deploy.images import PIPELINE, default_ref

from ..common import outputs_of, stage_spec


@outputs_of("register")
@dsl.container_component
def register(
    model: Input[Model],
    generated: Input[Artifact],
    training: Input[Artifact],
    evaluation: Input[Artifact],
    job_id: str,
    asset_id: str,
    model_name: str,
    champion_margin: float,
    gate_confidence: float,
    gate_min_episodes: int,
    min_success_rate: float,
    vertex_project: str,
    vertex_region: str,
    staging_bucket: str,
    serving_image: str,
    vertex_experiment: str,
    vertex_tensorboard: str,
    registry_dir: str,
    timeout: str,
    registration: Output[Artifact],
    vertex_model: Output[VertexModel],
    uri: OutputPath(str),
    promoted: OutputPath(bool),
):
    """Register the policy as ``<model_name>-<asset_id>``, promoted to champion if, on the episodes
    the evaluate task ran both on, the ``gate_confidence`` interval of its paired difference from
    the current one lies above ``champion_margin`` (at least ``gate_min_episodes`` episodes), and
    its success rate is at least ``min_success_rate``.

    The register command chooses the registry from the settings (empty ones are unset): Vertex AI
    when ``vertex_project`` is set, else the file registry in ``registry_dir``, else one inside
    ``registration`` (refused where that is object storage, as on Vertex AI Pipelines). ``uri``
    is the registered version, ``promoted`` whether it became the champion, ``vertex_model`` the
    version as a ``google.VertexModel`` (Vertex AI only). ``timeout`` (seconds) stops the stage.
    """
    return stage_spec(
        default_ref(PIPELINE),
        timeout,
        [
            "register",
            "--model", model.path,
            "--generated", generated.path,
            "--training", training.path,
            "--evaluation", evaluation.path,
            "--run-name", dsl.ConcatPlaceholder([job_id, "-", asset_id]),
            "--model-name", dsl.ConcatPlaceholder([model_name, "-", asset_id]),
            "--champion-margin", champion_margin,
            "--gate-confidence", gate_confidence,
            "--gate-min-episodes", gate_min_episodes,
            "--floor", dsl.ConcatPlaceholder(["success_rate=", min_success_rate]),
            "--vertex-project", vertex_project,
            "--vertex-region", vertex_region,
            "--staging-bucket", staging_bucket,
            "--serving-image", serving_image,
            "--experiment", vertex_experiment,
            "--tensorboard", vertex_tensorboard,
            "--registry", registry_dir,
            "--registry-in-output",
            "--out", registration.path,
        ],
    )
