"""The registration stage as a container component: an evaluated policy in, a registered model version out."""

from kfp import dsl
from kfp.dsl import Artifact, Input, Model, Output, OutputPath

from mlops_unity_pipeline.deploy.images import PIPELINE, default_ref

from ..common import STAGE, shell_spec

#: Vertex AI Model Registry when a project is given; else the file registry in ``registry_dir``
#: (or, when that is empty too, one inside this run's ``registration`` folder). The job id is the
#: platform's run name, which may hold characters a job id cannot ('/' between kfp.local's nested
#: DAGs, spaces in a Kubeflow display name): those become '_'.
SCRIPT = f"""model=$1; generated=$2; training=$3; evaluation=$4; model_name=$6
job_id=$(printf '%s' "$5" | tr -c 'A-Za-z0-9._-' '_')
margin=$7; vertex_project=$8; vertex_region=$9; shift 9
staging_bucket=$1; serving_image=$2; registry_dir=$3; out=$4
set -- register --model "$model" --generated "$generated" --training "$training" --evaluation "$evaluation" \\
  --job-id "$job_id" --model-name "$model_name" --champion-margin "$margin" --out "$out"
if [ -n "$vertex_project" ]; then
  set -- "$@" --vertex-project "$vertex_project" --vertex-region "$vertex_region" --staging-bucket "$staging_bucket" \
    --serving-image "$serving_image"
else
  set -- "$@" --registry "${{registry_dir:-$out/registry}}"
fi
exec {STAGE} "$@"
"""


@dsl.container_component
def register(
    model: Input[Model],
    generated: Input[Artifact],
    training: Input[Artifact],
    evaluation: Input[Artifact],
    job_id: str,
    asset_id: str,
    model_name: str,
    champion_margin: float,
    vertex_project: str,
    vertex_region: str,
    staging_bucket: str,
    serving_image: str,
    registry_dir: str,
    timeout: str,
    registration: Output[Artifact],
    uri: OutputPath(str),
    promoted: OutputPath(bool),
):
    """Register the policy as ``<model_name>-<asset_id>``, promoted to champion if it beats the
    current one by ``champion_margin``.

    ``uri`` is the registered version (``projects/P/locations/R/models/ID@V`` on Vertex AI),
    ``promoted`` whether it became the champion; ``registration`` holds registration.json. On
    Vertex AI the version is served by ``serving_image``. ``timeout`` (seconds) stops the stage.
    """
    return shell_spec(
        default_ref(PIPELINE),
        "register",
        SCRIPT,
        timeout,
        [
            model.path,
            generated.path,
            training.path,
            evaluation.path,
            dsl.ConcatPlaceholder([job_id, "-", asset_id]),
            dsl.ConcatPlaceholder([model_name, "-", asset_id]),
            champion_margin,
            vertex_project,
            vertex_region,
            staging_bucket,
            serving_image,
            registry_dir,
            registration.path,
        ],
    )
