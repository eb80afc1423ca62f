"""``run`` and ``schedule``: the orchestrator and the scheduler as command-line programs.

Their options come from the orchestrator's settings (:mod:`.orchestrator_options`), imported when
one of these commands is configured: the settings import most of the library, which the other
subcommands, the train stage's among them, need not load.
"""

from __future__ import annotations

import argparse

from .command import Command


def _configure_run(parser: argparse.ArgumentParser) -> None:
    from .orchestrator_options import add_orchestrator_options

    parser.add_argument("job", metavar="JOB.yaml", help="a TrainingJob (job_id, asset_spec, rl_config)")
    add_orchestrator_options(parser)


def _run(args: argparse.Namespace) -> int:
    import asyncio

    from ..orchestrator import UnityMLOpsOrchestrator
    from ..specs import TrainingJob
    from .orchestrator_options import settings_from

    job = TrainingJob.load(args.job)
    orchestrator = UnityMLOpsOrchestrator(settings=settings_from(args))
    try:
        result = asyncio.run(orchestrator.execute_training_job(job))
    finally:
        orchestrator.close()
    print(result)
    return 0 if result.succeeded else 1


def _configure_schedule(parser: argparse.ArgumentParser) -> None:
    from .orchestrator_options import add_orchestrator_options

    parser.add_argument(
        "schedules", metavar="SCHEDULES.yaml", help="a document with a 'schedules' list of TrainingSchedule entries"
    )
    parser.add_argument("--state", help="where the last fire of each schedule is kept (default: in the work dir)")
    add_orchestrator_options(parser)


def _schedule(args: argparse.Namespace) -> int:
    import asyncio

    from ..documents import read_document
    from ..errors import Problem, SpecValidationError
    from ..observability.logs import configure_logging
    from ..orchestrator import UnityMLOpsOrchestrator
    from ..scheduler import TrainingScheduler
    from ..specs import TrainingSchedule
    from .orchestrator_options import settings_from

    document = read_document(args.schedules)
    if not isinstance(document, dict) or not isinstance(document.get("schedules"), list):
        raise SpecValidationError(
            [Problem("schedules", "is required: a list of TrainingSchedule entries")], source=args.schedules
        )
    schedules = [
        TrainingSchedule.from_dict(entry, source=f"{args.schedules}: schedules[{index}]")
        for index, entry in enumerate(document["schedules"])
    ]
    configure_logging()
    orchestrator = UnityMLOpsOrchestrator(settings=settings_from(args))
    scheduler = TrainingScheduler(orchestrator, state_path=args.state)
    for schedule in schedules:
        scheduler.add_schedule(schedule)
    try:
        asyncio.run(scheduler.run_forever())
    finally:
        orchestrator.close()
    return 0


RUN = Command("run", "Run one training job through every stage locally and print its result.", _configure_run, _run)
SCHEDULE = Command(
    "schedule",
    "Run TrainingSchedules on their cron as a service (stop with SIGTERM or Ctrl-C).",
    _configure_schedule,
    _schedule,
)
