"""One compiled pipeline, run now or on a schedule, on Vertex AI or Kubeflow Pipelines.

The caller picks the platform by the settings it passes (:class:`VertexSettings` or
:class:`KubeflowSettings`); parameters arrive validated (:mod:`.parameters`), cron as written by
a user (converted here for the platform), and the seed's ``TrainingSchedule`` objects deploy
the same way.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from ..specs import TrainingSchedule
from . import kubeflow, vertex
from .cron import parse_cron
from .kubeflow import KubeflowSettings
from .parameters import schedule_parameters
from .vertex import VertexSettings

Settings = VertexSettings | KubeflowSettings


def run_now(package_path: str | os.PathLike[str], name: str, parameters: Mapping[str, Any], settings: Settings) -> str:
    """Start one run; return the Vertex AI job resource name or the Kubeflow run id."""
    if isinstance(settings, VertexSettings):
        return vertex.submit(package_path, name, parameters, settings).resource_name
    return kubeflow.submit(package_path, f"{name} {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S}", parameters, settings)


def run_on_schedule(
    package_path: str | os.PathLike[str],
    name: str,
    parameters: Mapping[str, Any],
    settings: Settings,
    cron: str,
    timezone_name: str | None = None,
    *,
    enabled: bool = True,
    catch_up: bool = False,
) -> str:
    """Create a recurring schedule; return the Vertex AI schedule resource name or the Kubeflow recurring-run id.

    ``catch_up`` (running missed fires after a pause) exists on Kubeflow Pipelines only; Vertex AI
    decides it when a paused schedule is resumed.
    """
    schedule = parse_cron(cron, timezone_name)
    if isinstance(settings, VertexSettings):
        return vertex.create_schedule(package_path, name, parameters, settings, schedule, enabled=enabled).resource_name
    return kubeflow.create_recurring_run(package_path, name, parameters, settings, schedule, catch_up=catch_up, enabled=enabled)


def deploy_training_schedule(
    package_path: str | os.PathLike[str],
    schedule: TrainingSchedule,
    settings: Settings,
    base_parameters: Mapping[str, Any] | None = None,
) -> str:
    """Deploy a seed ``TrainingSchedule``: its assets, RL config, cron, time zone and switches."""
    parameters = schedule_parameters(schedule, base_parameters)
    return run_on_schedule(
        package_path,
        schedule.schedule_id,
        parameters,
        settings,
        schedule.cron_expression,
        schedule.timezone,
        enabled=schedule.enabled,
        catch_up=schedule.catch_up,
    )
