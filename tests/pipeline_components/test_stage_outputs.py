"""Each stage component declares exactly the outputs its stage command writes (mlops_unity_pipeline.stage_outputs)."""

# No ``from __future__ import annotations``: kfp reads the test component's annotations as types.

import pytest
from kfp import dsl
from kfp.dsl import Artifact, Output

from components.build import build
from components.champion import champion
from components.codegen import codegen
from components.common import outputs_of
from components.evaluate import evaluate
from components.project_version import project_version
from components.register import register
from components.select_seed import select_seed
from components.train import train
from mlops_unity_pipeline.stage_outputs import STAGE_OUTPUTS

BY_COMMAND = {
    "codegen": codegen,
    "build": build,
    "project-version": project_version,
    "champion": champion,
    "train": train,
    "select-seed": select_seed,
    "evaluate": evaluate,
    "register": register,
}


def test_every_stage_command_has_its_component() -> None:
    assert set(BY_COMMAND) == set(STAGE_OUTPUTS)


@pytest.mark.parametrize("command", sorted(STAGE_OUTPUTS))
def test_the_component_declares_what_its_command_writes(command: str) -> None:
    assert set(BY_COMMAND[command].component_spec.outputs) == STAGE_OUTPUTS[command]


def test_a_component_declaring_another_output_name_is_refused() -> None:
    @dsl.container_component
    def misnamed(player_folder: Output[Artifact]):
        return dsl.ContainerSpec(image="python:3.11", command=["true"])

    with pytest.raises(TypeError, match=r"declares the outputs \['player_folder'\], but 'build' writes \['player'\]"):
        outputs_of("build")(misnamed)
