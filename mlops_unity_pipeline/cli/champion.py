"""``champion``: a model's champion policy from the registry into a folder that train and evaluate read."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .. import stage_outputs
from ..layouts import ChampionLayout
from .command import Command
from .model_name_options import add_model_name_options, model_name


def _configure(parser: argparse.ArgumentParser) -> None:

    parser.add_argument(
        "--out", required=True, metavar="DIR", help=f"folder for {ChampionLayout.RECORD} (and {ChampionLayout.MODEL})"
    )
    add_model_name_options(parser, required=False)
    add_champion_source_options(
        parser,
        registry_help="the file registry to read it from (ignored with --vertex-project); with neither, there is "
        "no champion",
    )


def add_champion_source_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup, registry_help: str) -> None:
    """The registry options :func:`fetch_champion` reads: a file registry, or Vertex AI's."""
    from ..registry.vertex_registry import DEFAULT_REGION

    parser.add_argument("--registry", default="", metavar="DIR", help=registry_help)
    parser.add_argument(
        "--vertex-project",
        default="",
        metavar="P",
        help="read the champion from this project's Vertex AI Model Registry",
    )
    parser.add_argument("--vertex-region", default=DEFAULT_REGION, metavar="R", help="Vertex AI region")
    parser.add_argument(
        "--staging-bucket",
        default="",
        metavar="GS_URI",
        help="the register stage's gs://BUCKET (Vertex AI; default: the bucket --out is stored in)",
    )


def fetch_champion(args: argparse.Namespace, name: str, into: Path) -> Any:
    """The registry's champion of the model ``name`` (``None``: none yet), from the registry the settings choose,
    downloaded into the folder ``into`` where it is not a local file already."""
    from ..registry import choose_destination

    destination = choose_destination(
        vertex_project=args.vertex_project,
        vertex_region=args.vertex_region,
        staging_bucket=args.staging_bucket,
        registry_dir=args.registry,
        out=args.out,
    )
    return destination.registry().champion_model(name, into)


def champion_in(folder: str) -> Any:
    """The champion in a ``champion`` command's output folder (``None`` when it holds none, or no folder is given)."""
    if not folder:
        return None
    from ..evaluate.champion_folder import load_champion

    return load_champion(folder)


def _champion(args: argparse.Namespace) -> int:
    from ..evaluate.champion_folder import save_champion

    Path(args.out).mkdir(parents=True, exist_ok=True)
    # Only a lasting registry has a champion worth comparing with: the default file registry of a
    # pipeline task's image, or one inside the register task's own output, starts empty.
    name = model_name(args)
    lasting = bool(name and (args.registry or args.vertex_project))
    champion = fetch_champion(args, name, Path(args.out)) if lasting else None
    save_champion(champion, args.out)
    if args.executor_output:
        from ..kfp_executor_output import OutputArtifact, write_executor_output

        version = {"version": "" if champion is None else champion.version}
        write_executor_output(args.executor_output, {stage_outputs.CHAMPION: OutputArtifact(args.out, version)})
    if champion is not None:
        print(f"{name}: champion version {champion.version}")
    else:
        print(f"{name} has no champion yet" if lasting else "no registry given: no champion")
    return 0


CHAMPION = Command(
    "champion",
    "Fetch a model's champion policy from the registry into a folder, for train and evaluate.",
    _configure,
    _champion,
)
