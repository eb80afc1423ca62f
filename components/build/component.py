"""The build stage as a container component: generated sources in, a headless Linux player out."""

from kfp import dsl
from kfp.dsl import Artifact, Input, Output

from mlops_unity_pipeline.deploy.images import UNITY_BUILDER, default_ref

from ..common import outputs_of, stage_spec


@outputs_of("build")
@dsl.container_component
def build(
    generated: Input[Artifact],
    unity_project_uri: str,
    backend: str,
    license_secret: str,
    project_version: str,
    timeout: str,
    player: Output[Artifact],
):
    """Build ``<Name>.x86_64`` with the Unity Editor in batchmode, or the stand-in player.

    ``unity_project_uri`` is the user's Unity project (a ``gs://`` URI is read through Vertex AI's
    ``/gcs/`` mount; empty when the stand-in builds); ``backend`` is ``auto``, ``unity`` or
    ``standin``. The Unity licence comes from ``license_secret``, a Secret Manager secret version
    (``projects/P/secrets/S/versions/V``), when it is set, else from the environment (``UNITY_*``,
    a Kubernetes Secret). ``project_version`` (the project_version task's hash of the project)
    keys the cached build on the project's content and is recorded in build_info.json.
    ``timeout`` (seconds) stops the stage.
    """
    return stage_spec(
        default_ref(UNITY_BUILDER),
        timeout,
        [
            "build",
            "--generated",
            generated.path,
            "--out",
            player.path,
            "--backend",
            backend,
            "--unity-project",
            unity_project_uri,
            "--license-secret",
            license_secret,
            "--project-version",
            project_version,
        ],
    )
