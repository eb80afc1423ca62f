"""Running a compiled pipeline on Vertex AI Pipelines: one job now, or a recurring schedule.

Thin wrappers over ``aiplatform.PipelineJob`` and ``aiplatform.PipelineJobSchedule`` that insist
on the single-document (Vertex) compile target and take cron already converted by :mod:`.cron`.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ..cron import CronSchedule
from ..errors import DeployError
from .compiler import require_single_document
from .cron import for_vertex


@dataclass(frozen=True)
class VertexSettings:
    """Where and as whom pipeline jobs run (see env.sh.example for the matching variables)."""

    project: str
    location: str
    pipeline_root: str
    service_account: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    credentials: Any = None

    def __post_init__(self) -> None:
        if not self.project:
            raise DeployError("no Vertex AI project: pass --project or set VERTEX_PROJECT_ID")
        if not self.pipeline_root.startswith("gs://") or not self.bucket:
            raise DeployError(
                f"pipeline root {self.pipeline_root!r} must be a gs:// URI (--pipeline-root or VERTEX_PIPELINE_ROOT)"
            )

    @property
    def bucket(self) -> str:
        """The pipeline root's bucket, as ``gs://BUCKET``."""
        name = self.pipeline_root.removeprefix("gs://").split("/", 1)[0]
        return f"gs://{name}" if name else ""

    def parameter_defaults(self) -> dict[str, str]:
        """Where runs register unless their parameters say otherwise: this project's Model Registry,
        in this region, staging the model's files in the pipeline root's bucket."""
        return {"vertex_project": self.project, "vertex_region": self.location, "staging_bucket": self.bucket}


def pipeline_job(
    template_path: str | os.PathLike[str], display_name: str, parameters: Mapping[str, Any], settings: VertexSettings
) -> Any:
    """An unsubmitted ``aiplatform.PipelineJob`` for the compiled template."""
    from google.cloud import aiplatform

    spec = require_single_document(template_path)
    require_a_lasting_registry(parameters)
    require_the_compiled_machine(template_path, spec, parameters)
    return aiplatform.PipelineJob(
        display_name=display_name,
        template_path=os.fspath(template_path),
        job_id=job_id(spec["pipelineInfo"]["name"], datetime.now()),
        pipeline_root=settings.pipeline_root,
        parameter_values=dict(parameters),
        enable_caching=None,  # each task's own setting, chosen when compiling
        labels=dict(settings.labels),
        project=settings.project,
        location=settings.location,
        credentials=settings.credentials,
    )


def job_id(pipeline_name: str, now: datetime) -> str:
    """A run's job id: aiplatform's own (the pipeline's name and the second it was submitted in) and
    a random suffix.

    Vertex AI refuses a second job under an id it has seen (409 Conflict), so without the suffix two
    runs of one pipeline submitted within the same second (a script starting several, a retry) fail.
    """
    name = re.sub("[^-0-9a-z]+", "-", pipeline_name.lower()).strip("-")
    return f"{name}-{now:%Y%m%d%H%M%S}-{secrets.token_hex(3)}"


def require_a_lasting_registry(parameters: Mapping[str, Any]) -> None:
    """Refuse a Vertex AI run whose register task would use a file registry inside its own output.

    Such a registry starts empty in every run, so every model would become the champion.
    """
    if not parameters.get("vertex_project") and not parameters.get("registry_dir"):
        raise DeployError(
            "vertex_project is empty and so is registry_dir: the run would register into a new, empty file "
            "registry inside its own output, and every model would become the champion; set vertex_project "
            "(compile.py sets it from --project unless the parameters set it) or a registry_dir on a /gcs/ path"
        )


def require_the_compiled_machine(
    template_path: str | os.PathLike[str], spec: Mapping[str, Any], parameters: Mapping[str, Any]
) -> None:
    """Refuse parameters asking for another train machine than the one compiled into the custom job
    (``spec``, the pipeline spec read from ``template_path``).

    google-cloud-pipeline-components fixes the machine in the job's worker pool spec when compiling,
    so a run's ``machine_type``, ``accelerator_type`` and ``accelerator_count`` would be ignored.
    """
    compiled = compiled_train_machine(spec)
    if compiled is None:
        return
    differing = [
        f"{name} {parameters[name]!r} (compiled: {compiled[name]!r})"
        for name in compiled
        if name in parameters and parameters[name] != compiled[name]
    ]
    if differing:
        raise DeployError(
            f"{template_path} trains on {compiled['machine_type']} with {compiled['accelerator_count']} x "
            f"{compiled['accelerator_type'] or 'no GPU'}, fixed when compiling, but the parameters ask for "
            + ", ".join(differing)
            + "; compile with those parameters (python compile.py --parameters ... --submit does)"
        )


def compiled_train_machine(spec: Mapping[str, Any]) -> dict[str, Any] | None:
    """The machine of the pipeline spec's custom training job, or ``None`` when it has none."""
    for component in spec.get("components", {}).values():
        pools = component.get("inputDefinitions", {}).get("parameters", {}).get("worker_pool_specs", {})
        for pool in pools.get("defaultValue") or []:
            machine = pool.get("machine_spec", {})
            return {
                "machine_type": machine.get("machine_type", ""),
                "accelerator_type": machine.get("accelerator_type", ""),
                "accelerator_count": int(machine.get("accelerator_count", 0)),
            }
    return None


def submit(
    template_path: str | os.PathLike[str], display_name: str, parameters: Mapping[str, Any], settings: VertexSettings
) -> Any:
    """Submit one run and return the job (its ``resource_name`` names it); does not wait for it."""
    job = pipeline_job(template_path, display_name, parameters, settings)
    job.submit(service_account=settings.service_account)
    return job


#: A disabled schedule is created to start here, so it cannot fire before it is paused.
NEVER = datetime(9999, 12, 31, tzinfo=timezone.utc)


def create_schedule(
    template_path: str | os.PathLike[str],
    display_name: str,
    parameters: Mapping[str, Any],
    settings: VertexSettings,
    cron: CronSchedule,
    *,
    max_concurrent_run_count: int = 1,
    enabled: bool = True,
) -> Any:
    """Make ``display_name`` the one ``PipelineJobSchedule`` running the template on ``cron``.

    Deploying the same schedule again replaces it: the new schedule is created first, then any
    earlier ones of that display name are deleted (a failed creation leaves them as they were).
    Vertex AI creates schedules active, so one that is not ``enabled`` is created to start in the
    year 9999 and then paused: it never fires; deploying it enabled replaces it.
    """
    from google.cloud import aiplatform

    location = {"project": settings.project, "location": settings.location, "credentials": settings.credentials}
    earlier = aiplatform.PipelineJobSchedule.list(filter=f'display_name="{display_name}"', **location)
    job = pipeline_job(template_path, display_name, parameters, settings)
    schedule = aiplatform.PipelineJobSchedule(pipeline_job=job, display_name=display_name, **location)
    schedule.create(
        cron=for_vertex(cron),
        max_concurrent_run_count=max_concurrent_run_count,
        service_account=settings.service_account,
        start_time=None if enabled else NEVER,
    )
    if not enabled:
        schedule.pause()
    for old in earlier:
        old.delete()
    return schedule
