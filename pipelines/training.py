"""The training pipeline: every asset of a schedule through codegen → build → train → evaluate → register.

Assets fan out with ``dsl.ParallelFor`` (at most ``parallelism`` at once), so one run trains
them in parallel; inside each asset its ``training_seeds`` fan out again (a nested loop over
plan-seeds' items), select-seed chooses one from their ``dsl.Collected`` training folders on
selection episodes of their own, and the chosen seed is evaluated against the champion on fresh
episodes and registered. An exit handler reports the run's final status. :func:`define` makes the
pipeline for a compile target: on Vertex AI the train task is a Vertex AI custom training job
(machine type, GPUs, timeout, service account, spot scheduling); on Kubeflow Pipelines it is a
pod, and Kubernetes-only settings (the Unity licence Secret, the GPU toleration, the registry
volume) are declared with kfp-kubernetes in the compiled file's platform document, which the
Vertex AI target leaves out. Every task has a time limit; only codegen and build are cached
unless more is asked for, per task.

An asset may name an existing behaviour of a team's own Unity project (its ``existing`` block)
instead of describing one: codegen then generates nothing and records it, the build task runs
the team's build in a copy of its project (``existing.unity_project``: a ``gs://`` URI read at
Vertex AI's ``/gcs/`` mount, or a folder every task can see, as inside a local run's pipeline
root), and train and evaluate read the behaviour from the player at the ML-Agents handshake.
Generated and existing assets mix in one run. The champion task fetches the registry's champion
before training, so a champion that no longer fits the player fails before any training.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from kfp import dsl, kubernetes

from components.build import build
from components.champion import champion
from components.codegen import codegen
from components.evaluate import evaluate
from components.notify import notify
from components.plan_seeds import plan_seeds
from components.project_version import project_version
from components.register import register
from components.select_seed import select_seed
from components.train import train
from mlops_unity_pipeline.deploy import targets
from mlops_unity_pipeline.deploy.images import SERVING, default_ref
from mlops_unity_pipeline.deploy.targets import REGISTRY_CLAIM, REGISTRY_MOUNT
from mlops_unity_pipeline.settings import OrchestratorSettings

NAME = "unity-mlops-training"
DESCRIPTION = "Unity ML-Agents: codegen, headless build, GPU training, evaluation and registration of each asset."

#: Kubernetes: the Secret holding the Unity licence, as the environment the Unity Editor reads.
UNITY_LICENSE_SECRET = "unity-license"
UNITY_LICENSE_ENV = {
    "serial": "UNITY_SERIAL",
    "username": "UNITY_EMAIL",
    "password": "UNITY_PASSWORD",
    "license": "UNITY_LICENSE",
}
#: Kubernetes: GPU nodes are tainted with this key (the NVIDIA GPU operator's and GKE's convention).
#: No node selector: a pod asking for ``nvidia.com/gpu`` only fits on nodes that have GPUs, and
#: GPU node labels differ between clusters (GKE's ``cloud.google.com/gke-accelerator``, the GPU
#: operator's ``nvidia.com/gpu.present``).
GPU_TAINT_KEY = "nvidia.com/gpu"
#: The parameters a local run also takes default to what a local run uses.
LOCAL_DEFAULTS = OrchestratorSettings()

#: Training retries resume from the last checkpoint, so a preempted GPU node costs little.
TRAIN_RETRIES = 3
TRAIN_BACKOFF = "60s"
TRAIN_BACKOFF_FACTOR = 2.0
TRAIN_BACKOFF_MAX = "3600s"

#: Time limits of the tasks whose length does not depend on the run's settings (build and train
#: take theirs from the parameters ``build_timeout`` and ``train_timeout``).
CODEGEN_TIMEOUT = "900s"
PROJECT_VERSION_TIMEOUT = "900s"
CHAMPION_TIMEOUT = "900s"
SELECT_SEED_TIMEOUT = "7200s"
EVALUATE_TIMEOUT = "7200s"
REGISTER_TIMEOUT = "1800s"
NOTIFY_TIMEOUT_S = 300
PLAN_SEEDS_TIMEOUT_S = 900

#: Tasks whose output depends only on their inputs; only these are cached unless asked for. The
#: build's inputs include the project's version, read afresh every run (project-version is never cached).
CACHEABLE = ("codegen", "build")
TASKS = ("codegen", "build", "plan-seeds", "train", "select-seed", "evaluate", "register")
#: How many assets train at once unless set when compiling (each takes a GPU on its own machine).
DEFAULT_PARALLELISM = 4


@dataclass(frozen=True)
class PipelineOptions:
    """What is fixed when compiling, because kfp cannot take it from a run's parameters."""

    #: ``vertex``: train as a Vertex AI custom job; ``kfp``: as a pod (also what runs under kfp.local).
    target: str = "kfp"
    #: How many assets run at once, and how many training seeds of each asset.
    parallelism: int = DEFAULT_PARALLELISM
    #: The tasks that may reuse an earlier run's outputs; the rest always run.
    cached: Collection[str] = CACHEABLE
    #: The Vertex AI machine of the train task: ``machine_type``, ``accelerator_type``, ``accelerator_count``.
    train_machine: dict[str, Any] = field(default_factory=dict)


def define(options: PipelineOptions = PipelineOptions()) -> Callable[..., Any]:
    """The pipeline for ``options``; every variant takes the same parameters."""
    unknown = set(options.cached) - set(TASKS)
    if unknown:
        raise ValueError(f"cannot cache {sorted(unknown)}: the tasks are {', '.join(TASKS)}")
    train_task = _vertex_train(options.train_machine) if options.target == "vertex" else None

    @dsl.pipeline(name=NAME, description=DESCRIPTION)
    def pipeline(
        asset_specs: list,
        rl_config: dict = {},  # noqa: B006 (kfp reads the default from the signature)
        unity_project_uri: str = "",
        build_backend: str = "auto",
        unity_license_secret: str = "",
        demonstrations_uri: str = "",
        vertex_project: str = "",
        vertex_region: str = LOCAL_DEFAULTS.vertex_region,
        staging_bucket: str = "",
        serving_image: str = default_ref(SERVING),
        vertex_experiment: str = "",
        vertex_tensorboard: str = "",
        registry_dir: str = "",
        model_name: str = "unity-mlops-policy",
        champion_margin: float = LOCAL_DEFAULTS.champion_margin,
        eval_episodes: int = LOCAL_DEFAULTS.eval_episodes,
        gate_confidence: float = LOCAL_DEFAULTS.gate_confidence,
        gate_min_episodes: int = LOCAL_DEFAULTS.gate_min_episodes,
        min_success_rate: float = 0.0,
        training_seeds: int = LOCAL_DEFAULTS.training_seeds,
        seed_selection: str = LOCAL_DEFAULTS.seed_selection,
        notification_webhook: str = "",
        machine_type: str = "g2-standard-8",
        accelerator_type: str = targets.VERTEX_ACCELERATOR,
        accelerator_count: int = 1,
        cpu_limit: str = "8",
        memory_limit: str = "32G",
        scheduling_strategy: str = "STANDARD",
        build_timeout: str = "10800s",
        train_timeout: str = "86400s",
    ):
        """Train every asset in ``asset_specs`` (asset-spec dicts) with ``rl_config``.

        Parameters are validated against ``schemas/pipeline_parameters.schema.json`` before a run
        is submitted. ``accelerator_type`` is Vertex AI's name (``NVIDIA_L4``) or Kubernetes' resource
        (``nvidia.com/gpu``); the compiler sets the default for its target.
        """
        exit_task = notify(webhook=notification_webhook).set_display_name("report-status")
        kubernetes.set_timeout(exit_task, NOTIFY_TIMEOUT_S)
        with (
            dsl.ExitHandler(exit_task, name="train-assets"),
            dsl.ParallelFor(asset_specs, name="assets", parallelism=options.parallelism) as asset_spec,
        ):
            generate = codegen(asset_spec=asset_spec, rl_config=rl_config, timeout=CODEGEN_TIMEOUT)
            version = project_version(
                generated=generate.outputs["generated"],
                unity_project_uri=unity_project_uri,
                timeout=PROJECT_VERSION_TIMEOUT,
            )
            version.set_caching_options(False)  # it must look at the project every run
            player = build(
                generated=generate.outputs["generated"],
                unity_project_uri=unity_project_uri,
                backend=build_backend,
                license_secret=unity_license_secret,
                project_version=version.outputs["version"],
                timeout=build_timeout,
            )
            kubernetes.use_secret_as_env(player, UNITY_LICENSE_SECRET, UNITY_LICENSE_ENV, optional=True)
            # The champion is fetched before training (train checks it fits the player, evaluate runs it) from
            # the registry the register task files the new version in: one set of registry settings for both.
            registry = {
                "model_name": model_name,
                "asset_id": generate.outputs["asset_id"],
                "registry_dir": registry_dir,
                "vertex_project": vertex_project,
                "vertex_region": vertex_region,
                "staging_bucket": staging_bucket,
            }
            current = champion(timeout=CHAMPION_TIMEOUT, **registry)
            current.set_caching_options(False)  # the registry's champion changes between runs
            kubernetes.mount_pvc(current, REGISTRY_CLAIM, REGISTRY_MOUNT)

            seeds = plan_seeds(generated=generate.outputs["generated"], count=training_seeds)
            kubernetes.set_timeout(seeds, PLAN_SEEDS_TIMEOUT_S)
            # Inside the seeds loop, tasks take per-asset values from the loop's item and artifacts only:
            # kfp.local replaces a task-output parameter entering a nested loop with the loop's item.
            with dsl.ParallelFor(seeds.output, name="seeds", parallelism=options.parallelism) as seed:
                train_inputs = {
                    "generated": generate.outputs["generated"],
                    "player": player.outputs["player"],
                    "champion": current.outputs["champion"],
                    "demonstrations_uri": demonstrations_uri,
                    "pipeline_root": dsl.PIPELINE_ROOT_PLACEHOLDER,
                    "run_id": dsl.PIPELINE_JOB_ID_PLACEHOLDER,
                    "asset_id": seed.asset_id,
                    "seed": seed.seed,
                    "seed_index": seed.index,
                    "timeout": train_timeout,
                }
                if train_task is not None:
                    trained = train_task(**train_inputs, strategy=scheduling_strategy)
                else:
                    trained = (
                        train(**train_inputs)
                        .set_accelerator_type(accelerator_type)
                        .set_accelerator_limit(accelerator_count)
                        .set_cpu_limit(cpu_limit)
                        .set_memory_limit(memory_limit)
                    )
                    # kfp writes a resource setting's parameter into the task as a placeholder but does not count
                    # it as an input of the loops and exit handler around the task, whose compiled DAGs then
                    # reference parameters they never receive (kfp.local and Vertex AI fail on that).
                    trained.register_pipeline_channels([accelerator_type, accelerator_count, cpu_limit, memory_limit])
                    kubernetes.add_toleration(trained, key=GPU_TAINT_KEY, operator="Exists", effect="NoSchedule")
                trained.set_retry(TRAIN_RETRIES, TRAIN_BACKOFF, TRAIN_BACKOFF_FACTOR, TRAIN_BACKOFF_MAX)

            selected = select_seed(
                trainings=dsl.Collected(trained.outputs["training"]),
                player=player.outputs["player"],
                generated=generate.outputs["generated"],
                episodes=eval_episodes,
                rule=seed_selection,
                timeout=SELECT_SEED_TIMEOUT,
            )
            evaluated = evaluate(
                model=selected.outputs["model"],
                player=player.outputs["player"],
                generated=generate.outputs["generated"],
                champion=current.outputs["champion"],
                selection=selected.outputs["selection"],
                episodes=eval_episodes,
                timeout=EVALUATE_TIMEOUT,
            )

            registered = register(
                model=selected.outputs["model"],
                generated=generate.outputs["generated"],
                training=selected.outputs["training"],
                evaluation=evaluated.outputs["evaluation"],
                job_id=dsl.PIPELINE_JOB_NAME_PLACEHOLDER,
                champion_margin=champion_margin,
                gate_confidence=gate_confidence,
                gate_min_episodes=gate_min_episodes,
                min_success_rate=min_success_rate,
                serving_image=serving_image,
                vertex_experiment=vertex_experiment,
                vertex_tensorboard=vertex_tensorboard,
                timeout=REGISTER_TIMEOUT,
                **registry,
            )
            kubernetes.mount_pvc(registered, REGISTRY_CLAIM, REGISTRY_MOUNT)
            for name, task in zip(TASKS, (generate, player, seeds, trained, selected, evaluated, registered)):
                task.set_caching_options(name in options.cached)

    return pipeline


def _vertex_train(machine: dict[str, Any]) -> Any:
    """The train component as a Vertex AI custom training job on ``machine``.

    The machine is fixed when compiling: google-cloud-pipeline-components writes it into the job's
    worker pool spec, which a run's parameters do not reach (the submission checks they agree).
    The job runs in the pipeline run's project and region (the component's defaults), as the run's
    own service account rather than Vertex AI's custom code service agent.
    """
    from google_cloud_pipeline_components._placeholders import SERVICE_ACCOUNT_PLACEHOLDER
    from google_cloud_pipeline_components.v1.custom_job import create_custom_training_job_from_component

    settings = {**MACHINE_DEFAULTS, **machine}
    return create_custom_training_job_from_component(
        train,
        display_name="train",
        machine_type=settings["machine_type"],
        accelerator_type=settings["accelerator_type"] if settings["accelerator_count"] else "",
        accelerator_count=settings["accelerator_count"],
        service_account=SERVICE_ACCOUNT_PLACEHOLDER,
    )


#: The pipeline as most callers want it: the Kubeflow Pipelines variant, which also runs under kfp.local.
pipeline = define()
#: The Vertex AI train machine unless compiled for another.
MACHINE_DEFAULTS = targets.train_machine(targets.declared_defaults(pipeline), targets.TARGET_DEFAULTS["vertex"])
