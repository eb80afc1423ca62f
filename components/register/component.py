"""The registration stage as a container component: an evaluated policy in, a registered model version out."""

# ruff: noqa: UP045 (kfp reads an optional input from Optional[...], not from X | None)

from typing import Optional

from google_cloud_pipeline_components.types.artifact_types import VertexModel
from kfp import dsl
from kfp.dsl import Artifact, Input, Model, Output, OutputPath

from mlops_unity_pipeline.deploy.images import PIPELINE, default_ref

from ..common import if_present, outputs_of, stage_spec


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
    timeout: str,
    registration: Output[Artifact],
    vertex_model: Output[VertexModel],
    uri: OutputPath(str),
    promoted: OutputPath(bool),
    vertex_project: Optional[str] = None,
    vertex_region: Optional[str] = None,
    staging_bucket: Optional[str] = None,
    serving_image: Optional[str] = None,
    vertex_experiment: Optional[str] = None,
    vertex_tensorboard: Optional[str] = None,
    registry_dir: Optional[str] = None,
):
    """Register the policy as ``<model_name>-<asset_id>``, promoted to champion if, on the episodes
    the evaluate task ran both on, the ``gate_confidence`` interval of its paired difference from
    the current one lies above ``champion_margin`` (at least ``gate_min_episodes`` episodes), and
    its success rate is at least ``min_success_rate``.

    The register command names the job (``<job_id>-<asset_id>``) and the model, and chooses the
    registry from the settings (empty or left out: unset): Vertex AI when ``vertex_project`` is
    set, else the file registry in ``registry_dir``, else one inside ``registration`` (refused
    where that is object storage, as on Vertex AI Pipelines). ``uri`` is the registered version,
    ``promoted`` whether it became the champion, ``vertex_model`` the version as a
    ``google.VertexModel`` (Vertex AI only). ``timeout`` (seconds) stops the stage.
    """
    return stage_spec(
        default_ref(PIPELINE),
        timeout,
        [
            "register",
            "--model",
            model.path,
            "--generated",
            generated.path,
            "--training",
            training.path,
            "--evaluation",
            evaluation.path,
            "--run-name",
            job_id,
            "--asset-id",
            asset_id,
            "--model-prefix",
            model_name,
            "--champion-margin",
            champion_margin,
            "--gate-confidence",
            gate_confidence,
            "--gate-min-episodes",
            gate_min_episodes,
            "--floor",
            dsl.ConcatPlaceholder(["success_rate=", min_success_rate]),
            if_present("--vertex-project", vertex_project),
            if_present("--vertex-region", vertex_region),
            if_present("--staging-bucket", staging_bucket),
            if_present("--serving-image", serving_image),
            if_present("--experiment", vertex_experiment),
            if_present("--tensorboard", vertex_tensorboard),
            if_present("--registry", registry_dir),
            "--registry-in-output",
            "--out",
            registration.path,
        ],
    )
