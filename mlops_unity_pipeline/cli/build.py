"""``build`` and ``project-version``: a headless player from the codegen output, and the project version it is cached on."""

from __future__ import annotations

import argparse
import sys

from .. import stage_outputs
from ..layouts import BuildLayout
from .command import Command


def _configure_build(parser: argparse.ArgumentParser) -> None:
    from ..build.stage import BACKENDS

    parser.add_argument("--generated", required=True, metavar="DIR", help="the codegen stage's output folder")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to put the player in")
    parser.add_argument(
        "--backend",
        default="auto",
        choices=BACKENDS,
        help="unity: the Editor in batchmode; standin: the stand-in player; "
        "auto: unity when the Editor and a Unity project are given, else standin",
    )
    parser.add_argument(
        "--unity-project",
        metavar="PATH",
        help="Unity project to build in (or $UNITY_PROJECT_PATH); gs:// is read at /gcs/, empty is none",
    )
    parser.add_argument("--unity-editor", metavar="PATH", help="Unity Editor executable (or $UNITY_EDITOR_PATH)")
    parser.add_argument(
        "--project-version",
        default="",
        metavar="V",
        help="the project's version (project-version's hash), recorded in " + BuildLayout.INFO,
    )
    parser.add_argument(
        "--license-secret",
        metavar="NAME",
        help="read the Unity license from this Secret Manager secret version "
        "(projects/P/secrets/S/versions/V) instead of $UNITY_LICENSE / $UNITY_SERIAL...",
    )


def _build(args: argparse.Namespace) -> int:
    from ..build import build
    from ..build.existing import build_existing
    from ..build.records import load_existing
    from ..kfp_executor_output import local_path_for_uri

    existing = load_existing(args.generated)
    if existing is not None:  # the team's own build of its own project
        result = build_existing(existing, args.out, project_version=args.project_version)
    else:
        result = build(
            args.generated,
            args.out,
            backend=args.backend,
            unity_project=local_path_for_uri(args.unity_project or "") or None,
            unity_editor=args.unity_editor,
            log=lambda message: print(message, file=sys.stderr),
            license_secret=args.license_secret or None,
            project_version=args.project_version,
        )
    if args.executor_output:
        from ..kfp_executor_output import OutputArtifact, write_executor_output

        write_executor_output(args.executor_output, {stage_outputs.PLAYER: OutputArtifact(args.out, result.to_dict())})
    print(result.executable)
    return 0


def _configure_project_version(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--unity-project",
        default="",
        metavar="URI",
        help="the Unity project: a folder or gs://bucket/path; empty for none (the version is empty)",
    )
    parser.add_argument(
        "--generated",
        default="",
        metavar="DIR",
        help="the codegen stage's output: for an existing behaviour, its own project is versioned instead",
    )


def _project_version(args: argparse.Namespace) -> int:
    from ..build.project_version import project_version
    from ..build.records import existing_record

    existing = existing_record(args.generated) if args.generated else None
    version = project_version(existing["unity_project"] if existing is not None else args.unity_project)
    if args.executor_output:
        from ..kfp_executor_output import write_executor_output

        write_executor_output(args.executor_output, parameters={stage_outputs.VERSION: version})
    print(version)
    return 0


BUILD = Command(
    "build",
    "Build a headless player from the codegen output (Unity, or the stand-in player).",
    _configure_build,
    _build,
)
PROJECT_VERSION = Command(
    "project-version",
    "Print a hash of a Unity project's inputs, which cached builds are keyed on.",
    _configure_project_version,
    _project_version,
)
