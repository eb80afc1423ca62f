"""The build stage as a container component: generated sources in, a headless Linux player out."""

from kfp import dsl
from kfp.dsl import Artifact, Input, Output

from mlops_unity_pipeline.deploy.images import UNITY_BUILDER, default_ref

from ..common import GCS_TO_PATH, STAGE, shell_spec

SCRIPT = f"""{GCS_TO_PATH}
project=$(local_path "$1"); generated=$2; out=$3; backend=$4
set -- build --generated "$generated" --out "$out" --backend "$backend"
if [ -n "$project" ]; then set -- "$@" --unity-project "$project"; fi
exec {STAGE} "$@"
"""

@dsl.container_component
def build(
    generated: Input[Artifact],
    unity_project_uri: str,
    backend: str,
    player: Output[Artifact],
):
    """Build ``<Name>.x86_64`` with the Unity Editor in batchmode, or the stand-in player.

    ``unity_project_uri`` is the user's Unity project (a ``gs://`` URI is read through Vertex AI's
    ``/gcs/`` mount; empty when the stand-in builds); ``backend`` is ``auto``, ``unity`` or
    ``standin``. The Unity licence comes from the environment (``UNITY_*``).
    """
    return shell_spec(default_ref(UNITY_BUILDER), "build", SCRIPT, [unity_project_uri, generated.path, player.path, backend])
