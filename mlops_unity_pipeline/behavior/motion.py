"""Action layouts applied to arrays of agents: the motion actions give, and the actions an input wants.

The rules are :mod:`.actions`' (its docstring says how values become motion); this module applies
them with numpy to every agent of a batch at once, for the stand-in player's world, the
heuristic and the scripted expert. It is apart from :mod:`.actions` so that reading a
BehaviorSpec (every stage does) does not import numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .actions import HEURISTIC_AXES, LOCAL_MOVES, WORLD_MOVES, ActionLayout, split_meaning


@dataclass(frozen=True)
class Steering:
    """What an input wants per signed meaning, each ``(A,)``: the heuristic's keys or the expert's aim.

    ``move_x``/``move_z`` in world axes, ``strafe``/``forward`` relative to the heading, ``turn``
    clockwise; a ``move`` branch follows (move_x, move_z).
    """

    move_x: np.ndarray
    move_z: np.ndarray
    forward: np.ndarray
    strafe: np.ndarray
    turn: np.ndarray

    @classmethod
    def from_keys(cls, horizontal: np.ndarray, vertical: np.ndarray) -> Steering:
        """The heuristic's reading of the arrow keys (:data:`HEURISTIC_AXES`)."""
        axes = {
            "Horizontal": np.asarray(horizontal, dtype=np.float64),
            "Vertical": np.asarray(vertical, dtype=np.float64),
        }
        return cls(**{meaning: axes[axis] for meaning, axis in HEURISTIC_AXES.items()})


def heading_axes(heading: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The agent's right and forward unit vectors (x, z), each ``(A, 2)``, for headings in degrees."""
    radians = np.deg2rad(heading)
    sin, cos = np.sin(radians), np.cos(radians)
    return np.stack([cos, -sin], axis=-1), np.stack([sin, cos], axis=-1)


def to_heading_frame(vectors: np.ndarray, heading: np.ndarray) -> np.ndarray:
    """World (x, z) vectors ``(A, 2)`` as (right, forward) of each agent's heading."""
    right, forward = heading_axes(heading)
    return np.stack([(vectors * right).sum(-1), (vectors * forward).sum(-1)], axis=-1)


def motion(
    layout: ActionLayout, actions: np.ndarray, constants: dict[str, np.ndarray], heading: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each area's new heading ``(A,)`` and planar velocity ``(A, 2)`` for its action.

    ``constants`` holds per-area world constants ``(A,)`` (``turn_speed`` only when the layout turns).
    """
    count = len(actions)
    world, local = np.zeros((count, 2)), np.zeros((count, 2))
    turn, sprint = np.zeros(count), np.ones(count)
    sprint_gain = constants["sprint_multiplier"] - 1.0
    if layout.continuous:
        values = np.clip(actions[:, : layout.continuous_size].astype(np.float64), -1.0, 1.0)
        for index, meaning in enumerate(layout.continuous):
            kind, sign = split_meaning(meaning)
            value = sign * values[:, index]
            if kind == "sprint":
                sprint = sprint * (1.0 + sprint_gain * np.clip(values[:, index], 0.0, 1.0))
            elif kind == "turn":
                turn = turn + value
            elif kind != "noop":
                target, axis = (
                    (world, 0)
                    if kind == "move_x"
                    else (world, 1)
                    if kind == "move_z"
                    else (local, 0)
                    if kind == "strafe"
                    else (local, 1)
                )
                target[:, axis] += value
    else:
        chosen = actions.astype(np.int64)
        for index, branch in enumerate(layout.branches):
            values = chosen[:, index]
            if branch.kind in WORLD_MOVES:
                world = world + np.asarray(branch.moves)[values]
            elif branch.kind in LOCAL_MOVES:
                local = local + np.asarray(branch.moves)[values]
            elif branch.kind == "turn":
                turn = turn + np.asarray(branch.levels)[values]
            elif branch.kind == "sprint":
                sprint = sprint * (1.0 + sprint_gain * np.asarray(branch.sprint_fractions)[values])
    if layout.turns:
        heading = heading + turn * constants["turn_speed"] * constants["decision_dt"]
    direction = world
    if layout.oriented:
        right, forward = heading_axes(heading)
        direction = direction + local[:, :1] * right + local[:, 1:] * forward
    return heading, direction * (constants["move_speed"] * sprint)[:, None]


def closest_values(layout: ActionLayout, steering: Steering) -> np.ndarray:
    """Discrete actions ``(A, branches)`` following ``steering``, as the generated heuristic picks them.

    Per move or turn branch: the first value whose direction or level has the greatest positive
    product with what is wanted (value 0, which does nothing, when none has). Sprint and no-op
    branches keep value 0.
    """
    world = np.stack([steering.move_x, steering.move_z], axis=-1)
    local = np.stack([steering.strafe, steering.forward], axis=-1)
    chosen = np.zeros((len(world), len(layout.branches)), dtype=np.int64)
    for index, branch in enumerate(layout.branches):
        if branch.kind in WORLD_MOVES or branch.kind in LOCAL_MOVES:
            products = (world if branch.kind in WORLD_MOVES else local) @ np.asarray(branch.moves).T
        elif branch.kind == "turn":
            products = steering.turn[:, None] * np.asarray(branch.levels)[None, :]
        else:
            continue
        best = products.argmax(axis=1)
        chosen[:, index] = np.where(products[np.arange(len(world)), best] > 0, best, 0)
    return chosen


def axis_values(layout: ActionLayout, steering: Steering, sprint: np.ndarray | None = None) -> np.ndarray:
    """Continuous actions ``(A, axes)`` following ``steering``; sprint axes take ``sprint`` (default 0)."""
    count = len(steering.turn)
    columns = []
    for meaning in layout.continuous:
        kind, sign = split_meaning(meaning)
        if kind == "sprint":
            columns.append(np.zeros(count) if sprint is None else np.asarray(sprint, dtype=np.float64))
        elif kind == "noop":
            columns.append(np.zeros(count))
        else:
            columns.append(sign * getattr(steering, kind))
    return np.stack(columns, axis=-1)
