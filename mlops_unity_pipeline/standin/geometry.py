"""Planar geometry the stand-in world needs: ray casts against walls and circles, and spawning.

Kept apart from :mod:`.world` so the task rules read as rules; everything here is pure numpy,
vectorised over training areas (leading axis ``A``).
"""

from __future__ import annotations

import numpy as np


def ray_directions(count: int, heading: np.ndarray) -> np.ndarray:
    """Unit vectors (x, z) of ``count`` rays per area ``(A, count, 2)``: ray i at heading + i*360/count
    degrees clockwise from +z (``heading`` ``(A,)``, in degrees)."""
    angles = np.deg2rad(heading[:, None] + np.arange(count) * 360.0 / count)
    return np.stack([np.sin(angles), np.cos(angles)], axis=-1)


def cast_rays(
    origins: np.ndarray,
    directions: np.ndarray,
    half_size: np.ndarray,
    circles: np.ndarray,
    circle_radius: np.ndarray,
) -> np.ndarray:
    """Distance along each ray to the first arena wall or circle: ``(A, R)``.

    ``origins`` is ``(A, 2)`` (inside the walls), ``directions`` ``(A, R, 2)``, ``half_size`` and
    ``circle_radius`` ``(A,)`` (each area has its own), ``circles`` ``(A, C, 2)``. The walls are the
    lines x = ±half_size and z = ±half_size. As in a physics ray cast, a circle that contains the
    origin is not hit.
    """
    # Per axis, the wall ahead is at sign(d)·H, reached after (sign(d)·H − p)/d = H/|d| − p/d;
    # an axis the ray runs parallel to never reaches its walls.
    along_axis = np.abs(directions) > 1e-12
    inverse = np.divide(1.0, directions, out=np.zeros_like(directions), where=along_axis)
    reach = np.where(along_axis, np.abs(inverse), np.inf) * half_size[:, None, None]  # (A, R, 2)
    walls = reach - origins[:, None, :] * inverse  # (A, R, 2)
    nearest = walls.min(axis=-1)
    if circles.shape[1] == 0:
        return nearest
    offsets = circles - origins[:, None, :]  # (A, C, 2)
    along = np.einsum("acx,arx->arc", offsets, directions)  # (A, R, C)
    outside = (offsets**2).sum(-1) - circle_radius[:, None] ** 2  # (A, C)
    discriminant = along**2 - outside[:, None, :]
    entry = along - np.sqrt(np.maximum(discriminant, 0.0))
    valid = (discriminant >= 0) & (outside[:, None, :] > 0) & (entry >= 0)
    circle_hit = np.where(valid, entry, np.inf).min(axis=-1)
    return np.minimum(nearest, circle_hit)


def sample_separated(
    rng: np.random.Generator,
    half_extent: np.ndarray,
    keep_away: np.ndarray,
    min_distance: np.ndarray,
    tries: int,
) -> np.ndarray:
    """One point per area, uniform in [-half_extent[a], half_extent[a]]², at least
    ``min_distance[a, k]`` from ``keep_away[a, k]``; ``keep_away`` is ``(count, K, 2)``.

    After ``tries`` redraws the last draw is kept, so a reset always finishes even in an arena
    too crowded to honour every separation.
    """
    extent = half_extent[:, None]
    points = rng.uniform(-extent, extent, size=(len(extent), 2))
    pending = np.ones(len(extent), dtype=bool)
    for _ in range(tries):
        pending[pending] = ~_far_enough(points[pending], keep_away[pending], min_distance[pending])
        if not pending.any():
            break
        points[pending] = rng.uniform(-extent[pending], extent[pending], size=(int(pending.sum()), 2))
    return points


def _far_enough(points: np.ndarray, keep_away: np.ndarray, min_distance: np.ndarray) -> np.ndarray:
    if keep_away.shape[1] == 0:
        return np.ones(len(points), dtype=bool)
    distances = np.linalg.norm(keep_away - points[:, None, :], axis=-1)
    return (distances >= min_distance).all(axis=1)
