"""The evaluation of a registered version, imported onto it in Vertex AI (``ModelService.ImportModelEvaluation``).

The console then shows the evaluation's numbers on the model version's "Evaluate" tab. Vertex AI
describes a model evaluation's metrics with an OpenAPI schema stored in Cloud Storage; none of
Google's published ones (classification, regression, ...) fits a reinforcement-learning policy,
so the schema is written next to the version's artifacts, generated from the metrics themselves.
"""

from __future__ import annotations

from typing import Any

import yaml

from .candidate import Candidate

SCHEMA_FILE = "evaluation_metrics_schema.yaml"
SCHEMA_TITLE = "unity_mlops.ReinforcementLearningEvaluation"
#: OpenAPI types of the JSON values an evaluation report holds.
_OPENAPI_TYPES = ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"))


def metrics_schema(metrics: dict[str, Any]) -> str:
    """The OpenAPI 3.0 schema object (YAML) of these evaluation metrics; sorted, so the same keys give the same text."""
    properties = {}
    for name, value in sorted(metrics.items()):
        kind = next((openapi for python, openapi in _OPENAPI_TYPES if isinstance(value, python)), None)
        if kind is not None:
            properties[name] = {"type": kind}
    schema = {"title": SCHEMA_TITLE, "type": "object", "properties": properties}
    return yaml.safe_dump(schema, sort_keys=True)


def import_evaluation(model: Any, candidate: Candidate, schema_uri: str) -> str:
    """Import the candidate's evaluation onto ``model`` (an ``aiplatform.Model`` version); return the evaluation's name."""
    from google.cloud.aiplatform.compat.types import model_evaluation as gca_model_evaluation

    evaluation = candidate.metadata["evaluation"]
    imported = model.api_client.import_model_evaluation(
        parent=model.versioned_resource_name,
        model_evaluation=gca_model_evaluation.ModelEvaluation(
            display_name=f"{candidate.job_id} ({evaluation['episodes']} episodes, {evaluation['backend']})",
            metrics_schema_uri=schema_uri,
            metrics=_numbers(candidate.evaluation_metrics),
            metadata={"job_id": candidate.job_id, **evaluation},
        ),
    )
    return imported.name


def _numbers(metrics: dict[str, Any]) -> dict[str, Any]:
    """The metrics a protobuf ``Value`` can hold (it has no integers: they become numbers)."""
    return {name: value for name, value in metrics.items() if isinstance(value, bool | int | float | str)}
