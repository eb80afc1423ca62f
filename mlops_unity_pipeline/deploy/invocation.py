"""What one ``compile.py`` invocation does: compile for a target, then check, run here, run, or schedule.

:func:`plan` decides everything from what the command line asked (:class:`Request`) before
anything is compiled: the target, the parameters and the checks they get, the schedules, the
caching and the Vertex AI train machine. :func:`carry_out` then compiles, and only after that
submits. The pipeline module (``pipelines/training.py``) comes in as an argument: the library
does not import it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..errors import DeployError, SpecValidationError
from ..specs import TrainingSchedule
from . import deployment, targets
from .compiler import Target, compile_pipeline
from .images import ImageSet
from .local_run import describe, run_local
from .parameters import load_parameters, parameter_file, parameters_from_flags

OUT_DIR = Path("build") / "pipelines"
LOCAL_ROOT = Path("build") / "local-runs"


class PipelineModule(Protocol):
    """What a pipeline module offers the compiler (``pipelines/training.py`` does)."""

    NAME: str
    CACHEABLE: Collection[str]
    PipelineOptions: Callable[..., Any]
    pipeline: Any

    def define(self, options: Any) -> Any: ...


@dataclass(frozen=True)
class Request:
    """What the command line asked for, parsed; ``settings`` makes the platform's settings when they are needed."""

    images: ImageSet
    settings: Callable[[], deployment.Settings]
    target: str | None = None
    kfp_host: str | None = None
    parameters: str | None = None
    asset_specs: Sequence[str] = ()
    rl_config: str | None = None
    assignments: Sequence[str] = ()
    submit: bool = False
    schedule: str | None = None
    timezone: str | None = None
    training_schedules: Sequence[str] = ()
    display_name: str = ""
    run_local: bool = False
    local_root: str | os.PathLike[str] = LOCAL_ROOT
    parallelism: int = 1
    caching: bool | None = None
    cache_tasks: Collection[str] = ()
    output: str | os.PathLike[str] | None = None


@dataclass(frozen=True)
class Plan:
    """What :func:`carry_out` does: compile ``options`` for ``target`` into ``output``, then submit."""

    target: Target
    output: Path
    options: dict[str, Any]
    compile_defaults: dict[str, Any]
    settings: deployment.Settings | None = None
    schedules: list[deployment.Schedule] = field(default_factory=list)
    run_parameters: dict[str, Any] | None = None
    run_now: bool = False


def plan(request: Request, module: PipelineModule) -> Plan:
    """Read and check everything the request names; a bad value is an error now, before anything is compiled."""
    target = Target(request.target or (Target.KFP.value if request.kfp_host else Target.VERTEX.value))
    defaults = targets.parameter_defaults(module.pipeline, target.value, request.images)
    flags = parameters_from_flags(
        list(request.asset_specs) or None, request.rl_config, list(request.assignments) or None
    )
    training_schedules = [TrainingSchedule.load(path) for path in request.training_schedules]
    wanted = request.submit or request.schedule or request.kfp_host or training_schedules
    settings = request.settings() if wanted else None
    platform = deployment.parameter_defaults(settings) if settings is not None else {}
    schedules, run_parameters, base = [], None, {}
    if settings is not None and training_schedules:
        base = {**parameter_file(request.parameters), **flags}
        schedules = [
            deployment.plan_training_schedule(s, settings, base, defaults=defaults) for s in training_schedules
        ]
    elif settings is not None or request.run_local:
        run_parameters = load_parameters(
            request.parameters, flags, platform=platform, target=target.value, defaults=defaults
        )
        if request.schedule:
            schedules = [
                deployment.plan_schedule(
                    request.display_name, run_parameters, settings, request.schedule, request.timezone
                )
            ]
    elif request.parameters or flags:
        _check_given_parameters(request.parameters, flags, target.value, defaults)
    if request.parallelism < 1:
        raise DeployError(f"--parallelism {request.parallelism} must be at least 1")
    train_machine = targets.train_machine(defaults, base, run_parameters or {})
    options = {
        "target": "kfp" if request.run_local else target.value,  # kfp.local runs train as a container, not a custom job
        "parallelism": request.parallelism,
        "cached": (set(module.CACHEABLE) if request.caching is not False else set()) | set(request.cache_tasks),
        "train_machine": train_machine,
    }
    suffix = "local" if request.run_local else target.value
    return Plan(
        target=target,
        output=Path(request.output or OUT_DIR / f"{module.NAME}.{suffix}.yaml"),
        options=options,
        compile_defaults={**targets.compile_defaults(target.value, request.images), **train_machine},
        settings=settings,
        schedules=schedules,
        run_parameters=run_parameters,
        run_now=run_parameters is not None and not request.schedule,
    )


def carry_out(planned: Plan, request: Request, module: PipelineModule, announce: Callable[[str], None]) -> None:
    """Compile, then create the schedules and start the run the plan holds; ``announce`` gets each result."""
    compile_pipeline(
        module.define(module.PipelineOptions(**planned.options)),
        planned.output,
        target=planned.target,
        images=request.images,
        parameter_defaults=planned.compile_defaults,
    )
    announce(str(planned.output))
    for schedule in planned.schedules:
        announce(deployment.create_schedule(planned.output, schedule, planned.settings))
    if request.run_local:
        announce(describe(run_local(planned.output, planned.run_parameters, request.local_root)))
    elif planned.run_now:
        announce(deployment.run_now(planned.output, request.display_name, planned.run_parameters, planned.settings))


def _check_given_parameters(
    path: str | None, flags: Mapping[str, Any], target: str, defaults: Mapping[str, Any]
) -> None:
    """Compiling alone checks the parameters it was given too: a bad value or name is found now, not at a
    later submission. What a run needs but compiling does not (the assets) may still be missing."""
    try:
        load_parameters(path, flags, platform={}, target=target, defaults=defaults)
    except SpecValidationError as exc:
        problems = [problem for problem in exc.problems if problem.message != "is required"]
        if problems:
            raise SpecValidationError(problems, source=exc.source) from None
