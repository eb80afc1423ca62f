"""Action layouts as data: what each action value does, read by the C# template and the stand-in.

A layout is continuous (action i moves along one planar axis, clipped to [-1, 1]) or a tuple of
discrete branches. A *move* branch maps each of its values to a planar direction (x, z); the
directions of all move branches add up. A *speed* branch maps each value to a factor on
``move_speed``: 1, or the world constant it names. So an agent's velocity is

    continuous:  clip(action, -1, 1) along (x, z) × move_speed
    discrete:    Σ move-branch directions × move_speed × Π speed-branch factors

A new layout is one more entry in :data:`ACTION_LAYOUTS` (and in the asset schema's
``action_space.branches``); the generated Agent, its heuristic, the stand-in and the scripted
expert all follow the table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

AXES = ("x", "z")


@dataclass(frozen=True)
class Branch:
    """One discrete branch: ``moves`` (value → (x, z)) or ``speeds`` (value → factor), never both.

    A speed factor is ``None`` (1) or the name of a real-valued world constant. ``key`` is the
    keyboard key (a Unity ``KeyCode`` name) that selects the branch's first non-1 factor in the
    heuristic.
    """

    moves: tuple[tuple[float, float], ...] = ()
    speeds: tuple[str | None, ...] = ()
    key: str | None = None

    @property
    def size(self) -> int:
        return len(self.moves) or len(self.speeds)

    @property
    def is_move(self) -> bool:
        return bool(self.moves)

    @property
    def key_value(self) -> int:
        """The value the heuristic picks while ``key`` is held."""
        return next(value for value, factor in enumerate(self.speeds) if factor is not None)

    def describe(self, index: int) -> str:
        if self.is_move:
            return f"branch {index}: " + ", ".join(f"{value} {_direction(move)}" for value, move in enumerate(self.moves))
        return f"branch {index}: " + ", ".join(
            f"{value} {'at move_speed' if factor is None else f'at move_speed*{factor}'}"
            for value, factor in enumerate(self.speeds)
        )


@dataclass(frozen=True)
class ActionLayout:
    """A continuous layout (``continuous_size`` > 0) or discrete ``branches``."""

    continuous_size: int = 0
    branches: tuple[Branch, ...] = ()

    @property
    def branch_sizes(self) -> tuple[int, ...]:
        return tuple(branch.size for branch in self.branches)

    @property
    def meaning(self) -> str:
        """One sentence for behavior.json."""
        if self.continuous_size:
            moves = ", ".join(f"action[{i}] moves along {axis}" for i, axis in enumerate(AXES))
            return f"continuous: {moves}, each clipped to [-1, 1] and scaled by move_speed"
        return ("discrete, moving along the sum of the move branches' directions at move_speed times the speed "
                "branches' factors: " + "; ".join(branch.describe(i) for i, branch in enumerate(self.branches)))


def _direction(move: tuple[float, float]) -> str:
    named = [f"{'+' if value > 0 else '-'}{axis}" for axis, value in zip(AXES, move) if value]
    return "+".join(named) or "stay"


_STAY_PLUS_MINUS_X = ((0.0, 0.0), (1.0, 0.0), (-1.0, 0.0))
_STAY_PLUS_MINUS_Z = ((0.0, 0.0), (0.0, 1.0), (0.0, -1.0))

#: Every action layout an asset may ask for, keyed by its discrete branch sizes (() is continuous).
ACTION_LAYOUTS: dict[tuple[int, ...], ActionLayout] = {
    (): ActionLayout(continuous_size=len(AXES)),
    (5,): ActionLayout(branches=(Branch(moves=((0.0, 0.0), (1.0, 0.0), (-1.0, 0.0), (0.0, 1.0), (0.0, -1.0))),)),
    (3, 3): ActionLayout(branches=(Branch(moves=_STAY_PLUS_MINUS_X), Branch(moves=_STAY_PLUS_MINUS_Z))),
    (3, 3, 2): ActionLayout(branches=(
        Branch(moves=_STAY_PLUS_MINUS_X),
        Branch(moves=_STAY_PLUS_MINUS_Z),
        Branch(speeds=(None, "sprint_multiplier"), key="LeftShift"),
    )),
}


def action_layout(branches: tuple[int, ...]) -> ActionLayout:
    """The layout of these discrete branch sizes (``()``: continuous); KeyError names the known ones."""
    try:
        return ACTION_LAYOUTS[tuple(branches)]
    except KeyError:
        raise KeyError(f"discrete branches {list(branches)} are not one of "
                       f"{[list(sizes) for sizes in ACTION_LAYOUTS if sizes]}") from None


def velocities(layout: ActionLayout, actions: np.ndarray, constants: dict[str, np.ndarray]) -> np.ndarray:
    """Planar velocity ``(A, 2)`` of each area's action; ``constants`` holds per-area world constants ``(A,)``."""
    move_speed = constants["move_speed"]
    if layout.continuous_size:
        return np.clip(actions[:, : len(AXES)].astype(np.float64), -1.0, 1.0) * move_speed[:, None]
    actions = actions.astype(np.int64)
    direction = np.zeros((len(actions), len(AXES)))
    speed = move_speed.astype(np.float64)
    for index, branch in enumerate(layout.branches):
        chosen = actions[:, index]
        if branch.is_move:
            direction = direction + np.asarray(branch.moves)[chosen]
        else:
            factors = np.stack([np.ones_like(speed) if factor is None else constants[factor] for factor in branch.speeds])
            speed = speed * factors[chosen, np.arange(len(chosen))]
    return direction * speed[:, None]


def closest_values(layout: ActionLayout, wanted: np.ndarray) -> np.ndarray:
    """Discrete actions ``(A, branches)`` heading along ``wanted`` ``(A, 2)``, as the generated heuristic picks them.

    Per move branch: the first value whose direction has the greatest positive dot product with
    ``wanted`` (value 0, which should stay, when none has). Speed branches keep value 0.
    """
    chosen = np.zeros((len(wanted), len(layout.branches)), dtype=np.int64)
    for index, branch in enumerate(layout.branches):
        if branch.is_move:
            dots = wanted @ np.asarray(branch.moves).T  # (A, values)
            best = dots.argmax(axis=1)
            chosen[:, index] = np.where(dots[np.arange(len(wanted)), best] > 0, best, 0)
    return chosen
