"""Action layouts as data: what each discrete branch or continuous axis does, for every stage to read.

An asset's actions are continuous axes or discrete branches of any sizes (ML-Agents' own limits:
at least one axis or branch, every branch at least one value). Each axis or branch has one
*meaning* from :data:`MEANINGS`, given in the asset spec or defaulted by position
(:func:`default_meanings`); the BehaviorSpec records them. A *signed* meaning (:data:`SIGNED`)
may be reversed with a leading ``-``.

How values become motion (the generated Agent follows these tables, read from this module; the
stand-in and the heuristic apply them to arrays of agents with :mod:`.motion`):

- a continuous axis gives its value clipped to [-1, 1] (a sprint axis: clipped to [0, 1]);
- a discrete branch of a signed meaning gives a *level*: value 0 is 0, then +, -, +, - ... in
  steps growing to ±1 (size 3: 0, 1, -1; size 5: 0, 0.5, -0.5, 1, -1);
- a ``move`` branch points value 0 nowhere and the others in directions spread around the
  compass in opposite pairs (:func:`planar_directions`);
- a ``sprint`` branch's value v gives the fraction v/(size-1) of the sprint.

Per decision: heading += Σ turn × turn_speed × decision_dt (degrees, clockwise from +z seen from
above), then velocity = (Σ world moves + Σ moves relative to the new heading) × move_speed ×
Π (1 + (sprint_multiplier − 1) × sprint fraction).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

#: How an asset acts when its spec declares nothing: planar movement, two continuous values.
DEFAULT_ACTION_SPACE: dict[str, Any] = {"type": "continuous", "size": 2}
AXES = ("x", "z")
#: Put before a signed meaning to reverse it (``-turn``: positive values turn anticlockwise).
REVERSED = "-"

#: Every meaning an action branch or axis may have, and what it does.
MEANINGS: dict[str, str] = {
    "move_x": "moves along the world's x axis (+x for positive levels)",
    "move_z": "moves along the world's z axis (+z for positive levels)",
    "forward": "moves along the agent's heading (backwards for negative levels)",
    "strafe": "moves to the agent's right (left for negative levels)",
    "turn": "turns the agent clockwise seen from above at turn_speed degrees per second (anticlockwise for negative levels)",
    "move": "discrete only: value 0 stays, the others move in directions spread evenly around the compass, in opposite pairs",
    "sprint": "multiplies the speed by up to sprint_multiplier (value v of a branch of n: by 1+(sprint_multiplier-1)*v/(n-1))",
    "noop": "does nothing",
}
#: Meanings whose levels have a sign, and so may be reversed.
SIGNED = ("move_x", "move_z", "forward", "strafe", "turn")
#: Meanings a continuous axis may have (``move`` needs a direction per value).
CONTINUOUS_MEANINGS = tuple(name for name in MEANINGS if name != "move")
#: What the meaning's moves are relative to: the world's axes or the agent's heading.
WORLD_MOVES = ("move_x", "move_z", "move")
LOCAL_MOVES = ("forward", "strafe")
#: The input axis (Unity's ``Input.GetAxis`` name) a signed meaning follows in the heuristic.
HEURISTIC_AXES = {
    "move_x": "Horizontal",
    "move_z": "Vertical",
    "forward": "Vertical",
    "strafe": "Horizontal",
    "turn": "Horizontal",
}
#: The key (a Unity ``KeyCode`` name) that selects a sprint branch's last value in the heuristic.
SPRINT_KEY = "LeftShift"
#: Default meanings by position: one discrete branch moves in every direction; more branches and
#: continuous axes move along x, then z, then sprint; any further ones do nothing.
_SINGLE_BRANCH_DEFAULT = ("move",)
_POSITIONAL_DEFAULT = ("move_x", "move_z", "sprint")


def split_meaning(meaning: str) -> tuple[str, float]:
    """``"-turn"`` → ``("turn", -1.0)``; ``"move"`` → ``("move", 1.0)``."""
    if meaning.startswith(REVERSED):
        return meaning[len(REVERSED) :], -1.0
    return meaning, 1.0


def allowed_meanings(continuous: bool) -> list[str]:
    """Every meaning string an axis (``continuous``) or a branch may be given, reversed ones included."""
    names = CONTINUOUS_MEANINGS if continuous else tuple(MEANINGS)
    return [*names, *(REVERSED + name for name in SIGNED)]


def default_meanings(continuous_size: int, branch_sizes: tuple[int, ...]) -> tuple[str, ...]:
    """The meanings of axes or branches the asset spec leaves unnamed, by position."""
    count = len(branch_sizes) or continuous_size
    defaults = _SINGLE_BRANCH_DEFAULT if len(branch_sizes) == 1 else _POSITIONAL_DEFAULT
    return tuple(defaults[i] if i < len(defaults) else "noop" for i in range(count))


def signed_levels(size: int) -> tuple[float, ...]:
    """Value 0 is 0, then +, - pairs of growing magnitude up to 1: size 3 → (0, 1, -1)."""
    steps = math.ceil((size - 1) / 2)
    return (0.0, *((-1.0 if value % 2 == 0 else 1.0) * math.ceil(value / 2) / steps for value in range(1, size)))


def planar_directions(size: int) -> tuple[tuple[float, float], ...]:
    """A ``move`` branch's (x, z) per value: 0 stays; values 2k+1, 2k+2 are opposite directions at
    90° − k·180°/pairs clockwise from +z (size 5: +x, -x, +z, -z; size 9 adds the diagonals)."""
    pairs = math.ceil((size - 1) / 2)
    directions = [(0.0, 0.0)]
    for value in range(1, size):
        angle = math.radians(90.0 - ((value - 1) // 2) * 180.0 / pairs)
        sign = 1.0 if value % 2 else -1.0
        directions.append((_tidy(sign * math.sin(angle)), _tidy(sign * math.cos(angle))))
    return tuple(directions)


def _tidy(value: float) -> float:
    """Rounded to 12 places, so sin(180°) is 0 and the generated C# stays readable."""
    return round(value, 12) + 0.0


@dataclass(frozen=True)
class Branch:
    """One discrete branch: its size and meaning, and the table of what each value does."""

    size: int
    meaning: str

    @property
    def kind(self) -> str:
        return split_meaning(self.meaning)[0]

    @property
    def levels(self) -> tuple[float, ...]:
        """A signed branch's level per value (reversed ones negated)."""
        sign = split_meaning(self.meaning)[1]
        return tuple(sign * level + 0.0 for level in signed_levels(self.size))

    @property
    def moves(self) -> tuple[tuple[float, float], ...]:
        """Per value, the (x, z) of a world move or the (right, forward) of a move relative to the heading."""
        kind = self.kind
        if kind == "move":
            return planar_directions(self.size)
        if kind in ("move_x", "strafe"):
            return tuple((level, 0.0) for level in self.levels)
        if kind in ("move_z", "forward"):
            return tuple((0.0, level) for level in self.levels)
        return ()

    @property
    def sprint_fractions(self) -> tuple[float, ...]:
        return tuple(value / (self.size - 1) for value in range(self.size)) if self.size > 1 else (0.0,)

    @property
    def key_value(self) -> int:
        """The value the heuristic picks while :data:`SPRINT_KEY` is held: the full sprint."""
        return self.size - 1

    def describe(self, index: int) -> str:
        kind = self.kind
        if kind in WORLD_MOVES or kind in LOCAL_MOVES:
            frame = "" if kind in WORLD_MOVES else " relative to the heading"
            steps = ", ".join(
                f"{value} {_direction(move, kind in WORLD_MOVES)}" for value, move in enumerate(self.moves)
            )
            return f"branch {index} ({self.meaning}{frame}): {steps}"
        if kind == "turn":
            return f"branch {index} (turn): " + ", ".join(
                f"{value} at {level:g}*turn_speed" for value, level in enumerate(self.levels)
            )
        if kind == "sprint":
            return f"branch {index} (sprint): " + ", ".join(
                f"{value} at {fraction:g} of the sprint" for value, fraction in enumerate(self.sprint_fractions)
            )
        return f"branch {index} (noop): {self.size} values without effect"


def _direction(move: tuple[float, float], world: bool) -> str:
    axes = AXES if world else ("right", "forward")
    named = [
        f"{value:+g}{axis}" if abs(value) != 1 else f"{'+' if value > 0 else '-'}{axis}"
        for axis, value in zip(axes, move)
        if value
    ]
    return "".join(named) or "stay"


@dataclass(frozen=True)
class ActionLayout:
    """Continuous axes (their meanings) or discrete branches; see the module docstring."""

    continuous: tuple[str, ...] = ()
    branches: tuple[Branch, ...] = ()

    @property
    def continuous_size(self) -> int:
        return len(self.continuous)

    @property
    def branch_sizes(self) -> tuple[int, ...]:
        return tuple(branch.size for branch in self.branches)

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(split_meaning(m)[0] for m in self.continuous) or tuple(b.kind for b in self.branches)

    @property
    def turns(self) -> bool:
        """Whether the agent has a heading that changes (and so needs turn_speed)."""
        return "turn" in self.kinds

    @property
    def oriented(self) -> bool:
        """Whether the agent has a heading: it turns or moves relative to it; it then observes relative to it."""
        return any(kind == "turn" or kind in LOCAL_MOVES for kind in self.kinds)

    @property
    def meaning(self) -> str:
        """One sentence for behavior.json."""
        turning = "the agent turns by the turn levels times turn_speed, then " if self.turns else ""
        sprinting = " (sprint: [0, 1])" if "sprint" in self.kinds else ""
        if self.continuous:
            axes = ", ".join(f"action[{i}] {meaning}" for i, meaning in enumerate(self.continuous))
            return f"continuous: {axes}; each clipped to [-1, 1]{sprinting}; {turning}moves are scaled by move_speed"
        return (
            f"discrete: {turning}the agent moves along the sum of the move branches' directions at move_speed "
            "times the sprint factors: " + "; ".join(branch.describe(i) for i, branch in enumerate(self.branches))
        )


def layout_problems(continuous_size: int, branch_sizes: tuple[int, ...], meanings: tuple[str, ...]) -> list[str]:
    """What is wrong with these meanings for these axes or branches (empty when nothing is)."""
    count = len(branch_sizes) or continuous_size
    if len(meanings) != count:
        what = f"{len(branch_sizes)} branches" if branch_sizes else f"{continuous_size} continuous actions"
        return [f"{list(meanings)} gives {len(meanings)} meanings for {what}; give exactly {count}"]
    allowed = allowed_meanings(not branch_sizes)
    return [
        f"{meaning!r} (item {index}) is not one of {', '.join(allowed)}"
        for index, meaning in enumerate(meanings)
        if meaning not in allowed
    ]


def action_layout(continuous_size: int, branch_sizes: tuple[int, ...], meanings: tuple[str, ...] = ()) -> ActionLayout:
    """The layout of these axes or branches (meanings defaulted by position when not given).

    Raises ``ValueError`` with :func:`layout_problems`' first problem.
    """
    branch_sizes = tuple(branch_sizes)
    meanings = tuple(meanings) or default_meanings(continuous_size, branch_sizes)
    problems = layout_problems(continuous_size, branch_sizes, meanings)
    if not problems and any(size < 1 for size in branch_sizes):
        problems = [f"branch sizes {list(branch_sizes)}: every branch needs at least 1 value"]
    if not problems and not branch_sizes and continuous_size < 1:
        problems = ["no actions: give at least one continuous action or one discrete branch"]
    if problems:
        raise ValueError(problems[0])
    if branch_sizes:
        return ActionLayout(branches=tuple(Branch(size, meaning) for size, meaning in zip(branch_sizes, meanings)))
    return ActionLayout(continuous=meanings)
