"""The names a registration goes under: its model's and its job's, one rule for pipeline and local runs."""

from __future__ import annotations

from ..errors import RegistryError
from .candidate import job_id_from_run_name


def registered_model_name(asset_id: str | None, *, prefix: str | None = None, behavior_name: str | None = None) -> str:
    """The model a policy registers as.

    With a ``prefix`` (a pipeline's ``model_name``, an orchestrator's): ``<prefix>-<asset_id>``, one
    model per asset, since one run trains many assets under one prefix. Without one: the
    behaviour's own name, a local run's default.
    """
    if prefix:
        if not asset_id:
            raise RegistryError(f"model prefix {prefix!r} needs the asset id: the model is <prefix>-<asset_id>")
        return f"{prefix}-{asset_id}"
    if not behavior_name:
        raise RegistryError("no model name: give a model prefix with the asset id, or the behaviour name")
    return behavior_name


def pipeline_job_id(run_name: str, asset_id: str | None = None) -> str:
    """The job id of one asset of a pipeline run: ``<run name>-<asset_id>`` made a valid job id."""
    return job_id_from_run_name(f"{run_name}-{asset_id}" if asset_id else run_name)
