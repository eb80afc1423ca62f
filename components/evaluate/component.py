"""The evaluation stage as a container component: a policy and its player in, evaluation metrics out."""

# ruff: noqa: UP045 (kfp reads an optional input from Optional[...], not from X | None)

from typing import Optional

from kfp import dsl
from kfp.dsl import Artifact, Input, Metrics, Model, Output

from mlops_unity_pipeline.deploy.images import PIPELINE, default_ref

from ..common import if_present, stage_spec


@dsl.container_component
def evaluate(
    model: Input[Model],
    player: Input[Artifact],
    generated: Input[Artifact],
    episodes: int,
    model_name: str,
    asset_id: str,
    timeout: str,
    evaluation: Output[Artifact],
    metrics: Output[Metrics],
    registry_dir: Optional[str] = None,
    vertex_project: Optional[str] = None,
    vertex_region: Optional[str] = None,
    staging_bucket: Optional[str] = None,
):
    """Run the ONNX policy for ``episodes`` episodes after checking it against the BehaviorSpec, and
    the champion of ``<model_name>-<asset_id>`` on the same episodes when a lasting registry is
    configured (``registry_dir`` or ``vertex_project``, as for the register task; the evaluate
    command decides).

    ``evaluation`` is the stage's folder; ``metrics`` points at its eval_metrics.json. ``timeout``
    (seconds) stops the stage.
    """
    return stage_spec(default_ref(PIPELINE), timeout, [
        "evaluate", "--model", model.path, "--build", player.path, "--generated", generated.path,
        "--episodes", episodes, "--out", evaluation.path,
        "--model-prefix", model_name, "--asset-id", asset_id, "--lasting-registry-only",
        if_present("--registry", registry_dir),
        if_present("--vertex-project", vertex_project),
        if_present("--vertex-region", vertex_region),
        if_present("--staging-bucket", staging_bucket),
    ])
