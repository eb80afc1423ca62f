"""unity-mlops: from a short description of a Unity agent to a trained, registered ML-Agents policy.

The public API is the seed guide's (``UnityAssetSpec``, ``RLTrainingConfig``, ``TrainingJob``,
``TrainingSchedule`` and the runtimes built on them). Names are imported lazily so that a
stage which needs only a small part of the library (the stand-in player inside the trainer
environment, say) does not pay for, or depend on, the rest.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "UnityAssetSpec": ".specs",
    "RLTrainingConfig": ".specs",
    "TrainingJob": ".specs",
    "TrainingSchedule": ".specs",
    "BehaviorSpec": ".behavior",
    "UnityMLOpsOrchestrator": ".orchestrator",
    "TrainingJobResult": ".results",
    "TrainingScheduler": ".scheduler",
    "MLOpsError": ".errors",
    "SpecValidationError": ".errors",
    "ControlPlaneRuntime": ".control_plane",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
