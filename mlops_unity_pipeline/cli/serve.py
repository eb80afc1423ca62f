"""``serve``: an ONNX policy over HTTP with Vertex AI's prediction protocol (the serving image's command)."""

from __future__ import annotations

import argparse
import sys

from ..layouts import ModelLayout
from .command import Command


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model-dir",
        metavar="URI",
        help=f"folder, file:// or gs:// URI holding {ModelLayout.MODEL} (default $AIP_STORAGE_URI)",
    )
    parser.add_argument("--port", type=int, help="port to listen on (default $AIP_HTTP_PORT or 8080)")
    parser.add_argument("--host", default="0.0.0.0", help="address to bind (default 0.0.0.0)")


def _serve(args: argparse.Namespace) -> int:
    from ..serving import ServingConfig, serve

    config = ServingConfig.from_env(storage_uri=args.model_dir, port=args.port, host=args.host)
    serve(config, announce=lambda message: print(message, file=sys.stderr, flush=True))
    return 0


SERVE = Command(
    "serve",
    "Serve an ONNX policy over HTTP with Vertex AI's prediction protocol (the serving image).",
    _configure,
    _serve,
)
