"""A Model Context Protocol server (official ``mcp`` SDK, stdio) exposing a bundle's actions as tools.

Listing tools returns the bundle's descriptors; calling one goes through
:meth:`ControlPlaneRuntime.invoke`, so every call is validated, checked against the workflow
and recorded before it has any effect. Invalid input, a blocked transition and a HALT all come
back as tool errors (``isError``) whose text says why, so an agent can read and correct
course; none of them raises inside the server. There is deliberately no approval tool:
approvals are recorded by a human with ``python -m mlops_unity_pipeline approve``.

This module imports the SDK, so it is loaded only by whoever serves (``mcp-serve``).
"""

from __future__ import annotations

import json
from typing import Any

from mcp import types
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server

from .. import __version__
from ..errors import ToolInputError
from .runtime import ControlPlaneRuntime


def build_server(runtime: ControlPlaneRuntime, *, actor_prefix: str = "mcp") -> Server:
    """An MCP server whose tools are ``runtime``'s actions; the bundle and schemas must compile first."""
    bundle = runtime.load_bundle()
    runtime.compile_schemas()
    descriptors = runtime.generate_mcp_stub_tools(runtime.enumerate_action_ids(bundle))
    tools = [
        types.Tool(name=d["name"], description=d["description"], input_schema=d["inputSchema"]) for d in descriptors
    ]

    async def list_tools(ctx: Any, params: types.PaginatedRequestParams | None) -> types.ListToolsResult:
        return types.ListToolsResult(tools=tools)

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        actor = f"{actor_prefix}:{_client_name(ctx)}"
        try:
            result = await runtime.invoke(params.name, params.arguments or {}, actor=actor)
        except ToolInputError as exc:
            body = {"verdict": "rejected", "problems": [str(problem) for problem in exc.problems]}
            return _result(body, is_error=True)
        body = result.decision.to_dict()
        body["seq"] = [event["seq"] for event in result.events]
        return _result(body, is_error=not result.applied)

    return Server(
        f"unity-mlops-control-plane:{bundle.name}",
        version=__version__,
        instructions=(
            "Drive the Unity ML-Agents training workflow through these tools. Each call is validated and "
            "recorded; a transition that needs a human approval halts until one is given outside MCP."
        ),
        on_list_tools=list_tools,
        on_call_tool=call_tool,
    )


async def serve_stdio(runtime: ControlPlaneRuntime) -> None:
    """Serve ``runtime``'s tools over stdin/stdout until the client closes the connection."""
    server = build_server(runtime)
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


def _result(body: dict[str, Any], *, is_error: bool) -> types.CallToolResult:
    text = json.dumps(body, sort_keys=True)
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=text)], structured_content=body, is_error=is_error
    )


def _client_name(ctx: Any) -> str:
    """The connecting client's self-declared name, for the log's ``actor`` (``unknown`` if it gave none)."""
    params = getattr(getattr(ctx, "session", None), "client_params", None)
    info = getattr(params, "client_info", None)
    name = getattr(info, "name", None)
    return name[:100] if isinstance(name, str) and name else "unknown"
