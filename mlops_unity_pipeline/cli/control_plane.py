"""``approve``, ``control-plane-status`` and ``mcp-serve``: a person's and an agent's ways into the control plane."""

from __future__ import annotations

import argparse
import os
import sys

from .command import Command


def _configure_control_plane(parser: argparse.ArgumentParser) -> None:
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


def _runtime(args: argparse.Namespace):
    from ..control_plane import ControlPlaneRuntime

    return ControlPlaneRuntime(bundle_path=args.bundle, schemas_dir=args.schemas, events_path=args.events)


def _configure_approve(parser: argparse.ArgumentParser) -> None:
    _configure_control_plane(parser)
    parser.add_argument("--transition", default="promote", help="the transition to approve (default: promote)")
    parser.add_argument("--subject", help="what is approved, e.g. a model version; the pending one if omitted")
    parser.add_argument("--approver", help="who approves (recorded in the log); required unless --list")
    parser.add_argument("--note", help="why, for the record")
    parser.add_argument("--list", action="store_true", help="only list the approvals waiting for a human")


def _approve(args: argparse.Namespace) -> int:
    import asyncio
    import json

    runtime = _runtime(args)
    if args.list:
        for request in runtime.replay_events().pending_approvals:
            print(
                json.dumps(
                    {
                        "transition": request.transition,
                        "subject": request.subject,
                        "requested_by": request.requested_by,
                        "seq": request.seq,
                    },
                    sort_keys=True,
                )
            )
        return 0
    if not args.approver:
        print("error: --approver is required: an approval records who gave it", file=sys.stderr)
        return 2
    event = asyncio.run(runtime.approve(args.transition, approver=args.approver, subject=args.subject, note=args.note))
    print(f"approved {event['transition']} of {event['subject']} by {event['approver']} (seq {event['seq']})")
    return 0


def _status(args: argparse.Namespace) -> int:
    import json

    state = _runtime(args).replay_events()
    print(
        json.dumps(
            {
                "workflow_state": state.workflow_state,
                "facts": dict(state.facts),
                "guardrail_failures": list(state.guardrail_failures),
                "pending_approvals": [
                    {"transition": r.transition, "subject": r.subject} for r in state.pending_approvals
                ],
                "events": state.events,
                "head": {"seq": state.position.seq, "hash": state.position.hash},
                "issues": [str(issue) for issue in state.issues],
                "intact": state.intact,
            },
            indent=2,
            sort_keys=True,
        )
    )
    return 0 if state.intact else 1


def _mcp_serve(args: argparse.Namespace) -> int:
    import asyncio

    from ..control_plane.mcp_server import serve_stdio

    asyncio.run(serve_stdio(_runtime(args)))
    return 0


APPROVE = Command(
    "approve",
    "Record a human approval of a control-plane transition (e.g. promoting a model).",
    _configure_approve,
    _approve,
)
CONTROL_PLANE_STATUS = Command(
    "control-plane-status",
    "Verify the control-plane event log and print the state it derives.",
    _configure_control_plane,
    _status,
)
MCP_SERVE = Command(
    "mcp-serve",
    "Serve the control-plane bundle's actions as MCP tools over stdio.",
    _configure_control_plane,
    _mcp_serve,
)
