"""``models``: list, inspect, promote and verify versions in the file registry."""

from __future__ import annotations

import argparse
import sys

from .command import Command


def _configure(parser: argparse.ArgumentParser) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--registry",
        metavar="DIR",
        help="file registry root (default $MLOPS_REGISTRY_DIR or ~/.local/share/unity-mlops/registry)",
    )
    actions = parser.add_subparsers(dest="models_action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", parents=[common], help="list models, or the versions of one model")
    listing.add_argument("name", nargs="?", help="a model name")
    get = actions.add_parser("get", parents=[common], help="print one version (number, alias or 'latest') as JSON")
    get.add_argument("name")
    get.add_argument("ref", nargs="?", default="champion", help="version number, alias or 'latest' (default champion)")
    promote = actions.add_parser("promote", parents=[common], help="point an alias (default champion) at a version")
    promote.add_argument("name")
    promote.add_argument("ref", help="version number or alias")
    promote.add_argument("--alias", default="champion", help="alias to move (default champion)")
    promote.add_argument("--reason", default="", help="why, kept in the alias history")
    verify = actions.add_parser("verify", parents=[common], help="re-hash every version's files against its metadata")
    verify.add_argument("name")


def _models(args: argparse.Namespace) -> int:
    import json

    from ..registry import FileRegistry

    registry = FileRegistry(args.registry)
    if args.models_action == "list" and not args.name:
        for name in registry.models():
            print(name)
    elif args.models_action == "list":
        for version in registry.versions(args.name):
            metrics = version.metadata["evaluation_metrics"]
            print(
                f"{version.reference}\t{','.join(version.aliases) or '-'}\tmean_reward={metrics['mean_reward']:g}\t"
                f"{version.metadata['created_at']}\t{version.uri}"
            )
    elif args.models_action == "get":
        print(json.dumps(registry.get(args.name, args.ref).to_dict(), indent=2, sort_keys=True))
    elif args.models_action == "promote":
        version = registry.promote(args.name, args.ref, alias=args.alias, reason=args.reason)
        print(f"{args.alias} -> {version.reference} {version.uri}")
    else:
        problems = registry.verify(args.name)
        for problem in problems:
            print(problem)
        print(f"{args.name}: {'intact' if not problems else f'{len(problems)} problem(s)'}", file=sys.stderr)
        return 1 if problems else 0
    return 0


MODELS = Command("models", "List, inspect, promote and verify versions in the file registry.", _configure, _models)
