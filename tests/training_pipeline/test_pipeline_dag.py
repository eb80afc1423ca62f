"""The compiled pipeline, read back through kfp's own protos: DAG, images, resources, retries, caching."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from google.protobuf import json_format
from kfp.pipeline_spec import pipeline_spec_pb2

from mlops_unity_pipeline.deploy.compiler import Target, read_pipeline_documents
from tests.compiled_pipelines import TEST_IMAGES

GOLDEN = Path(__file__).parent / "golden"
STAGES = ("codegen", "build", "train", "evaluate", "register")


def _spec(path: Path) -> pipeline_spec_pb2.PipelineSpec:
    return json_format.ParseDict(read_pipeline_documents(path)[0], pipeline_spec_pb2.PipelineSpec())


def _executors(spec: pipeline_spec_pb2.PipelineSpec) -> dict[str, Any]:
    """The deployment spec is a Struct in PipelineSpec; parse it as the message it holds."""
    config = json_format.ParseDict(
        json_format.MessageToDict(spec.deployment_spec), pipeline_spec_pb2.PipelineDeploymentConfig()
    )
    return dict(config.executors)


def _loop_holding(spec: pipeline_spec_pb2.PipelineSpec, task: str) -> pipeline_spec_pb2.ComponentSpec:
    (name,) = [
        name
        for name, component in spec.components.items()
        if name.startswith("comp-for-loop") and task in component.dag.tasks
    ]
    return spec.components[name]


def _loop(spec: pipeline_spec_pb2.PipelineSpec) -> pipeline_spec_pb2.ComponentSpec:
    """The assets loop's body: the DAG that runs once per asset."""
    return _loop_holding(spec, "codegen")


def _seed_loop(spec: pipeline_spec_pb2.PipelineSpec) -> pipeline_spec_pb2.ComponentSpec:
    """The seeds loop's body, nested in the assets loop: the DAG that runs once per training seed."""
    return _loop_holding(spec, "train")


def _upstream(task: pipeline_spec_pb2.PipelineTaskSpec) -> set[str]:
    producers = {a.task_output_artifact.producer_task for a in task.inputs.artifacts.values()}
    producers |= {p.task_output_parameter.producer_task for p in task.inputs.parameters.values()}
    return (producers | set(task.dependent_tasks)) - {""}


@pytest.mark.parametrize("target", list(Target))
def test_each_asset_runs_the_five_stages_in_order(compiled: dict[Target, Path], target: Target) -> None:
    spec = _spec(compiled[target])
    tasks = _loop(spec).dag.tasks
    (seeds_loop,) = [name for name in tasks if name.startswith("for-loop")]
    assert set(tasks) == {*STAGES, "project-version", "champion", "plan-seeds", "select-seed", seeds_loop} - {"train"}
    assert {name: _upstream(task) for name, task in tasks.items()} == {
        "codegen": set(),
        "project-version": {"codegen"},  # an existing asset's own project is versioned
        "build": {"codegen", "project-version"},
        "champion": {"codegen"},
        "plan-seeds": {"codegen"},
        # one train task per training seed; a champion that does not fit the player fails before training
        seeds_loop: {"codegen", "build", "champion", "plan-seeds"},
        "select-seed": {"codegen", "build", seeds_loop},
        "evaluate": {"codegen", "build", "select-seed", "champion"},
        "register": {"codegen", "select-seed", "evaluate"},
    }
    assert set(_seed_loop(spec).dag.tasks) == {"train"}
    assert tasks[seeds_loop].parameter_iterator.items.input_parameter == "pipelinechannel--plan-seeds-Output"
    collected = tasks["select-seed"].inputs.artifacts["trainings"].task_output_artifact
    assert (collected.producer_task, collected.output_artifact_key) == (seeds_loop, "pipelinechannel--train-training")
    for name in ("model", "selection"):
        assert tasks["evaluate"].inputs.artifacts[name].task_output_artifact.producer_task == "select-seed", name
    for name in ("model", "training"):
        assert tasks["register"].inputs.artifacts[name].task_output_artifact.producer_task == "select-seed", name
    assert tasks["register"].inputs.parameters["asset_id"].task_output_parameter.output_parameter_key == "asset_id"


@pytest.mark.parametrize("target", list(Target))
def test_assets_fan_out_with_parallel_for_inside_the_exit_handler(compiled: dict[Target, Path], target: Target) -> None:
    spec = _spec(compiled[target])
    root = spec.root.dag.tasks
    (handler_name,) = [name for name in root if name.startswith("exit-handler")]
    assert set(root) == {handler_name, "notify"}
    notify = root["notify"]
    assert (
        notify.trigger_policy.strategy == pipeline_spec_pb2.PipelineTaskSpec.TriggerPolicy.ALL_UPSTREAM_TASKS_COMPLETED
    )
    assert list(notify.dependent_tasks) == [handler_name]
    assert notify.inputs.parameters["webhook"].component_input_parameter == "notification_webhook"
    handler = spec.components[root[handler_name].component_ref.name]
    (loop_task,) = handler.dag.tasks.values()
    iterator = loop_task.parameter_iterator
    assert iterator.items.input_parameter.endswith("asset_specs")
    assert loop_task.inputs.parameters[iterator.items.input_parameter].component_input_parameter.endswith("asset_specs")


def _worker_pool(path: Path) -> dict[str, Any]:
    """The Vertex AI custom training job's single worker pool, as compiled into the train component."""
    (spec,) = read_pipeline_documents(path)
    (pool,) = spec["components"]["comp-train"]["inputDefinitions"]["parameters"]["worker_pool_specs"]["defaultValue"]
    return pool


@pytest.mark.parametrize("target", list(Target))
def test_images_come_from_the_compile_time_registry_and_tag(compiled: dict[Target, Path], target: Target) -> None:
    spec = _spec(compiled[target])
    images = {name.removeprefix("exec-"): e.container.image for name, e in _executors(spec).items()}
    train_image = TEST_IMAGES.ref("trainer")
    if target is Target.VERTEX:  # the train task launches a custom job, whose container is the trainer
        train_image = "gcr.io/ml-pipeline/google-cloud-pipeline-components:2.22.0"
        assert _worker_pool(compiled[target])["container_spec"]["image_uri"] == TEST_IMAGES.ref("trainer")
    assert images == {
        "codegen": TEST_IMAGES.ref("pipeline"),
        "build": TEST_IMAGES.ref("unity-builder"),
        "train": train_image,
        "plan-seeds": TEST_IMAGES.ref("pipeline"),  # a Python component: kfp is in the pipeline image
        "select-seed": TEST_IMAGES.ref("trainer"),  # drives a player through mlagents_envs, as evaluate
        "evaluate": TEST_IMAGES.ref("trainer"),  # drives a player through mlagents_envs
        "champion": TEST_IMAGES.ref("pipeline"),  # reaches Vertex AI
        "register": TEST_IMAGES.ref("pipeline"),
        "notify": TEST_IMAGES.ref("pipeline"),
        "project-version": TEST_IMAGES.ref("pipeline"),
    }
    serving = spec.root.input_definitions.parameters["serving_image"].default_value.string_value
    assert serving == TEST_IMAGES.ref("serving"), "registered versions are served from the same registry and tag"


def test_kubernetes_train_asks_for_the_accelerator_cpu_and_memory(compiled: dict[Target, Path]) -> None:
    spec = _spec(compiled[Target.KFP])
    resources = _executors(spec)["exec-train"].container.resources
    assert resources.accelerator.resource_type == "{{$.inputs.parameters['pipelinechannel--accelerator_type']}}"
    assert resources.accelerator.resource_count == "{{$.inputs.parameters['pipelinechannel--accelerator_count']}}"
    assert resources.resource_cpu_limit == "{{$.inputs.parameters['pipelinechannel--cpu_limit']}}"
    assert resources.resource_memory_limit == "{{$.inputs.parameters['pipelinechannel--memory_limit']}}"
    inputs = spec.root.input_definitions.parameters
    assert inputs["accelerator_type"].default_value.string_value == "nvidia.com/gpu"
    assert inputs["accelerator_count"].default_value.number_value == 1
    for name, executor in _executors(spec).items():
        if name != "exec-train":
            assert not executor.container.resources.HasField("accelerator"), name


def test_vertex_train_is_a_custom_job_with_machine_timeout_account_and_scheduling(compiled: dict[Target, Path]) -> None:
    pool = _worker_pool(compiled[Target.VERTEX])
    assert pool["machine_spec"] == {
        "machine_type": "g2-standard-8",
        "accelerator_type": "NVIDIA_L4",
        "accelerator_count": 1,
    }
    assert pool["replica_count"] == 1
    train = _seed_loop(_spec(compiled[Target.VERTEX])).dag.tasks["train"].inputs.parameters
    wired = {
        name: train[name].component_input_parameter.removeprefix("pipelinechannel--")
        for name in ("timeout", "strategy")
    }
    assert wired == {"timeout": "train_timeout", "strategy": "scheduling_strategy"}
    (spec,) = read_pipeline_documents(compiled[Target.VERTEX])
    defaults = {
        name: spec["components"]["comp-train"]["inputDefinitions"]["parameters"][name].get("defaultValue")
        for name in ("service_account", "project", "location")
    }
    assert defaults == {
        "service_account": "{{$.pipeline_service_account}}",
        "project": "{{$.pipeline_google_cloud_project_id}}",
        "location": "{{$.pipeline_google_cloud_location}}",
    }, "the run's own account, project and region"
    inputs = _spec(compiled[Target.VERTEX]).root.input_definitions.parameters
    assert inputs["machine_type"].default_value.string_value == "g2-standard-8"
    assert not any(
        executor.container.resources.HasField("accelerator")
        for executor in _executors(_spec(compiled[Target.VERTEX])).values()
    )


@pytest.mark.parametrize("target", list(Target))
def test_every_task_has_a_time_limit_and_train_keeps_its_checkpoints_per_run_and_asset(
    compiled: dict[Target, Path], target: Target
) -> None:
    spec = _spec(compiled[target])
    tasks = {**_loop(spec).dag.tasks, **_seed_loop(spec).dag.tasks}
    limits = {
        name: task.inputs.parameters["timeout"] for name, task in tasks.items() if "timeout" in task.inputs.parameters
    }
    assert {
        name: limit.component_input_parameter.removeprefix("pipelinechannel--")
        for name, limit in limits.items()
        if limit.component_input_parameter
    } == {"build": "build_timeout", "train": "train_timeout"}
    assert {
        name: limit.runtime_value.constant.string_value
        for name, limit in limits.items()
        if not limit.component_input_parameter
    } == {
        "codegen": "900s",
        "project-version": "900s",
        "evaluate": "7200s",
        "register": "1800s",
        "champion": "900s",
        "select-seed": "7200s",
    }
    untimed = {name for name, task in tasks.items() if "timeout" not in task.inputs.parameters}
    assert {name for name in untimed if not name.startswith("for-loop")} == {"plan-seeds"}  # Kubernetes' deadline only
    train = tasks["train"].inputs.parameters
    assert train["pipeline_root"].runtime_value.constant.string_value == "{{$.pipeline_root}}"
    assert train["run_id"].runtime_value.constant.string_value == "{{$.pipeline_job_uuid}}"
    for name, field in (("asset_id", "asset_id"), ("seed", "seed"), ("seed_index", "index")):
        assert train[name].component_input_parameter == "pipelinechannel--plan-seeds-Output-loop-item", name
        assert train[name].parameter_expression_selector == f'parseJson(string_value)["{field}"]', name


@pytest.mark.parametrize("target", list(Target))
def test_assets_fan_out_at_most_parallelism_at_a_time(target: Target, tmp_path: Path) -> None:
    from mlops_unity_pipeline.deploy.compiler import compile_pipeline
    from pipelines import training

    path = compile_pipeline(
        training.define(training.PipelineOptions(target=target.value, parallelism=2)),
        tmp_path / "p.yaml",
        target=target,
        images=TEST_IMAGES,
    )
    handler = next(c for name, c in _spec(path).components.items() if name.startswith("comp-exit-handler"))
    (loop_task,) = handler.dag.tasks.values()
    assert loop_task.iterator_policy.parallelism_limit == 2


@pytest.mark.parametrize("target", list(Target))
def test_every_parameter_a_task_reads_from_its_dag_is_an_input_of_that_dag(
    compiled: dict[Target, Path], target: Target
) -> None:
    """Resource settings included: a sub-DAG (loop, exit handler) must receive what its tasks read."""
    spec = _spec(compiled[target])
    dags = {name: component for name, component in spec.components.items() if component.HasField("dag")}
    missing = [
        f"{dag_name}/{task_name}: {parameter.component_input_parameter}"
        for dag_name, component in dags.items()
        for task_name, task in component.dag.tasks.items()
        for parameter in task.inputs.parameters.values()
        if parameter.component_input_parameter
        and parameter.component_input_parameter not in component.input_definitions.parameters
    ]
    assert missing == []


@pytest.mark.parametrize("target", list(Target))
def test_train_retries_with_backoff_and_only_codegen_and_build_cache(
    compiled: dict[Target, Path], target: Target
) -> None:
    spec = _spec(compiled[target])
    tasks = {
        name: task
        for name, task in {**_loop(spec).dag.tasks, **_seed_loop(spec).dag.tasks}.items()
        if not name.startswith("for-loop")
    }
    retry = tasks["train"].retry_policy
    assert (
        retry.max_retry_count,
        retry.backoff_duration.seconds,
        retry.backoff_factor,
        retry.backoff_max_duration.seconds,
    ) == (3, 60, 2.0, 3600)
    assert {name: task.caching_options.enable_cache for name, task in tasks.items()} == {
        "codegen": True,
        "project-version": False,
        "build": True,
        "plan-seeds": False,
        "train": False,
        "select-seed": False,
        "evaluate": False,
        "register": False,
        "champion": False,
    }
    assert tasks["build"].inputs.parameters["project_version"].task_output_parameter.producer_task == "project-version"
    assert all(not task.HasField("retry_policy") for name, task in tasks.items() if name != "train")


def test_vertex_yaml_is_one_document_and_kfp_adds_the_kubernetes_platform(compiled: dict[Target, Path]) -> None:
    assert len(read_pipeline_documents(compiled[Target.VERTEX])) == 1
    documents = read_pipeline_documents(compiled[Target.KFP])
    assert len(documents) == 2
    platform = json_format.ParseDict(documents[1], pipeline_spec_pb2.PlatformSpec())
    executors = json_format.MessageToDict(platform.platforms["kubernetes"])["deploymentSpec"]["executors"]
    assert executors["exec-build"]["secretAsEnv"][0]["secretName"] == "unity-license"
    env = {item["secretKey"]: item["envVar"] for item in executors["exec-build"]["secretAsEnv"][0]["keyToEnv"]}
    assert env == {
        "serial": "UNITY_SERIAL",
        "username": "UNITY_EMAIL",
        "password": "UNITY_PASSWORD",
        "license": "UNITY_LICENSE",
    }
    assert "nodeSelector" not in executors["exec-train"], (
        "a GPU request is enough; GPU node labels differ between clusters"
    )
    assert executors["exec-notify"]["activeDeadlineSeconds"] == "300"
    assert executors["exec-train"]["tolerations"] == [
        {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}
    ]
    assert executors["exec-register"]["pvcMount"][0]["mountPath"] == "/registry"
    inputs = _spec(compiled[Target.KFP]).root.input_definitions.parameters
    assert inputs["registry_dir"].default_value.string_value == "/registry"


@pytest.mark.parametrize("target", list(Target))
def test_stage_commands_write_the_executor_output_within_their_time_limit(
    compiled: dict[Target, Path], target: Target
) -> None:
    executors = _executors(_spec(compiled[target]))
    commands = {
        stage: (list(executors[f"exec-{stage}"].container.command), list(executors[f"exec-{stage}"].container.args))
        for stage in STAGES
    }
    if target is Target.VERTEX:
        pool = _worker_pool(compiled[target])["container_spec"]
        commands["train"] = (pool["command"], pool["args"])
    for stage, (command, args) in commands.items():
        if command[0] == "python":  # the stage command run directly, with no shell
            assert command == [
                "python",
                "-m",
                "mlops_unity_pipeline",
                "--executor-output",
                "{{$.outputs.output_file}}",
                "--timeout",
                "{{$.inputs.parameters['timeout']}}",
            ], stage
            continue
        assert args[:2] == ["{{$.outputs.output_file}}", "{{$.inputs.parameters['timeout']}}"], stage
        assert (
            '\nexec python -m mlops_unity_pipeline --executor-output "$EXECUTOR_OUTPUT" --timeout "$TIMEOUT"'
            in command[2]
        ), stage


def _without_sdk_version(path: Path) -> list[dict[str, Any]]:
    documents = read_pipeline_documents(path)
    documents[0].pop("sdkVersion")
    return documents


@pytest.mark.parametrize("target", list(Target))
def test_compiled_yaml_matches_the_golden_file(compiled: dict[Target, Path], target: Target) -> None:
    """Regenerate with UPDATE_GOLDEN=1 after an intended change, and review the diff."""
    golden = GOLDEN / f"unity-mlops-training.{target.value}.yaml"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        documents = _without_sdk_version(compiled[target])
        golden.write_text(yaml.safe_dump_all(documents, sort_keys=True, width=1000))
    assert _without_sdk_version(compiled[target]) == [d for d in yaml.safe_load_all(golden.read_text()) if d]
