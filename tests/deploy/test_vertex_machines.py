"""The machines and GPU counts Vertex AI offers for training, checked before a run is submitted."""

from __future__ import annotations

import pytest

from mlops_unity_pipeline.deploy.parameters import validate_parameters
from mlops_unity_pipeline.deploy.vertex_machines import FIXED_GPU_MACHINES, machine_problem, offered_counts
from mlops_unity_pipeline.errors import SpecValidationError


@pytest.mark.parametrize(
    ("machine", "gpu", "count"),
    [
        ("g2-standard-8", "NVIDIA_L4", 1),
        ("g2-standard-24", "NVIDIA_L4", 2),
        ("g2-standard-96", "NVIDIA_L4", 8),
        ("a2-highgpu-4g", "NVIDIA_TESLA_A100", 4),
        ("n1-standard-8", "NVIDIA_TESLA_T4", 1),
        ("n1-standard-16", "", 0),
    ],
)
def test_offered_machines_pass(machine: str, gpu: str, count: int) -> None:
    assert machine_problem(machine, gpu, count) is None


@pytest.mark.parametrize(
    ("machine", "gpu", "count", "message"),
    [
        ("g2-standard-8", "NVIDIA_L4", 3, "NVIDIA_L4 comes in 1, 2, 4 or 8 per machine, not 3"),
        (
            "g2-standard-8",
            "NVIDIA_L4",
            2,
            ("g2-standard-8 comes with exactly 1 x NVIDIA_L4, not 2 x NVIDIA_L4; for 2 x NVIDIA_L4 use g2-standard-24"),
        ),
        (
            "n1-standard-8",
            "NVIDIA_L4",
            1,
            "NVIDIA_L4 is not offered on n1-standard-8; for 1 x NVIDIA_L4 use g2-standard-4",
        ),
        (
            "n1-standard-32",
            "NVIDIA_TESLA_V100",
            1,
            "1 x NVIDIA_TESLA_V100 allows at most 12 vCPUs, and n1-standard-32 has 32",
        ),
        ("g2-standard-8", "", 0, "g2-standard-8 comes with 1 x NVIDIA_L4: ask for them"),
        ("e2-standard-8", "NVIDIA_TESLA_T4", 1, "NVIDIA_TESLA_T4 attaches to N1 machines only"),
    ],
)
def test_what_vertex_ai_does_not_offer_is_named_with_what_it_does(
    machine: str, gpu: str, count: int, message: str
) -> None:
    assert message in (machine_problem(machine, gpu, count) or "")


def test_every_accelerator_optimized_machine_count_is_offered() -> None:
    assert all(count in offered_counts(gpu) for gpu, count in FIXED_GPU_MACHINES.values())
    assert offered_counts("NVIDIA_L4") == [1, 2, 4, 8]


def test_the_check_applies_to_the_vertex_target_only(asset_spec_dict: dict) -> None:
    values = {"asset_specs": [asset_spec_dict], "accelerator_type": "nvidia.com/gpu", "accelerator_count": 3}
    validate_parameters(values, target="kfp")
    with pytest.raises(
        SpecValidationError, match="machine_type: accelerator_type 'nvidia.com/gpu' is not a Vertex AI training GPU"
    ):
        validate_parameters(values, target="vertex", defaults={"machine_type": "g2-standard-8"})
