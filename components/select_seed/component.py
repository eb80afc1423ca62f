"""Seed selection as a container component: every seed's training folder in, the one the gate gets out."""

from kfp import dsl
from kfp.dsl import Artifact, Input, Metrics, Model, Output

from mlops_unity_pipeline.deploy.images import TRAINER, default_ref

from ..common import outputs_of, stage_spec


@outputs_of("select-seed")
@dsl.container_component
def select_seed(
    trainings: Input[list[Artifact]],
    player: Input[Artifact],
    generated: Input[Artifact],
    episodes: int,
    rule: str,
    timeout: str,
    selection: Output[Artifact],
    training: Output[Artifact],
    model: Output[Model],
    metrics: Output[Metrics],
):
    """Run every seed's policy (``trainings``, the seeds loop's ``dsl.Collected`` training folders) on the same
    ``episodes`` selection episodes and choose one by ``rule`` (``best`` or ``median``).

    ``selection`` holds seed_selection.json and each seed's evaluation; ``training`` and ``model`` are
    the chosen seed's training folder and policy (the train task's own artifacts, not copies);
    ``metrics`` shows each seed's metric and the choice. A single seed is passed on unevaluated.
    The training folders come from the executor input: a list of artifacts has no path placeholder
    in a container component. Runs in the trainer image, as evaluate does: a player is driven through
    mlagents_envs. ``timeout`` (seconds) stops the stage.
    """
    return stage_spec(
        default_ref(TRAINER),
        timeout,
        [
            "select-seed",
            "--executor-input",
            dsl.PIPELINE_TASK_EXECUTOR_INPUT_PLACEHOLDER,
            "--build",
            player.path,
            "--generated",
            generated.path,
            "--episodes",
            episodes,
            "--rule",
            rule,
            "--out",
            selection.path,
        ],
    )
