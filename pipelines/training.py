"""The training pipeline: every asset of a schedule through codegen → build → train → evaluate → register.

Assets fan out with ``dsl.ParallelFor``, so one run trains all of them in parallel; an exit
handler reports the run's final status. Kubernetes-only settings (the Unity licence secret, GPU
node selector and toleration, the registry volume) are declared here with kfp-kubernetes and
land in the compiled file's platform document, which the Vertex AI target leaves out.
"""

from kfp import dsl, kubernetes

from components.build import build
from components.codegen import codegen
from components.evaluate import evaluate
from components.notify import notify
from components.register import register
from components.train import train
from mlops_unity_pipeline.deploy.images import SERVING, ImageSet, default_ref

NAME = "unity-mlops-training"

#: Kubernetes: the Secret holding the Unity licence, as the environment the Unity Editor reads.
UNITY_LICENSE_SECRET = "unity-license"
UNITY_LICENSE_ENV = {"serial": "UNITY_SERIAL", "username": "UNITY_EMAIL", "password": "UNITY_PASSWORD", "license": "UNITY_LICENSE"}
#: Kubernetes: GPU nodes carry this label and taint (the NVIDIA GPU operator's conventions).
GPU_NODE_LABEL = ("nvidia.com/gpu.present", "true")
GPU_TAINT_KEY = "nvidia.com/gpu"
#: Kubernetes: the file registry lives on this volume claim, mounted where ``registry_dir`` points.
REGISTRY_CLAIM = "unity-mlops-registry"
REGISTRY_MOUNT = "/registry"

#: Parameter defaults per compile target: accelerator names differ, and on Kubernetes the file
#: registry is the mounted volume.
TARGET_DEFAULTS: dict[str, dict[str, object]] = {
    "vertex": {"accelerator_type": "NVIDIA_L4"},
    "kfp": {"accelerator_type": "nvidia.com/gpu", "registry_dir": REGISTRY_MOUNT},
}


def compile_defaults(target: str, images: ImageSet) -> dict[str, object]:
    """The parameter defaults to compile with: the target's, and the serving image of the chosen registry."""
    return {**TARGET_DEFAULTS[target], "serving_image": images.ref(SERVING)}


def parameter_defaults(target: str, images: ImageSet) -> dict[str, object]:
    """Every parameter's value in a run of ``target`` that does not set it (what a run is checked against)."""
    declared = {name: spec.default for name, spec in pipeline.component_spec.inputs.items() if spec.default is not None}
    return {**declared, **compile_defaults(target, images)}

#: Training retries resume from the last checkpoint, so a preempted GPU node costs little.
TRAIN_RETRIES = 3
TRAIN_BACKOFF = "60s"
TRAIN_BACKOFF_FACTOR = 2.0
TRAIN_BACKOFF_MAX = "3600s"


@dsl.pipeline(name=NAME, description="Unity ML-Agents: codegen, headless build, GPU training, evaluation and registration of each asset.")
def pipeline(
    asset_specs: list,
    rl_config: dict = {},
    unity_project_uri: str = "",
    build_backend: str = "auto",
    demonstrations_uri: str = "",
    vertex_project: str = "",
    vertex_region: str = "us-central1",
    staging_bucket: str = "",
    serving_image: str = default_ref(SERVING),
    vertex_experiment: str = "",
    vertex_tensorboard: str = "",
    registry_dir: str = "",
    model_name: str = "unity-mlops-policy",
    champion_margin: float = 0.0,
    eval_episodes: int = 20,
    notification_webhook: str = "",
    accelerator_type: str = "NVIDIA_L4",
    accelerator_count: int = 1,
    cpu_limit: str = "8",
    memory_limit: str = "32G",
):
    """Train every asset in ``asset_specs`` (asset-spec dicts) with ``rl_config``.

    Parameters are validated against ``schemas/pipeline_parameters.schema.json`` before a run
    is submitted. ``accelerator_type`` is Vertex AI's name (``NVIDIA_L4``) or Kubernetes' resource
    (``nvidia.com/gpu``); the compiler sets the default for its target.
    """
    exit_task = notify(webhook=notification_webhook).set_display_name("report-status")
    with dsl.ExitHandler(exit_task, name="train-assets"):
        with dsl.ParallelFor(asset_specs, name="assets") as asset_spec:
            generate = codegen(asset_spec=asset_spec, rl_config=rl_config).set_caching_options(True)
            player = build(
                generated=generate.outputs["generated"], unity_project_uri=unity_project_uri, backend=build_backend
            ).set_caching_options(True)
            kubernetes.use_secret_as_env(player, UNITY_LICENSE_SECRET, UNITY_LICENSE_ENV, optional=True)

            trained = (
                train(
                    generated=generate.outputs["generated"],
                    player=player.outputs["player"],
                    demonstrations_uri=demonstrations_uri,
                )
                .set_caching_options(False)
                .set_accelerator_type(accelerator_type)
                .set_accelerator_limit(accelerator_count)
                .set_cpu_limit(cpu_limit)
                .set_memory_limit(memory_limit)
                .set_retry(TRAIN_RETRIES, TRAIN_BACKOFF, TRAIN_BACKOFF_FACTOR, TRAIN_BACKOFF_MAX)
            )
            # kfp writes a resource setting's parameter into the task as a placeholder but does not count
            # it as an input of the loop and exit handler around the task, whose compiled DAGs then
            # reference parameters they never receive (kfp.local and Vertex AI fail on that).
            trained.register_pipeline_channels([accelerator_type, accelerator_count, cpu_limit, memory_limit])
            kubernetes.add_node_selector(trained, *GPU_NODE_LABEL)
            kubernetes.add_toleration(trained, key=GPU_TAINT_KEY, operator="Exists", effect="NoSchedule")

            evaluated = evaluate(
                model=trained.outputs["model"],
                player=player.outputs["player"],
                generated=generate.outputs["generated"],
                episodes=eval_episodes,
            ).set_caching_options(False)

            registered = register(
                model=trained.outputs["model"],
                generated=generate.outputs["generated"],
                training=trained.outputs["training"],
                evaluation=evaluated.outputs["evaluation"],
                job_id=dsl.PIPELINE_JOB_NAME_PLACEHOLDER,
                asset_id=generate.outputs["asset_id"],
                model_name=model_name,
                champion_margin=champion_margin,
                vertex_project=vertex_project,
                vertex_region=vertex_region,
                staging_bucket=staging_bucket,
                serving_image=serving_image,
                vertex_experiment=vertex_experiment,
                vertex_tensorboard=vertex_tensorboard,
                registry_dir=registry_dir,
            ).set_caching_options(False)
            kubernetes.mount_pvc(registered, REGISTRY_CLAIM, REGISTRY_MOUNT)
