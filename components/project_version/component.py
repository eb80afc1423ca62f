"""The Unity project's version as a container component: a URI in, a hash of the project's inputs out."""

from kfp import dsl
from kfp.dsl import Artifact, Input, OutputPath

from mlops_unity_pipeline.deploy.images import PIPELINE, default_ref

from ..common import outputs_of, stage_spec


@outputs_of("project-version")
@dsl.container_component
def project_version(generated: Input[Artifact], unity_project_uri: str, timeout: str, version: OutputPath(str)):
    """Hash the inputs of the Unity project at ``unity_project_uri`` (``""`` when it is empty), or of an
    existing asset's own project (its ``existing.unity_project``, which codegen recorded in ``generated``).

    The build task takes ``version`` as an input, so its cache key changes whenever the project's
    content does, at the same URI. Never cached itself. ``timeout`` (seconds) stops the stage.
    """
    return stage_spec(
        default_ref(PIPELINE),
        timeout,
        ["project-version", "--generated", generated.path, "--unity-project", unity_project_uri],
    )
