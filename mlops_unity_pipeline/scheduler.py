"""``TrainingScheduler``: runs each ``TrainingSchedule``'s assets through the orchestrator on its cron.

Guarantees:

- A schedule never overlaps itself: a fire that comes while its previous run is still going
  is skipped, with a log line.
- The last fire of every schedule is persisted (atomically) when it is handled, so a restart
  neither repeats a fire nor skips one silently: fires missed while the scheduler was down
  are logged and, with ``catch_up`` on, run once.
- A fire is recorded as running before its first job starts and cleared when its last job
  ends. A fire still recorded as running at start-up was interrupted (the scheduler was
  killed): it is logged and resumed, its jobs with the same job ids, so each job either
  resumes (training from its last checkpoint) or, if it had already succeeded, is kept as is.
- Cron is read in the project's one grammar and evaluated in the schedule's time zone (see
  :mod:`.cron` for both, and the DST rule).
- SIGTERM/SIGINT (or :meth:`stop`) stop it gracefully: running jobs finish their current
  stage, then end as cancelled.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .clock import Clock, SystemClock
from .cron import CronSchedule
from .documents import write_document
from .errors import SchedulerError
from .orchestrator import JobAlreadySucceededError
from .specs import TrainingJob, TrainingSchedule

logger = logging.getLogger(__name__)


@dataclass
class ScheduleRun:
    """One fire of a schedule and the results of its jobs."""

    schedule_id: str
    fire_time: datetime
    results: list[Any] = field(default_factory=list)


class TrainingScheduler:
    """Fires schedules on their cron and trains their assets (see the module docstring)."""

    def __init__(self, orchestrator: Any, state_path: str | Path | None = None, clock: Clock | None = None) -> None:
        self.orchestrator = orchestrator
        work_dir = Path(getattr(orchestrator, "work_dir", "."))
        self.state_path = Path(state_path) if state_path else work_dir / "scheduler_state.json"
        self.clock = clock or SystemClock()
        self.history: list[ScheduleRun] = []
        self._schedules: dict[str, TrainingSchedule] = {}
        self._crons: dict[str, CronSchedule] = {}
        self._running: dict[str, asyncio.Task] = {}
        self._active: dict[str, ScheduleRun] = {}
        self._last_fire, self._interrupted = self._load_state()
        self._wake = asyncio.Event()
        self._stopping = False

    # -- schedules -------------------------------------------------------------------------

    def add_schedule(self, schedule: TrainingSchedule) -> None:
        schedule.check()
        if schedule.schedule_id in self._schedules:
            raise SchedulerError(f"schedule_id {schedule.schedule_id!r} is already scheduled; remove it first")
        self._crons[schedule.schedule_id] = schedule.cron()
        self._schedules[schedule.schedule_id] = schedule
        self._wake.set()

    def remove_schedule(self, schedule_id: str) -> TrainingSchedule:
        try:
            schedule = self._schedules.pop(schedule_id)
            del self._crons[schedule_id]
        except KeyError:
            raise SchedulerError(
                f"no schedule {schedule_id!r}; scheduled: {', '.join(sorted(self._schedules)) or 'none'}"
            ) from None
        self._wake.set()
        return schedule

    @property
    def schedules(self) -> list[TrainingSchedule]:
        return list(self._schedules.values())

    def next_fire_time(self, schedule_id: str) -> datetime:
        after = self._last_fire.get(schedule_id) or self.clock.now()
        return self._crons[schedule_id].next_fire(after)

    # -- running -----------------------------------------------------------------------------

    def stop(self) -> None:
        """Stop firing; running jobs end after their current stage."""
        self._stopping = True
        request_stop = getattr(self.orchestrator, "request_stop", None)
        if request_stop is not None:
            request_stop()
        self._wake.set()

    async def run_forever(self) -> None:
        """Fire schedules until :meth:`stop` or SIGTERM/SIGINT; then wait for running jobs."""
        loop = asyncio.get_running_loop()
        installed = self._install_signal_handlers(loop)
        try:
            self._handle_missed_fires()
            while not self._stopping:
                due = self._earliest_due()
                self._wake.clear()
                if due is None:
                    await self._wake.wait()
                    continue
                schedule_id, when = due
                await self.clock.sleep_until(when, self._wake)
                if self._stopping or schedule_id not in self._schedules or self.clock.now() < when:
                    continue
                self._fire(self._schedules[schedule_id], when)
        finally:
            for sig in installed:
                loop.remove_signal_handler(sig)
            if self._running:
                await asyncio.gather(*self._running.values(), return_exceptions=True)

    def _install_signal_handlers(self, loop: asyncio.AbstractEventLoop) -> list[int]:
        installed = []
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self._on_signal, sig)
                installed.append(sig)
        return installed

    def _on_signal(self, sig: int) -> None:
        logger.info("received %s: stopping after the current stage", signal.Signals(sig).name)
        self.stop()

    def _earliest_due(self) -> tuple[str, datetime] | None:
        due = [(self.next_fire_time(sid), sid) for sid, s in self._schedules.items() if s.enabled]
        if not due:
            return None
        when, schedule_id = min(due)
        return schedule_id, when

    def _resume_interrupted_fires(self) -> None:
        """Fires recorded as running when the last scheduler process ended: resume them, or say why not."""
        for schedule_id, when in sorted(self._interrupted.items()):
            schedule = self._schedules.get(schedule_id)
            if schedule is None or not schedule.enabled:
                logger.warning(
                    "schedule %s: the fire at %s was interrupted and is not resumed: the schedule is %s",
                    schedule_id,
                    when.isoformat(),
                    "no longer listed" if schedule is None else "disabled",
                )
                continue
            logger.warning(
                "schedule %s: the fire at %s was interrupted (the scheduler stopped while it ran); resuming it",
                schedule_id,
                when.isoformat(),
            )
            self._fire(schedule, when)
        self._interrupted = {}
        self._save_state()

    def _handle_missed_fires(self) -> None:
        self._resume_interrupted_fires()
        now = self.clock.now()
        for schedule in self._schedules.values():
            last = self._last_fire.get(schedule.schedule_id)
            if last is None:
                self._record_fire(schedule.schedule_id, now)
                logger.info(
                    "schedule %s: first start; next fire at %s",
                    schedule.schedule_id,
                    self.next_fire_time(schedule.schedule_id).isoformat(),
                )
                continue
            missed = self._crons[schedule.schedule_id].fires_between(last, now)
            if not missed or not schedule.enabled:
                continue
            if schedule.catch_up:
                logger.info(
                    "schedule %s: %d fire(s) missed while stopped (last %s); catching up once now",
                    schedule.schedule_id,
                    len(missed),
                    missed[-1].isoformat(),
                )
                self._fire(schedule, missed[-1])
            else:
                logger.warning(
                    "schedule %s: skipped %d fire(s) missed while stopped (%s .. %s); catch_up is off",
                    schedule.schedule_id,
                    len(missed),
                    missed[0].isoformat(),
                    missed[-1].isoformat(),
                )
                self._record_fire(schedule.schedule_id, missed[-1])

    def _fire(self, schedule: TrainingSchedule, when: datetime) -> None:
        running = self._running.get(schedule.schedule_id)
        if running is not None and not running.done():
            self._record_fire(schedule.schedule_id, when)
            logger.warning(
                "schedule %s: skipped the fire at %s: its previous run is still going",
                schedule.schedule_id,
                when.isoformat(),
            )
            return
        run = ScheduleRun(schedule.schedule_id, when)
        self.history.append(run)
        self._active[schedule.schedule_id] = run
        self._record_fire(schedule.schedule_id, when)  # recorded as running before any job starts
        task = asyncio.create_task(self._run(schedule, run), name=f"schedule-{schedule.schedule_id}")
        self._running[schedule.schedule_id] = task
        task.add_done_callback(lambda _: self._wake.set())

    async def _run(self, schedule: TrainingSchedule, run: ScheduleRun) -> None:
        try:
            await self._run_jobs(schedule, run)
        finally:
            self._active.pop(schedule.schedule_id, None)
            self._save_state()

    async def _run_jobs(self, schedule: TrainingSchedule, run: ScheduleRun) -> None:
        logger.info(
            "schedule %s: fire at %s trains %d asset(s)",
            schedule.schedule_id,
            run.fire_time.isoformat(),
            len(schedule.asset_specs),
        )
        for asset in schedule.asset_specs:
            if self._stopping:
                break
            job = TrainingJob(
                job_id=schedule.job_id(asset, run.fire_time),
                asset_spec=asset,
                rl_config=schedule.rl_config,
            )
            try:
                run.results.append(await self.orchestrator.execute_training_job(job))
            except JobAlreadySucceededError as exc:  # a resumed fire keeps the jobs that were done
                logger.info("schedule %s: job %s already succeeded; kept", schedule.schedule_id, job.job_id)
                run.results.append(exc)
            except Exception as exc:  # one asset's failure must not stop the schedule's other assets
                logger.exception("schedule %s: job %s failed", schedule.schedule_id, job.job_id)
                run.results.append(exc)

    # -- state -------------------------------------------------------------------------------

    def _record_fire(self, schedule_id: str, when: datetime) -> None:
        self._last_fire[schedule_id] = when
        self._save_state()

    def _save_state(self) -> None:
        """Last fires, and the fires running now (so that a killed scheduler's next start resumes them)."""
        running = {sid: run.fire_time for sid, run in self._active.items()}
        write_document(
            self.state_path,
            {
                "last_fire": {sid: moment.isoformat() for sid, moment in sorted(self._last_fire.items())},
                "running": {
                    sid: moment.isoformat() for sid, moment in sorted({**self._interrupted, **running}.items())
                },
            },
        )

    def _load_state(self) -> tuple[dict[str, datetime], dict[str, datetime]]:
        if not self.state_path.exists():
            return {}, {}
        try:
            data = json.loads(self.state_path.read_text())
            last = {sid: datetime.fromisoformat(moment) for sid, moment in data["last_fire"].items()}
            running = {sid: datetime.fromisoformat(moment) for sid, moment in data.get("running", {}).items()}
            return last, running
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise SchedulerError(f"scheduler state {self.state_path} is unreadable ({exc}); fix or remove it") from None
