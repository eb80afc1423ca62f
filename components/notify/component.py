"""The exit handler as a container component: reports how the pipeline run ended."""

from kfp import dsl

from mlops_unity_pipeline.deploy.images import PIPELINE, default_ref


@dsl.container_component
def notify(status: dsl.PipelineTaskFinalStatus, webhook: str):
    """Log the run's final state and error, and POST them as JSON to ``webhook`` when it is not empty."""
    return dsl.ContainerSpec(
        image=default_ref(PIPELINE),
        command=["python", "-m", "mlops_unity_pipeline.deploy.notify"],
        args=["--status", status, "--webhook", webhook],
    )
