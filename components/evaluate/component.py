"""The evaluation stage as a container component: a policy and its player in, evaluation metrics out."""

from kfp import dsl
from kfp.dsl import Artifact, Input, Metrics, Model, Output

from mlops_unity_pipeline.deploy.images import PIPELINE, default_ref

from ..common import STAGE, shell_spec

#: The champion is compared only where a lasting registry is configured (a registry inside the register
#: task's own output starts empty, and the image's default registry is empty too).
SCRIPT = f"""compare=""
if [ -n "$8" ] || [ -n "$9" ]; then compare="--model-name=$6-$7"; fi
exec {STAGE} evaluate --model "$1" --build "$2" --generated "$3" --episodes "$4" --out "$5" ${{compare:+"$compare"}} \\
    --registry "$8" --vertex-project "$9" --vertex-region "${{10}}" --staging-bucket "${{11}}" --selection "${{12}}"
"""


@dsl.container_component
def evaluate(
    model: Input[Model],
    player: Input[Artifact],
    generated: Input[Artifact],
    episodes: int,
    model_name: str,
    asset_id: str,
    registry_dir: str,
    vertex_project: str,
    vertex_region: str,
    staging_bucket: str,
    selection: Input[Artifact],
    timeout: str,
    evaluation: Output[Artifact],
    metrics: Output[Metrics],
):
    """Run the ONNX policy for ``episodes`` episodes after checking it against the BehaviorSpec, and
    the champion of ``<model_name>-<asset_id>`` on the same episodes when a registry is configured
    (``registry_dir`` or ``vertex_project``, as for the register task). ``selection`` is select-seed's
    folder: the model is the training seed it chose, and these episodes (seed 0) are not the ones it
    was chosen on (the stage refuses them otherwise); its record goes into the evaluation.

    ``evaluation`` is the stage's folder; ``metrics`` points at its eval_metrics.json. ``timeout``
    (seconds) stops the stage.
    """
    return shell_spec(default_ref(PIPELINE), "evaluate", SCRIPT, timeout, [
        model.path, player.path, generated.path, episodes, evaluation.path, model_name, asset_id, registry_dir,
        vertex_project, vertex_region, staging_bucket, selection.path,
    ])
