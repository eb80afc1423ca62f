"""The subcommands of ``python -m mlops_unity_pipeline``, each delegating to the library."""

from __future__ import annotations

import argparse
import sys

from .cli import command


def _configure_trainer_env(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--print-path", action="store_true", help="only print the path of a ready environment")


@command("trainer-env", "Build (once) and print the cached Python 3.10 trainer environment.", _configure_trainer_env)
def _trainer_env(args: argparse.Namespace) -> int:
    from . import trainer_env

    if args.print_path:
        env = trainer_env.locate()
        if env is None:
            print("no trainer environment is ready; run without --print-path to build it", file=sys.stderr)
            return 1
    else:
        env = trainer_env.ensure(log=lambda message: print(message, file=sys.stderr))
    print(env.root)
    return 0


def _configure_codegen(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--asset-spec", required=True, metavar="FILE", help="asset spec (JSON or YAML)")
    parser.add_argument("--rl-config", metavar="FILE", help="RL training config (JSON or YAML); defaults apply without it")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")


@command("codegen", "Generate the BehaviorSpec, Unity C# sources and trainer config from an asset spec.", _configure_codegen)
def _codegen(args: argparse.Namespace) -> int:
    from .codegen import generate
    from .specs import RLTrainingConfig, UnityAssetSpec

    asset = UnityAssetSpec.load(args.asset_spec)
    rl = RLTrainingConfig.load(args.rl_config) if args.rl_config else RLTrainingConfig()
    result = generate(asset, rl, args.out)
    for note in result.behavior.notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"wrote {len(result.manifest['files'])} files for behavior {result.behavior.behavior_name} to {result.out_dir}")
    return 0
