"""What every stage component shares: how its command line starts and where KFP wants the executor output.

A component runs the stage command, which writes KFP's executor output itself and stops, with
everything it started, when its ``timeout`` passes: directly (``stage_spec``), the command taking
every value as is (an empty string is "not set", a ``gs://`` URI is read at Vertex AI's ``/gcs/``
mount; an optional input left out leaves its flag out: ``if_present``), or under
``sh -ec SCRIPT <name> ARGS...`` (``shell_spec``) where a value must first become a file
(codegen's specs).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from kfp import dsl

from mlops_unity_pipeline.stage_outputs import STAGE_OUTPUTS

Component = TypeVar("Component")

#: The stage command line; every image puts ``python`` on PATH with the library installed.
STAGE = 'python -m mlops_unity_pipeline --executor-output "$EXECUTOR_OUTPUT" --timeout "$TIMEOUT"'

#: Where KFP reads a container's executor-output JSON.
EXECUTOR_OUTPUT = dsl.PIPELINE_TASK_EXECUTOR_OUTPUT_PATH_PLACEHOLDER


def outputs_of(command: str) -> Callable[[Component], Component]:
    """Declare that a component's outputs are those the stage ``command`` writes; a difference fails the import.

    KFP takes output names from the component function's parameters, and the stage command keys its
    executor output by the names in :mod:`mlops_unity_pipeline.stage_outputs`: an output declared under
    another name would never receive a value.
    """

    def check(component: Component) -> Component:
        declared = set(component.component_spec.outputs or {})
        if declared != STAGE_OUTPUTS[command]:
            raise TypeError(
                f"component {component.name} declares the outputs {sorted(declared)}, but "
                f"'{command}' writes {sorted(STAGE_OUTPUTS[command])} (mlops_unity_pipeline/stage_outputs.py)"
            )
        return component

    return check


def stage_spec(image: str, timeout: Any, args: list[Any]) -> dsl.ContainerSpec:
    """Run the stage command in ``image`` with ``args`` directly, for a stage whose command takes every value as is.

    ``timeout`` is the stage's time limit (seconds, ``3600`` or ``3600s``).
    """
    return dsl.ContainerSpec(
        image=image,
        command=["python", "-m", "mlops_unity_pipeline", "--executor-output", EXECUTOR_OUTPUT, "--timeout", timeout],
        args=args,
    )


def if_present(flag: str, value: Any) -> dsl.IfPresentPlaceholder:
    """``flag value`` when the optional input ``value`` is given, nothing when the task leaves it out."""
    return dsl.IfPresentPlaceholder(input_name=value.input_name, then=[flag, value])


def shell_spec(image: str, name: str, script: str, timeout: Any, args: list[Any]) -> dsl.ContainerSpec:
    """Run ``script`` in ``image`` under ``sh -ec``: ``$0`` is ``name``, then ``args`` as ``$1``, ``$2``...

    ``$EXECUTOR_OUTPUT`` holds the path KFP reads the executor output from, ``$TIMEOUT`` the stage's
    time limit (seconds, ``3600`` or ``3600s``).
    """
    return dsl.ContainerSpec(
        image=image,
        command=["sh", "-ec", f'EXECUTOR_OUTPUT="$1"; TIMEOUT="$2"; shift 2\n{script}', name],
        args=[EXECUTOR_OUTPUT, timeout, *args],
    )
