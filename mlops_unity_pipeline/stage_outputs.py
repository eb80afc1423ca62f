"""The names of each stage's outputs, shared by the stage commands that write them and the components that declare them.

A container component's outputs reach the next task only through the executor output its stage
command writes (:mod:`.kfp_executor_output`), keyed by the output names the component declares;
a name written here and declared differently there is an output that silently never arrives.
The components declare these names as their function's parameters (KFP reads them from the
signature), and ``STAGE_OUTPUTS`` is what tests/pipeline checks each component against.
"""

from __future__ import annotations

# codegen
GENERATED = "generated"
ASSET_ID = "asset_id"
BEHAVIOR_NAME = "behavior_name"
# build
PLAYER = "player"
# project-version
VERSION = "version"
# champion
CHAMPION = "champion"
# train
TRAINING = "training"
MODEL = "model"
METRICS = "metrics"
REPORT = "report"
# select-seed (and TRAINING, MODEL, METRICS)
SELECTION = "selection"
# evaluate (and METRICS)
EVALUATION = "evaluation"
# register
REGISTRATION = "registration"
VERTEX_MODEL = "vertex_model"
URI = "uri"
PROMOTED = "promoted"

#: Every output of each stage command, by subcommand; its component declares exactly these.
STAGE_OUTPUTS: dict[str, frozenset[str]] = {
    "codegen": frozenset({GENERATED, ASSET_ID, BEHAVIOR_NAME}),
    "build": frozenset({PLAYER}),
    "project-version": frozenset({VERSION}),
    "champion": frozenset({CHAMPION}),
    "train": frozenset({TRAINING, MODEL, METRICS, REPORT}),
    "select-seed": frozenset({SELECTION, TRAINING, MODEL, METRICS}),
    "evaluate": frozenset({EVALUATION, METRICS}),
    "register": frozenset({REGISTRATION, VERTEX_MODEL, URI, PROMOTED}),
}
