"""The evaluation stage as a container component: a policy and its player in, evaluation metrics out."""

from kfp import dsl
from kfp.dsl import Artifact, Input, Metrics, Model, Output

from mlops_unity_pipeline.deploy.images import TRAINER, default_ref

from ..common import outputs_of, stage_spec


@outputs_of("evaluate")
@dsl.container_component
def evaluate(
    model: Input[Model],
    player: Input[Artifact],
    generated: Input[Artifact],
    champion: Input[Artifact],
    selection: Input[Artifact],
    episodes: int,
    timeout: str,
    evaluation: Output[Artifact],
    metrics: Output[Metrics],
):
    """Run the ONNX policy for ``episodes`` episodes after checking it against the behaviour, and the
    champion task's champion (if it found one) on the same episodes.

    A generated asset's behaviour is its BehaviorSpec; an existing asset's (codegen recorded
    existing.json) is what its player declares at the ML-Agents handshake, and its episodes run
    through the player. The trainer image holds mlagents_envs, which drives a player. ``selection``
    is select-seed's folder: the model is the training seed it chose, and these episodes (seed 0)
    are not the ones it was chosen on (the stage refuses them otherwise); its record goes into the
    evaluation when there were several seeds.
    ``evaluation`` is the stage's folder; ``metrics`` points at its eval_metrics.json. ``timeout``
    (seconds) stops the stage.
    """
    return stage_spec(
        default_ref(TRAINER),
        timeout,
        [
            "evaluate",
            "--model",
            model.path,
            "--build",
            player.path,
            "--generated",
            generated.path,
            "--champion",
            champion.path,
            "--selection",
            selection.path,
            "--episodes",
            episodes,
            "--out",
            evaluation.path,
        ],
    )
