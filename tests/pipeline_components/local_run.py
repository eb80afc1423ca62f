"""Run a container component's command on this machine the way ``kfp.local`` would in a container.

kfp's own local machinery builds the executor input, resolves the placeholders and reads the
outputs back from the executor-output JSON; only the container is replaced by a subprocess
(``kfp.local.SubprocessRunner`` refuses container components, and the tests must not need Docker).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

from kfp.local import executor_input_utils, executor_output_utils, placeholder_utils, utils

PIPELINE = "local-test-pipeline"


def run_component(
    component: Any, arguments: dict[str, Any], pipeline_root: Path, env: dict[str, str], timeout: float = 120
) -> dict[str, Any]:
    """Run ``component`` with ``arguments``; return its outputs (artifacts as ``dsl.Artifact``s)."""
    spec = component.pipeline_spec
    name, component_spec = next(iter(spec.components.items()))
    executor = utils.struct_to_executor_spec(spec.deployment_spec["executors"][component_spec.executor_label])
    task = executor_input_utils.get_local_task_resource_name(name)
    task_root = executor_input_utils.construct_local_task_root(str(pipeline_root), PIPELINE, task)
    executor_input = executor_input_utils.construct_executor_input(
        component_spec, arguments, task_root, block_input_artifact=False
    )
    command = placeholder_utils.replace_placeholders(
        full_command=[*executor.container.command, *executor.container.args],
        executor_input_dict=executor_input_utils.executor_input_to_dict(executor_input, component_spec),
        pipeline_resource_name=PIPELINE,
        task_resource_name=task,
        pipeline_root=str(pipeline_root),
        unique_pipeline_id="test",
    )
    Path(executor_input.outputs.output_file).parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        command, env={**os.environ, **env}, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise AssertionError(f"{name} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return executor_output_utils.get_outputs_for_task(executor_input, component_spec)
