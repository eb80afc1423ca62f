"""``UnityMLOpsOrchestrator``: one job through codegen → build → train → evaluate → register, locally.

Every stage is the same library code the pipeline's containers run. Stages run in worker
threads (training in its own processes), so the event loop stays responsive and several jobs
can run at once with ``asyncio.gather``: each job has its own run directory
(``<work_dir>/<job_id>/``, locked while the job runs) and training reserves its own ports.

Run directory layout: ``generated/``, ``build/``, ``training/``, ``evaluation/``,
``registration.json`` and the job's ``metrics.json`` (status, time per stage, training and
evaluation metrics, model URI).
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from .documents import write_document
from .errors import MLOpsError
from .results import CANCELLED, FAILED, SUCCEEDED, TrainingJobResult
from .specs import TrainingJob

logger = logging.getLogger(__name__)

STAGES = ("codegen", "build", "train", "evaluate", "register")
ENV_VAR_WORK_DIR = "MLOPS_WORK_DIR"


class JobAlreadyRunningError(MLOpsError):
    """Another process or task is running a job with the same job_id."""


class UnityMLOpsOrchestrator:
    """Runs training jobs on this machine; see the module docstring.

    Options: ``vertex_project``/``vertex_region`` register in Vertex AI Model Registry instead
    of the file registry (``staging_bucket`` holds the uploaded artifacts; ``vertex_credentials``
    default to Application Default Credentials); ``work_dir`` holds
    run directories (default ``$MLOPS_WORK_DIR`` or ``./runs``); ``registry_dir`` the file
    registry; ``build_backend`` is ``auto``, ``unity`` or ``standin`` (``unity_project`` for the
    real Editor); ``webhook_url``/``webhook_secret`` send signed job and stage events;
    ``eval_episodes`` and ``champion_margin`` control evaluation and the quality gate;
    ``model_name`` names the registered model (default: the behaviour name).
    """

    def __init__(
        self,
        vertex_project: str | None = None,
        vertex_region: str = "us-central1",
        *,
        work_dir: str | os.PathLike[str] | None = None,
        registry_dir: str | os.PathLike[str] | None = None,
        build_backend: str = "auto",
        unity_project: str | None = None,
        staging_bucket: str | None = None,
        vertex_credentials: Any = None,
        webhook_url: str | None = None,
        webhook_secret: str | None = None,
        eval_episodes: int = 20,
        champion_margin: float = 0.0,
        model_name: str | None = None,
        device: str | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.vertex_project = vertex_project
        self.vertex_region = vertex_region
        self.work_dir = Path(work_dir or os.environ.get(ENV_VAR_WORK_DIR) or "runs").resolve()
        self.registry_dir = Path(registry_dir) if registry_dir else None
        self.build_backend = build_backend
        self.unity_project = unity_project
        self.staging_bucket = staging_bucket
        self.vertex_credentials = vertex_credentials
        self.webhook_url = webhook_url
        self.webhook_secret = webhook_secret
        self.eval_episodes = eval_episodes
        self.champion_margin = champion_margin
        self.model_name = model_name
        self.device = device
        self.progress = progress or (lambda message: logger.info(message))
        self._stop = threading.Event()
        self._notifier = None

    # -- public API --------------------------------------------------------------------------

    def request_stop(self) -> None:
        """Let running jobs finish their current stage, then end them as cancelled."""
        self._stop.set()

    async def execute_training_job(self, job: TrainingJob) -> TrainingJobResult:
        """Run every stage of ``job``; never raises for a stage failure (see the result's status)."""
        job.check()
        run_dir = self.work_dir / job.job_id
        run_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(run_dir) + ".lock")
        try:
            lock.acquire(timeout=0)
        except Timeout:
            raise JobAlreadyRunningError(f"job_id {job.job_id!r} is already running in {run_dir}") from None
        try:
            return await self._execute(job, run_dir)
        finally:
            lock.release()

    # -- stages ------------------------------------------------------------------------------

    async def _execute(self, job: TrainingJob, run_dir: Path) -> TrainingJobResult:
        result = TrainingJobResult(job_id=job.job_id, status=SUCCEEDED, run_dir=run_dir)
        self._event("job_started", job, {"run_dir": str(run_dir)})
        stage_functions = {
            "codegen": lambda: self._codegen(job, result),
            "build": lambda: self._build(result),
            "train": lambda: self._train(result),
            "evaluate": lambda: self._evaluate(result),
            "register": lambda: self._register(job, result),
        }
        for stage in STAGES:
            if self._stop.is_set():
                result.status, result.failed_stage = CANCELLED, stage
                result.error = "stopped before this stage was started"
                break
            self.progress(f"[{job.job_id}] {stage} ...")
            started = time.monotonic()
            try:
                await asyncio.to_thread(stage_functions[stage])
            except Exception as exc:  # every stage failure becomes the result, with the stage named
                result.stage_durations_s[stage] = round(time.monotonic() - started, 3)
                result.status, result.failed_stage, result.error = FAILED, stage, str(exc)
                if not isinstance(exc, MLOpsError):
                    logger.exception("[%s] %s failed unexpectedly", job.job_id, stage)
                break
            result.stage_durations_s[stage] = round(time.monotonic() - started, 3)
            self.progress(f"[{job.job_id}] {stage} done in {result.stage_durations_s[stage]:.1f}s")
            self._event("stage_finished", job, {"stage": stage, "duration_s": result.stage_durations_s[stage]})
        write_document(result.metrics_path, result.to_dict())
        self._event(f"job_{result.status}", job, {
            "model_uri": result.model_uri, "failed_stage": result.failed_stage, "error": result.error,
        })
        return result

    def _codegen(self, job: TrainingJob, result: TrainingJobResult) -> None:
        from .codegen import generate

        generate(job.asset_spec, job.rl_config, result.generated_dir)

    def _build(self, result: TrainingJobResult) -> None:
        from .build import build

        build(result.generated_dir, result.build_dir, backend=self.build_backend, unity_project=self.unity_project,
              log=self.progress)

    def _train(self, result: TrainingJobResult) -> None:
        from .train import train

        trained = train(result.build_dir, result.generated_dir, result.training_dir, device=self.device)
        result.metrics = trained.metrics

    def _evaluate(self, result: TrainingJobResult) -> None:
        from .evaluate.stage import evaluate

        report = evaluate(result.training_dir / "policy.onnx", result.build_dir, result.generated_dir,
                          self.eval_episodes, result.evaluation_dir, log=self.progress)
        result.eval_metrics = report.metrics

    def _register(self, job: TrainingJob, result: TrainingJobResult) -> None:
        from .behavior import BehaviorSpec
        from .registry import VertexConfig, register_model

        vertex = None
        if self.vertex_project:
            vertex = VertexConfig(project=self.vertex_project, region=self.vertex_region,
                                  staging_bucket=self.staging_bucket, credentials=self.vertex_credentials)
        registration = register_model(
            result.training_dir / "policy.onnx", result.generated_dir, result.training_dir, result.evaluation_dir,
            job_id=job.job_id,
            model_name=self.model_name or BehaviorSpec.load(result.generated_dir).behavior_name,
            registry_dir=self.registry_dir,
            vertex=vertex,
            margin=self.champion_margin,
            out=result.run_dir,
        )
        result.model_uri = registration.uri
        result.promoted = registration.promoted

    # -- events ------------------------------------------------------------------------------

    def _event(self, event: str, job: TrainingJob, payload: dict[str, Any]) -> None:
        logger.info("%s", event, extra={"event": event, "job_id": job.job_id, **payload})
        if not self.webhook_url:
            return
        if self._notifier is None:
            from .observability.webhooks import WebhookNotifier

            self._notifier = WebhookNotifier(self.webhook_url, self.webhook_secret)
        self._notifier.notify(event, {"job_id": job.job_id, **payload})

    def close(self, timeout_s: float = 30.0) -> None:
        """Deliver queued webhook events (up to ``timeout_s``); jobs themselves never wait for them."""
        if self._notifier is not None:
            self._notifier.close(timeout_s)
            self._notifier = None
