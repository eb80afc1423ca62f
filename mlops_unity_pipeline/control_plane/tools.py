"""Model Context Protocol tool descriptors for a bundle's actions.

A descriptor is what an MCP client (an AI agent's host) shows the model: the tool's name,
what it does, and the JSON Schema its arguments must satisfy. The description also states
the workflow rule behind the action, so an agent can tell in advance that a call will wait
for a human instead of discovering it by trial.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import ToolInputError
from .action_schemas import CompiledSchemas
from .bundle import Bundle


def tool_descriptors(bundle: Bundle, schemas: CompiledSchemas, action_ids: Iterable[str]) -> list[dict[str, Any]]:
    """One ``{"name", "description", "inputSchema"}`` descriptor per action id, in the order given."""
    descriptors = []
    for action_id in action_ids:
        action = bundle.actions.get(action_id)
        if action is None:
            raise ToolInputError([bundle.unknown_action(action_id)], source="tool descriptors")
        description = action.description.strip()
        if action.transition is not None:
            transition = bundle.transitions[action.transition]
            description += (
                f" Workflow: {action.transition} moves " + "/".join(transition.sources) + f" -> {transition.target}"
            )
            if transition.requires:
                description += f"; requires {', '.join(transition.requires)}"
            if transition.hitl is not None:
                description += "; waits for a human approval recorded outside this tool"
            description += "."
        descriptors.append(
            {"name": action.id, "description": description, "inputSchema": schemas.input_schemas[action.id]}
        )
    return descriptors
