"""The training stage as a container component: a player and its config in, an ONNX policy out."""

from kfp import dsl
from kfp.dsl import HTML, Artifact, Input, Metrics, Model, Output

from mlops_unity_pipeline.deploy.images import TRAINER, default_ref
from mlops_unity_pipeline.deploy.pipeline_root import CHECKPOINTS

from ..common import GCS_TO_PATH, STAGE, shell_spec

SCRIPT = f"""{GCS_TO_PATH}
player=$1; generated=$2; out=$3; demos=$(local_path "$4"); checkpoints=$(local_path "$5/{CHECKPOINTS}/$6/$7")
set -- train --build "$player" --generated "$generated" --out "$out" --checkpoints "$checkpoints"
if [ -n "$demos" ]; then set -- "$@" --demos "$demos"; fi
exec {STAGE} "$@"
"""


@dsl.container_component
def train(
    generated: Input[Artifact],
    player: Input[Artifact],
    demonstrations_uri: str,
    pipeline_root: str,
    run_id: str,
    asset_id: str,
    timeout: str,
    training: Output[Artifact],
    model: Output[Model],
    metrics: Output[Metrics],
    report: Output[HTML],
):
    """Train the behaviour with mlagents-learn against the player.

    ``training`` is the stage's folder (checkpoints under results/, trainer.log); ``model``,
    ``metrics`` and ``report`` point at its policy.onnx, metrics.json and report.html, so the
    console shows the scalar metrics and the training report. Training runs in
    ``<pipeline_root>/checkpoints/<run_id>/<asset_id>``, the same folder for every attempt of the
    task in a run, so a retry resumes from the last checkpoint there. ``demonstrations_uri`` (a
    .demo file or folder, ``gs://`` allowed) is optional: empty means none. ``timeout`` (seconds)
    stops the stage.
    """
    return shell_spec(default_ref(TRAINER), "train", SCRIPT, timeout,
                      [player.path, generated.path, training.path, demonstrations_uri, pipeline_root, run_id, asset_id])
