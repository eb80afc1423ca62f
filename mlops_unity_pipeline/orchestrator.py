"""``UnityMLOpsOrchestrator``: one job through codegen → build → train → evaluate → register, locally.

Every stage is the same library code the pipeline's containers run. Stages run in worker
threads (training in its own processes), so the event loop stays responsive and several jobs
can run at once with ``asyncio.gather``: each job has its own run directory
(``<work_dir>/<job_id>/``, locked while the job runs) and training reserves its own ports.

Run directory layout: ``generated/``, ``build/``, ``training/``, ``evaluation/``,
``registration.json`` and the job's ``metrics.json`` (status, time per stage, training and
evaluation metrics, model URI). With several training seeds, each seed trains in
``seeds/<k>/training/`` and is evaluated on the selection episodes in ``seeds/<k>/``;
``seeds/seed_selection.json`` says which one was chosen and why, and ``training`` links to it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from .documents import write_document
from .errors import JobAlreadyRunningError, JobAlreadySucceededError, MLOpsError, describe_os_error
from .layouts import RunLayout, TrainLayout
from .registry.file_registry import registry_root
from .results import CANCELLED, FAILED, SUCCEEDED, TrainingJobResult
from .settings import OrchestratorSettings
from .specs import TrainingJob

logger = logging.getLogger(__name__)

STAGES = ("codegen", "build", "train", "evaluate", "register")
#: With several training seeds, the stage that chooses one runs between train and evaluate.
SELECT_STAGE = "select"
#: Under the run directory: one folder per training seed, and the selection.
ENV_VAR_WORK_DIR = "MLOPS_WORK_DIR"


class UnityMLOpsOrchestrator:
    """Runs training jobs on this machine; see the module docstring.

    Takes an :class:`~mlops_unity_pipeline.settings.OrchestratorSettings` as ``settings``, or its
    fields as keyword arguments (``UnityMLOpsOrchestrator(vertex_project=..., eval_episodes=50)``),
    which says what each option does. With a ``control_plane`` (a
    :class:`~mlops_unity_pipeline.control_plane.ControlPlaneRuntime` of the example bundle's
    workflow) every stage is reported to it, and a version the quality gate would promote becomes
    champion only once the runtime allows it: guardrails hold and a person approved
    (``python -m mlops_unity_pipeline approve``), waiting up to ``approval_timeout_s``.
    """

    def __init__(self, *args: Any, settings: OrchestratorSettings | None = None, **options: Any) -> None:
        if settings is None:
            settings = OrchestratorSettings(*args, **options)
        elif args or options:
            raise TypeError("give either settings or its fields as keyword arguments, not both")
        self.settings = settings.checked(source=type(self).__name__)
        self.gate = settings.gate
        if settings.control_plane is not None and settings.vertex_project:
            raise MLOpsError("promotion by control-plane approval works with the file registry; unset vertex_project")
        self.work_dir = Path(settings.work_dir or os.environ.get(ENV_VAR_WORK_DIR) or "runs").resolve()
        self.registry_dir = registry_root(settings.registry_dir) if settings.registry_dir else None
        self.control_plane = settings.control_plane
        self.progress = settings.progress or (lambda message: logger.info(message))
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
            _refuse_succeeded(job.job_id, run_dir)
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
            "train": lambda: self._train(job, result),
            "evaluate": lambda: self._evaluate(job, result),
            "register": lambda: self._register(job, result),
        }
        stages = STAGES
        if job.asset_spec.existing is not None:
            stage_functions |= self._existing_stages(job, result)
            stages = tuple(stage for stage in STAGES if stage != "codegen")
        if self.settings.seeds.count > 1:
            stage_functions[SELECT_STAGE] = lambda: self._select(job, result)
            stages = tuple(
                name for stage in stages for name in ((stage, SELECT_STAGE) if stage == "train" else (stage,))
            )
        stages += ("promote",) if self.control_plane is not None else ()
        for stage in stages:
            if self._stop.is_set():
                result.status, result.failed_stage = CANCELLED, stage
                result.error = "stopped before this stage was started"
                break
            self.progress(f"[{job.job_id}] {stage} ...")
            started = time.monotonic()
            try:
                if stage == "promote":
                    await self._promote_when_approved(job, result)
                else:
                    await asyncio.to_thread(stage_functions[stage])
                    await self._report(stage, job, result)
            except Exception as exc:  # every stage failure becomes the result, with the stage named
                result.stage_durations_s[stage] = round(time.monotonic() - started, 3)
                message = describe_os_error(exc) if isinstance(exc, OSError) else str(exc)
                result.status, result.failed_stage, result.error = FAILED, stage, message
                if not isinstance(exc, MLOpsError):
                    logger.exception("[%s] %s failed unexpectedly", job.job_id, stage)
                break
            result.stage_durations_s[stage] = round(time.monotonic() - started, 3)
            self.progress(f"[{job.job_id}] {stage} done in {result.stage_durations_s[stage]:.1f}s")
            self._event("stage_finished", job, {"stage": stage, "duration_s": result.stage_durations_s[stage]})
        write_document(result.metrics_path, result.to_dict())
        self._event(
            f"job_{result.status}",
            job,
            {
                "model_uri": result.model_uri,
                "failed_stage": result.failed_stage,
                "error": result.error,
            },
        )
        return result

    def _codegen(self, job: TrainingJob, result: TrainingJobResult) -> None:
        from .codegen import generate

        generate(job.asset_spec, job.rl_config, result.generated_dir)

    def _build(self, result: TrainingJobResult) -> None:
        from .build import build

        build(
            result.generated_dir,
            result.build_dir,
            backend=self.settings.build_backend,
            unity_project=self.settings.unity_project,
            log=self.progress,
        )

    def _train(self, job: TrainingJob, result: TrainingJobResult) -> None:
        from .train import train

        champion = self._champion(job, result)
        self._train_seeds(
            result,
            result.layout.generated.trainer_config_path,
            lambda out, seed: train(
                result.build_dir, result.generated_dir, out, device=self.settings.device, seed=seed, champion=champion
            ),
        )

    def _train_seeds(
        self, result: TrainingJobResult, trainer_config: Path, train_one: Callable[[Path, int | None], Any]
    ) -> None:
        """Train into ``training/``, or, with several seeds, each seed into ``seeds/<k>/training/`` in turn.

        One after another: a training already spreads its players over every core, so seeds side
        by side would only share them. ``trainer_config`` holds the seed the others count up from.
        """
        from .documents import read_document
        from .seeds import config_seed, training_seeds

        count = self.settings.seeds.count
        if count == 1:
            result.metrics = train_one(result.training_dir, None).metrics
            return
        for index, seed in enumerate(training_seeds(config_seed(read_document(trainer_config)), count)):
            self.progress(f"[{result.job_id}] training seed {seed} ({index + 1} of {count})")
            trained = train_one(self._seed_training_dir(result, index), seed)
            if index == 0:
                result.metrics = trained.metrics  # until the selection replaces them with the chosen seed's

    @staticmethod
    def _seed_training_dir(result: TrainingJobResult, index: int) -> Path:
        return result.layout.seed_training(index).root

    def _select(self, job: TrainingJob, result: TrainingJobResult) -> None:
        """Choose one training seed on selection episodes; ``training`` then links to its folder."""
        from .documents import read_document
        from .seeds.selection import select_seed

        trainings = [self._seed_training_dir(result, index) for index in range(self.settings.seeds.count)]
        selection = select_seed(
            trainings,
            self._policy_evaluator(job, result),
            result.layout.seeds.root,
            rule=self.settings.seeds.rule,
            metric=self.gate.metric,
            log=lambda message: self.progress(f"[{job.job_id}] {message}"),
        )
        link = result.training_dir
        if link.exists() and not link.is_symlink():
            raise MLOpsError(f"{link} is the training of a single-seed run; move it away to train several seeds here")
        link.unlink(missing_ok=True)
        link.symlink_to(selection.chosen_seed.training.relative_to(result.run_dir), target_is_directory=True)
        result.metrics = read_document(TrainLayout(selection.chosen_seed.training).metrics_path)
        result.seed_selection = selection.to_dict()

    def _policy_evaluator(self, job: TrainingJob, result: TrainingJobResult) -> Callable[[Path, Path, int], Any]:
        """How this job's policies run seeded episodes: in the stand-in, or through the team's own player."""
        episodes = self.settings.eval_episodes
        if job.asset_spec.existing is not None:
            from .build.records import ExistingBehavior, built_player
            from .evaluate.stage import evaluate_existing

            existing = ExistingBehavior.from_spec(job.asset_spec.existing)
            return lambda model, out, seed: evaluate_existing(
                model,
                built_player(result.build_dir),
                existing.behavior_name,
                episodes,
                out,
                seed=seed,
                log=self.progress,
            )
        from .evaluate.stage import evaluate

        return lambda model, out, seed: evaluate(
            model, result.build_dir, result.generated_dir, episodes, out, seed=seed, log=self.progress
        )

    def _selection(self, result: TrainingJobResult) -> dict[str, Any] | None:
        """The seed selection the gate's evaluation must be fresh for, with several training seeds."""
        from .seeds.selection import read_selection

        return read_selection(result.layout.seeds.root) if self.settings.seeds.count > 1 else None

    def _evaluate(self, job: TrainingJob, result: TrainingJobResult) -> None:
        from .evaluate.stage import evaluate

        report = evaluate(
            result.layout.training.policy_path,
            result.build_dir,
            result.generated_dir,
            self.settings.eval_episodes,
            result.evaluation_dir,
            log=self.progress,
            champion=self._champion(job, result),
            selection=self._selection(result),
        )
        result.eval_metrics = report.metrics

    def _champion(self, job: TrainingJob, result: TrainingJobResult) -> Any:
        """The registry's champion of the job's model (``None`` if it has none): training checks that it
        fits the player, evaluation runs it on the candidate's episodes."""
        from .registry.destination import Destination

        registry = Destination(vertex=self._vertex_config(), registry_dir=self.registry_dir).registry()
        return registry.champion_model(self._model_name(job, result), result.layout.evaluation.champion_dir)

    def _existing_stages(self, job: TrainingJob, result: TrainingJobResult) -> dict[str, Callable[[], None]]:
        """The stages of an existing behaviour: the project's own build, then its player throughout.

        Without codegen there is no behavior.json: training reads the player's behaviour at the
        handshake (and records it in training/player.json for registration), and evaluation runs
        the candidate and the champion through the player.
        """
        from .build.existing import build_existing
        from .build.records import ExistingBehavior, built_player
        from .evaluate.stage import evaluate_existing
        from .train.stage import train_existing

        existing = ExistingBehavior.from_spec(job.asset_spec.existing)

        def train() -> None:
            champion = self._champion(job, result)
            self._train_seeds(
                result,
                existing.trainer_config,
                lambda out, seed: train_existing(
                    built_player(result.build_dir),
                    existing.trainer_config,
                    existing.behavior_name,
                    out,
                    device=self.settings.device,
                    seed=seed,
                    champion=champion,
                ),
            )

        def evaluate() -> None:
            report = evaluate_existing(
                result.layout.training.policy_path,
                built_player(result.build_dir),
                existing.behavior_name,
                self.settings.eval_episodes,
                result.evaluation_dir,
                log=self.progress,
                champion=self._champion(job, result),
                selection=self._selection(result),
            )
            result.eval_metrics = report.metrics

        return {"build": lambda: build_existing(existing, result.build_dir), "train": train, "evaluate": evaluate}

    def _vertex_config(self) -> Any:
        from .registry import VertexConfig

        settings = self.settings
        if not settings.vertex_project:
            return None
        return VertexConfig(
            project=settings.vertex_project,
            region=settings.vertex_region,
            staging_bucket=settings.staging_bucket,
            credentials=settings.vertex_credentials,
        )

    def _model_name(self, job: TrainingJob, result: TrainingJobResult) -> str:
        from .registry import registered_model_name

        prefix = self.settings.model_name
        return registered_model_name(
            job.asset_spec.asset_id, prefix=prefix, behavior_name=None if prefix else self._behavior_name(job, result)
        )

    @staticmethod
    def _behavior_name(job: TrainingJob, result: TrainingJobResult) -> str:
        from .behavior import BehaviorSpec

        if job.asset_spec.existing is not None:  # no codegen: the behaviour the player must have
            return job.asset_spec.existing["behavior_name"]
        return BehaviorSpec.load(result.generated_dir).behavior_name

    def _register(self, job: TrainingJob, result: TrainingJobResult) -> None:
        from .registry import register_model

        registration = register_model(
            result.layout.training.policy_path,
            result.generated_dir,
            result.training_dir,
            result.evaluation_dir,
            job_id=job.job_id,
            model_name=self._model_name(job, result),
            registry_dir=self.registry_dir,
            vertex=self._vertex_config(),
            gate=self.gate,
            out=result.run_dir,
            auto_promote=self.control_plane is None,
        )
        result.model_uri = registration.uri
        result.promoted = registration.promoted
        result.registration = registration.to_dict()

    # -- control plane -----------------------------------------------------------------------

    async def _report(self, stage: str, job: TrainingJob, result: TrainingJobResult) -> None:
        """Record a finished stage as the control plane's action of the same name."""
        if self.control_plane is None or stage not in ("train", "evaluate", "register"):
            return
        if stage == "train":
            payload = {"run_id": job.job_id, "succeeded": True, "steps": int(result.metrics.get("steps", 0))}
        elif stage == "evaluate":
            payload = {
                "run_id": job.job_id,
                "metrics": {
                    key: result.eval_metrics[key] for key in ("mean_reward", "success_rate", "onnx_matches_behavior")
                },
            }
        else:
            payload = {
                "run_id": job.job_id,
                "model_version": result.registration["reference"],
                "uri": result.registration["uri"],
            }
        invocation = await self.control_plane.invoke(stage, payload, actor="orchestrator")
        if not invocation.applied:
            raise MLOpsError(f"the control plane refused '{stage}': {invocation.decision}")

    async def _promote_when_approved(self, job: TrainingJob, result: TrainingJobResult) -> None:
        """Make the new version champion if the gate passed and the control plane allows it."""
        gate = result.registration["quality_gate"]
        if not gate["promoted"]:
            return
        self.progress(
            f"[{job.job_id}] waiting for approval to promote {result.registration['reference']} "
            f"(python -m mlops_unity_pipeline approve)"
        )
        invocation = await self.control_plane.invoke_when_approved(
            "promote",
            {"model_version": result.registration["reference"], "reason": gate["reason"]},
            actor="orchestrator",
            timeout=self.settings.approval_timeout_s,
        )
        if not invocation.applied:
            self.progress(f"[{job.job_id}] not promoted: {invocation.decision}")
            return
        from .registry import FileRegistry

        FileRegistry(self.registry_dir).promote(
            result.registration["model_name"],
            result.registration["version"],
            reason=f"approved through the control plane: {gate['reason']}",
        )
        result.promoted = True

    # -- events ------------------------------------------------------------------------------

    def _event(self, event: str, job: TrainingJob, payload: dict[str, Any]) -> None:
        logger.info("%s", event, extra={"event": event, "job_id": job.job_id, **payload})
        if not self.settings.webhook_url:
            return
        if self._notifier is None:
            from .observability.webhooks import WebhookNotifier

            self._notifier = WebhookNotifier(self.settings.webhook_url, self.settings.webhook_secret)
        self._notifier.notify(event, {"job_id": job.job_id, **payload})

    def close(self, timeout_s: float = 30.0) -> None:
        """Deliver queued webhook events (up to ``timeout_s``); jobs themselves never wait for them."""
        if self._notifier is not None:
            self._notifier.close(timeout_s)
            self._notifier = None


def _refuse_succeeded(job_id: str, run_dir: Path) -> None:
    """A job that succeeded keeps its run directory and metrics.json: a new run needs a new job_id."""
    metrics_path = RunLayout(run_dir).metrics_path
    try:
        previous = json.loads(metrics_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(previous, dict) and previous.get("status") == SUCCEEDED:
        raise JobAlreadySucceededError(
            f"job_id {job_id!r} already succeeded ({metrics_path}, model {previous.get('model_uri')}); "
            f"nothing was changed. Give the new run another job_id, or move {run_dir} away to run it again"
        )
