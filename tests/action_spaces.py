"""Action spaces the codegen, compile, differential and training tests exercise, as asset specs give them.

The four layouts that were the only ones offered before meanings existed (continuous 2, [5],
[3, 3], [3, 3, 2], with their default meanings), then layouts with other sizes: turning and
moving relative to the heading, sprint as a continuous axis, a single branch of seven
directions, one continuous axis, and edge cases. ``navigates`` says whether the agent can reach any point.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ActionSpaceCase:
    name: str
    action_space: dict[str, Any] = field(hash=False)
    navigates: bool = True


ACTION_SPACES = [
    ActionSpaceCase("c2", {"type": "continuous", "size": 2}),
    ActionSpaceCase("d5", {"type": "discrete", "branches": [5]}),
    ActionSpaceCase("d3-3", {"type": "discrete", "branches": [3, 3]}),
    ActionSpaceCase("d3-3-2", {"type": "discrete", "branches": [3, 3, 2]}),
    ActionSpaceCase("d3-2-turn", {"type": "discrete", "branches": [3, 2], "meanings": ["turn", "forward"]}),
    ActionSpaceCase(
        "d2-2-2-2-keys",
        {"type": "discrete", "branches": [2, 2, 2, 2], "meanings": ["forward", "-forward", "turn", "-turn"]},
    ),
    ActionSpaceCase("d7", {"type": "discrete", "branches": [7]}),
    ActionSpaceCase("c1", {"type": "continuous", "size": 1}, navigates=False),
    ActionSpaceCase("c4-turn", {"type": "continuous", "size": 4, "meanings": ["forward", "strafe", "turn", "sprint"]}),
    # Edge cases: a branch of one value, eight compass directions, a reversed turn axis and a no-op axis.
    ActionSpaceCase("d1-9", {"type": "discrete", "branches": [1, 9], "meanings": ["sprint", "move"]}),
    ActionSpaceCase("c3-reversed", {"type": "continuous", "size": 3, "meanings": ["-turn", "forward", "noop"]}),
]
