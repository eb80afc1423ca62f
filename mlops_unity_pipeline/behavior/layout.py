"""Where things are in an arena and how distances are scaled: read by the C# template and the stand-in.

Angles are in degrees, clockwise from +z seen from above (Unity's yaw): direction (sin θ, cos θ).
"""

from __future__ import annotations

import math

import numpy as np

#: Goal offsets (the target_direction observation) and goal progress (the goal_progress reward)
#: are divided by this many arena half-sizes, so both stay within [-1, 1].
GOAL_DISTANCE_SCALE = 2.0
#: Waypoint i of a route of n sits at this angle plus i·360/n degrees, at the corners of a square
#: inset from the walls by waypoint_inset.
WAYPOINT_START_DEGREES = 45.0


def waypoint_positions(count: int, half_size: np.ndarray, inset: np.ndarray) -> np.ndarray:
    """Each area's route ``(A, count, 2)``: radius (half_size − inset)·√2, angles as above."""
    radius = ((half_size - inset) * math.sqrt(2.0))[:, None]
    angles = np.deg2rad(WAYPOINT_START_DEGREES + np.arange(count) * 360.0 / count)
    return np.stack([radius * np.sin(angles), radius * np.cos(angles)], axis=-1)
