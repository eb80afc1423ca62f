"""A Vertex AI Experiments run per registration: its parameters, metrics and training curves.

The experiment (one per model, unless named) gathers every registration of the model, so the
console compares versions side by side; each run holds the gate's verdict, the job's settings,
the evaluation and final training metrics. With a Vertex AI TensorBoard named, the trainer's
summaries (mlagents' mean and std reward per summary step, the numbers it writes to
TensorBoard) become the run's time series there.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import VertexRegistryError
from .candidate import Candidate
from .quality_gate import GateDecision
from .registration import gate_numbers

#: Experiment and run ids: lower-case letters, digits and '-', starting with a letter or digit.
_ID_CHARACTERS = re.compile(r"[^a-z0-9-]+")
MAX_ID_LENGTH = 128
#: The training metrics logged as run metrics (numbers only; the curve goes to TensorBoard).
TRAINING_METRICS = ("steps", "episodes", "final_mean_reward", "best_mean_reward", "final_success_rate", "wall_time_s")


def resource_id(text: str) -> str:
    """``text`` as an experiment or run id: lower case, other characters as '-', at most 128 long."""
    return _ID_CHARACTERS.sub("-", text.lower()).strip("-")[:MAX_ID_LENGTH].rstrip("-") or "run"


def log_run(
    experiment: str,
    candidate: Candidate,
    decision: GateDecision,
    model_version: str,
    tensorboard: str | None,
    location: dict[str, Any],
) -> str:
    """Create the run ``<job id>`` in ``experiment``, log to it and mark it complete; return its resource name."""
    from google.api_core import exceptions as api_exceptions
    from google.cloud import aiplatform

    try:
        experiment_resource = aiplatform.Experiment.get_or_create(resource_id(experiment), **location)
    except api_exceptions.Conflict:  # ALREADY_EXISTS: over REST a 409, which is all the client names
        # Registrations running side by side (one per asset) both found no metadata store or
        # experiment, and the other one created it first: it exists now.
        experiment_resource = aiplatform.Experiment.get_or_create(resource_id(experiment), **location)
    run_id = resource_id(candidate.job_id)
    try:
        run = aiplatform.ExperimentRun.create(
            run_id, experiment=experiment_resource, tensorboard=tensorboard, **location
        )
    except (RuntimeError, ValueError) as exc:  # aiplatform's own checks: a run that exists, a bad name
        raise VertexRegistryError(
            f"Vertex AI Experiments run {run_id!r} in {experiment_resource.name!r}: {exc}"
        ) from None
    metadata = candidate.metadata
    run.log_params(
        {
            "job_id": candidate.job_id,
            "model_version": model_version,
            "behavior_name": metadata["behavior_name"],
            "gate_metric": decision.metric,
            "gate_margin": decision.margin,
            "gate_promoted": str(decision.promoted).lower(),
            "gate_method": decision.method,
            "trainer_type": str(metadata["training_metrics"].get("trainer_type", "")),
            "evaluation_episodes": metadata["evaluation"]["episodes"],
        }
    )
    training = metadata["training_metrics"]
    run.log_metrics(
        {
            **{name: value for name, value in candidate.evaluation_metrics.items() if _is_number(value)},
            **{f"training_{name}": training[name] for name in TRAINING_METRICS if _is_number(training.get(name))},
            **{name: value for name, value in gate_numbers(decision.to_dict()).items() if _is_number(value)},
        }
    )
    if tensorboard:
        for point in training.get("reward_curve", []):
            values = {name: point[name] for name in ("mean_reward", "std_reward") if _is_number(point.get(name))}
            if values:
                run.log_time_series_metrics(values, step=int(point["step"]))
    run.update_state(aiplatform.gapic.Execution.State.COMPLETE)
    return run.resource_name


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
