"""One compiled pipeline, run now or on a schedule, on Vertex AI or Kubeflow Pipelines.

The caller picks the platform by the settings it passes (:class:`VertexSettings` or
:class:`KubeflowSettings`); parameters arrive validated (:mod:`.parameters`), cron as written by
a user (converted here for the platform), and the seed's ``TrainingSchedule`` objects deploy
the same way.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ..cron import CronSchedule, parse_cron
from ..specs import TrainingSchedule
from . import kubeflow, vertex
from .cron import for_kfp
from .kubeflow import KubeflowSettings
from .parameters import schedule_parameters
from .vertex import VertexSettings

Settings = VertexSettings | KubeflowSettings


def target_of(settings: Settings) -> str:
    """The compile target a platform runs: ``vertex`` or ``kfp``."""
    return "vertex" if isinstance(settings, VertexSettings) else "kfp"


def parameter_defaults(settings: Settings) -> dict[str, Any]:
    """Parameters the platform decides unless the run's own parameters set them (Vertex AI: the registry)."""
    return settings.parameter_defaults() if isinstance(settings, VertexSettings) else {}


def run_now(package_path: str | os.PathLike[str], name: str, parameters: Mapping[str, Any], settings: Settings) -> str:
    """Start one run; return the Vertex AI job resource name or the Kubeflow run id."""
    if isinstance(settings, VertexSettings):
        return vertex.submit(package_path, name, parameters, settings).resource_name
    return kubeflow.submit(package_path, f"{name} {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S}", parameters, settings)


@dataclass(frozen=True)
class Schedule:
    """A recurring run, checked for its platform before anything is created."""

    name: str
    parameters: Mapping[str, Any]
    cron: CronSchedule
    enabled: bool = True
    catch_up: bool = False


def plan_schedule(
    name: str,
    parameters: Mapping[str, Any],
    settings: Settings,
    cron: str,
    timezone_name: str | None = None,
    *,
    enabled: bool = True,
    catch_up: bool = False,
) -> Schedule:
    """Parse ``cron`` and convert it for the settings' platform now, so that a bad one fails early."""
    schedule = parse_cron(cron, timezone_name)
    if isinstance(settings, KubeflowSettings):
        for_kfp(schedule)  # raises for a time zone Kubeflow Pipelines cannot honour
    return Schedule(name, parameters, schedule, enabled, catch_up)


def plan_training_schedule(
    schedule: TrainingSchedule,
    settings: Settings,
    base_parameters: Mapping[str, Any] | None = None,
    *,
    defaults: Mapping[str, Any] | None = None,
) -> Schedule:
    """A seed ``TrainingSchedule`` as a platform schedule: its assets, RL config, cron, time zone and switches.

    Its runs are checked for the settings' platform, with ``defaults`` (the pipeline's) for what they leave out.
    """
    base = {**parameter_defaults(settings), **(base_parameters or {})}
    parameters = schedule_parameters(schedule, base, target=target_of(settings), defaults=defaults)
    return plan_schedule(
        schedule.schedule_id,
        parameters,
        settings,
        schedule.cron_expression,
        schedule.timezone,
        enabled=schedule.enabled,
        catch_up=schedule.catch_up,
    )


def create_schedule(package_path: str | os.PathLike[str], schedule: Schedule, settings: Settings) -> str:
    """Create the schedule; return the Vertex AI schedule resource name or the Kubeflow recurring-run id.

    ``catch_up`` (running missed fires after a pause) exists on Kubeflow Pipelines only; Vertex AI
    decides it when a paused schedule is resumed.
    """
    if isinstance(settings, VertexSettings):
        return vertex.create_schedule(
            package_path, schedule.name, schedule.parameters, settings, schedule.cron, enabled=schedule.enabled
        ).resource_name
    return kubeflow.create_recurring_run(
        package_path,
        schedule.name,
        schedule.parameters,
        settings,
        schedule.cron,
        catch_up=schedule.catch_up,
        enabled=schedule.enabled,
    )
