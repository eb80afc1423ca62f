"""``codegen``: the BehaviorSpec, Unity C# sources and trainer config from an asset spec."""

from __future__ import annotations

import argparse
import sys

from .. import stage_outputs
from .command import Command


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--asset-spec", required=True, metavar="FILE", help="asset spec (JSON or YAML)")
    parser.add_argument(
        "--rl-config", metavar="FILE", help="RL training config (JSON or YAML); defaults apply without it"
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")


def _codegen(args: argparse.Namespace) -> int:
    from ..codegen import generate
    from ..specs import RLTrainingConfig, UnityAssetSpec

    asset = UnityAssetSpec.load(args.asset_spec)
    rl = RLTrainingConfig.load(args.rl_config) if args.rl_config else RLTrainingConfig()
    if asset.existing is not None:
        return _record_existing(args, asset)
    result = generate(asset, rl, args.out)
    for note in result.behavior.notes:
        print(f"note: {note}", file=sys.stderr)
    if args.executor_output:
        from ..kfp_executor_output import OutputArtifact, write_executor_output

        names = {stage_outputs.ASSET_ID: asset.asset_id, stage_outputs.BEHAVIOR_NAME: result.behavior.behavior_name}
        write_executor_output(
            args.executor_output, {stage_outputs.GENERATED: OutputArtifact(result.out_dir, names)}, names
        )
    print(
        f"wrote {len(result.manifest['files'])} files for behavior {result.behavior.behavior_name} to {result.out_dir}"
    )
    return 0


def _record_existing(args: argparse.Namespace, asset) -> int:
    """An existing behaviour generates nothing: the codegen output records it for the later stages."""
    from ..build.records import write_existing_record

    path = write_existing_record(asset.asset_id, asset.existing, args.out)
    names = {stage_outputs.ASSET_ID: asset.asset_id, stage_outputs.BEHAVIOR_NAME: asset.existing["behavior_name"]}
    if args.executor_output:
        from ..kfp_executor_output import OutputArtifact, write_executor_output

        write_executor_output(args.executor_output, {stage_outputs.GENERATED: OutputArtifact(args.out, names)}, names)
    print(
        f"{asset.asset_id} is the existing behaviour {asset.existing['behavior_name']}: generated nothing, "
        f"recorded {path}"
    )
    return 0


CODEGEN = Command(
    "codegen",
    "Generate the BehaviorSpec, Unity C# sources and trainer config from an asset spec.",
    _configure,
    _codegen,
)
