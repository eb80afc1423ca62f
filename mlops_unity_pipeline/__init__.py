"""unity-mlops: from a short description of a Unity agent to a trained, registered ML-Agents policy.

The public API is the seed guide's (``UnityAssetSpec``, ``RLTrainingConfig``, ``TrainingJob``,
``TrainingSchedule`` and the runtimes built on them). Names are imported lazily so that a
stage which needs only a small part of the library (the stand-in player inside the trainer
environment, say) does not pay for, or depend on, the rest.

The package is layered: each part imports only from its own layer or those below it, so no
part imports one that builds on it (tests/test_import_graph.py checks this, and that no module
or sub-package imports itself through others). From the top:

- entry point: ``cli`` (and ``__main__``);
- around the jobs: ``scheduler``, ``deploy`` (pipelines on a platform), ``serving``,
  ``control_plane``, ``demos``; then ``orchestrator`` (one job, every stage), then ``settings``;
- the stages: ``train`` and ``evaluate``; below them ``seeds`` (choosing a trained seed by the
  gate's metric), then ``registry`` (versions and the quality gate; it reads evaluation reports
  and runs no stage), then ``codegen`` and ``build``;
- what the stages exchange and check: ``specs``, ``player_spec``, ``onnx_policy``,
  ``evaluation_report``, ``results``, ``layouts``, ``stage_outputs``, ``trainer_defaults``;
- shared infrastructure, each with its error in :mod:`.errors`: ``trainer_env``, ``ports``
  (reserving players' ports), ``gcs`` (Cloud Storage), ``standin`` (the stand-in player), the
  KFP executor input and output, ``observability``, ``output_folder``;
- foundations: ``behavior`` (the BehaviorSpec), ``errors``, ``documents``, ``validation``,
  ``cron``, ``clock``, ``deadline``, ``process_tree``, ``google_endpoints``, ``pipeline_root``.
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

__all__ = tuple(sorted(_EXPORTS))


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
