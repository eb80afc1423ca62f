"""The build stage: generated code → a headless player that ``mlagents-learn --env`` accepts.

Two backends: ``unity`` (the Editor in batchmode) and ``standin`` (a launcher for the stand-in
player); ``auto`` picks unity when Unity is configured. Builds are cached by their inputs.

``build`` and ``BuildResult`` are imported when first used: the later stages read what a build
left (:mod:`.generated`, :mod:`.records`) without loading the build machinery.
"""

from __future__ import annotations

from typing import Any

__all__ = ["BuildResult", "build"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import stage

    return getattr(stage, name)
