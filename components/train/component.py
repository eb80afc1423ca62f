"""The training stage as a container component: a player and its config in, an ONNX policy out."""

from kfp import dsl
from kfp.dsl import HTML, Artifact, Input, Metrics, Model, Output

from mlops_unity_pipeline.deploy.images import TRAINER, default_ref

from ..common import outputs_of, stage_spec


@outputs_of("train")
@dsl.container_component
def train(
    generated: Input[Artifact],
    player: Input[Artifact],
    champion: Input[Artifact],
    demonstrations_uri: str,
    pipeline_root: str,
    run_id: str,
    asset_id: str,
    seed: int,
    seed_index: int,
    timeout: str,
    training: Output[Artifact],
    model: Output[Model],
    metrics: Output[Metrics],
    report: Output[HTML],
):
    """Train the behaviour with mlagents-learn against the player.

    A generated asset trains with codegen's trainer config; an existing one (codegen recorded
    existing.json) with the team's own, read from its Unity project, after the player's behaviours
    are read at the ML-Agents handshake: a config for another behaviour, or a ``champion`` (the
    champion task's) whose observation or action shapes differ from the player's, fails before
    mlagents-learn starts.

    ``training`` is the stage's folder (checkpoints under results/, trainer.log); ``model``,
    ``metrics`` and ``report`` point at its policy.onnx, metrics.json and report.html, so the
    console shows the scalar metrics and the training report. Training runs in
    ``<pipeline_root>/checkpoints/<run_id>/<asset_id>``, the same folder for every attempt of the
    task in a run, so a retry resumes from the last checkpoint there (``<asset_id>.seed-<seed_index>``
    for the asset's training seeds after the first). ``seed`` is mlagents' seed for this training
    (one of the asset's training seeds: plan-seeds). ``demonstrations_uri`` (a
    .demo file or folder, ``gs://`` allowed) is optional: empty means none. ``timeout`` (seconds)
    stops the stage.
    """
    return stage_spec(
        default_ref(TRAINER),
        timeout,
        [
            "train",
            "--build",
            player.path,
            "--generated",
            generated.path,
            "--out",
            training.path,
            "--demos",
            demonstrations_uri,
            "--pipeline-root",
            pipeline_root,
            "--run-id",
            run_id,
            "--asset-id",
            asset_id,
            "--champion",
            champion.path,
            "--seed",
            seed,
            "--seed-index",
            seed_index,
        ],
    )
