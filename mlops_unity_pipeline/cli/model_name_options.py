"""The registered model's name as options, shared by the register and champion commands."""

from __future__ import annotations

import argparse


def add_model_name_options(parser: argparse._ActionsContainer, *, required: bool) -> None:
    """``--model-name``, or ``--model-prefix`` with ``--asset-id`` (how a pipeline names each asset's model)."""
    names = parser.add_mutually_exclusive_group(required=required)
    names.add_argument("--model-name", default="", help="registered model name (a letter, then [A-Za-z0-9_-])")
    names.add_argument(
        "--model-prefix",
        default="",
        metavar="PREFIX",
        help="the model PREFIX-ASSET_ID (with --asset-id), one per asset, as a pipeline run names it",
    )
    parser.add_argument("--asset-id", default="", help="the asset's id, for --model-prefix and --run-name")


def model_name(args: argparse.Namespace) -> str:
    """The model the options name; empty when neither ``--model-name`` nor ``--model-prefix`` is given."""
    from ..registry import registered_model_name

    return args.model_name or (args.model_prefix and registered_model_name(args.asset_id, prefix=args.model_prefix))
