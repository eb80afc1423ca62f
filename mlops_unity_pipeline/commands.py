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
    if args.executor_output:
        from .kfp_executor_output import OutputArtifact, write_executor_output

        names = {"asset_id": asset.asset_id, "behavior_name": result.behavior.behavior_name}
        write_executor_output(args.executor_output, {"generated": OutputArtifact(result.out_dir, names)}, names)
    print(f"wrote {len(result.manifest['files'])} files for behavior {result.behavior.behavior_name} to {result.out_dir}")
    return 0


def _configure_control_plane(parser: argparse.ArgumentParser) -> None:
    import os

    parser.add_argument(
        "--bundle",
        default=os.environ.get("MLOPS_CONTROL_PLANE_BUNDLE", "examples/control_plane/bundle.yaml"),
        help="control-plane bundle (YAML); env MLOPS_CONTROL_PLANE_BUNDLE",
    )
    parser.add_argument(
        "--schemas",
        default=os.environ.get("MLOPS_CONTROL_PLANE_SCHEMAS", "schemas/control_plane"),
        help="directory of the actions' JSON Schemas; env MLOPS_CONTROL_PLANE_SCHEMAS",
    )
    parser.add_argument(
        "--events",
        default=os.environ.get("MLOPS_CONTROL_PLANE_EVENTS", "runtime/events.jsonl"),
        help="the append-only event log (JSONL); env MLOPS_CONTROL_PLANE_EVENTS",
    )


def _control_plane_runtime(args: argparse.Namespace):
    from .control_plane import ControlPlaneRuntime

    return ControlPlaneRuntime(bundle_path=args.bundle, schemas_dir=args.schemas, events_path=args.events)


def _configure_approve(parser: argparse.ArgumentParser) -> None:
    _configure_control_plane(parser)
    parser.add_argument("--transition", default="promote", help="the transition to approve (default: promote)")
    parser.add_argument("--subject", help="what is approved, e.g. a model version; the pending one if omitted")
    parser.add_argument("--approver", help="who approves (recorded in the log); required unless --list")
    parser.add_argument("--note", help="why, for the record")
    parser.add_argument("--list", action="store_true", help="only list the approvals waiting for a human")


@command("approve", "Record a human approval of a control-plane transition (e.g. promoting a model).", _configure_approve)
def _approve(args: argparse.Namespace) -> int:
    import asyncio
    import json

    runtime = _control_plane_runtime(args)
    if args.list:
        for request in runtime.replay_events().pending_approvals:
            print(json.dumps({"transition": request.transition, "subject": request.subject,
                              "requested_by": request.requested_by, "seq": request.seq}, sort_keys=True))
        return 0
    if not args.approver:
        print("error: --approver is required: an approval records who gave it", file=sys.stderr)
        return 2
    event = asyncio.run(
        runtime.approve(args.transition, approver=args.approver, subject=args.subject, note=args.note)
    )
    print(f"approved {event['transition']} of {event['subject']} by {event['approver']} (seq {event['seq']})")
    return 0


@command("control-plane-status", "Verify the control-plane event log and print the state it derives.", _configure_control_plane)
def _control_plane_status(args: argparse.Namespace) -> int:
    import json

    state = _control_plane_runtime(args).replay_events()
    print(json.dumps({
        "workflow_state": state.workflow_state,
        "facts": dict(state.facts),
        "guardrail_failures": list(state.guardrail_failures),
        "pending_approvals": [{"transition": r.transition, "subject": r.subject} for r in state.pending_approvals],
        "events": state.events,
        "head": {"seq": state.position.seq, "hash": state.position.hash},
        "issues": [str(issue) for issue in state.issues],
        "intact": state.intact,
    }, indent=2, sort_keys=True))
    return 0 if state.intact else 1


@command("mcp-serve", "Serve the control-plane bundle's actions as MCP tools over stdio.", _configure_control_plane)
def _mcp_serve(args: argparse.Namespace) -> int:
    import asyncio

    from .control_plane.mcp_server import serve_stdio

    asyncio.run(serve_stdio(_control_plane_runtime(args)))
    return 0


def _configure_build(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--generated", required=True, metavar="DIR", help="the codegen stage's output folder")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to put the player in")
    parser.add_argument("--backend", default="auto", choices=["auto", "unity", "standin"],
                        help="unity: the Editor in batchmode; standin: the stand-in player; auto: unity when configured")
    parser.add_argument("--unity-project", metavar="PATH", help="Unity project to build in (or $UNITY_PROJECT_PATH)")
    parser.add_argument("--unity-editor", metavar="PATH", help="Unity Editor executable (or $UNITY_EDITOR_PATH)")


@command("build", "Build a headless player from the codegen output (Unity, or the stand-in player).", _configure_build)
def _build(args: argparse.Namespace) -> int:
    from .build import build

    result = build(
        args.generated, args.out, backend=args.backend, unity_project=args.unity_project,
        unity_editor=args.unity_editor, log=lambda message: print(message, file=sys.stderr),
    )
    print(result.executable)
    return 0

