"""The codegen stage as a container component: asset spec and RL config in, generated sources out."""

from kfp import dsl
from kfp.dsl import Artifact, Output, OutputPath

from mlops_unity_pipeline.deploy.images import PIPELINE, default_ref

from ..common import STAGE, outputs_of, shell_spec

#: The specs arrive as JSON (pipeline parameters); the stage reads them from files.
SCRIPT = f"""specs=$(mktemp -d)
printf '%s' "$1" > "$specs/asset_spec.json"
printf '%s' "$2" > "$specs/rl_config.json"
exec {STAGE} codegen --asset-spec "$specs/asset_spec.json" --rl-config "$specs/rl_config.json" --out "$3"
"""


@outputs_of("codegen")
@dsl.container_component
def codegen(
    asset_spec: dict,
    rl_config: dict,
    timeout: str,
    generated: Output[Artifact],
    asset_id: OutputPath(str),
    behavior_name: OutputPath(str),
):
    """Derive the BehaviorSpec and write the Unity C# sources and mlagents-learn config.

    Outputs ``generated`` (behavior.json, trainer_config.yaml, manifest.json, unity/) and the
    asset's ``asset_id`` and ``behavior_name``, which name the registered model and the run.
    ``timeout`` (seconds) stops the stage.
    """
    return shell_spec(default_ref(PIPELINE), "codegen", SCRIPT, timeout, [asset_spec, rl_config, generated.path])
