"""Which machine types and GPU counts Vertex AI custom training offers, as data, and the check against it.

Sources (read 2026-11): Vertex AI "Configure compute resources for custom training", GPU table
(https://cloud.google.com/vertex-ai/docs/training/configure-compute#specifying_gpus), and Compute
Engine "GPU machine types" (https://cloud.google.com/compute/docs/gpus) for the N1 vCPU limits.
Accelerator-optimized machines (A2, A3, G2) come with a fixed number of GPUs; N1 machines take
T4, V100, P100 or P4 GPUs in a few counts, each count up to a number of vCPUs.
"""

from __future__ import annotations

import re

#: Accelerator-optimized machine types: the GPU type and the number each one comes with.
FIXED_GPU_MACHINES: dict[str, tuple[str, int]] = {
    "g2-standard-4": ("NVIDIA_L4", 1),
    "g2-standard-8": ("NVIDIA_L4", 1),
    "g2-standard-12": ("NVIDIA_L4", 1),
    "g2-standard-16": ("NVIDIA_L4", 1),
    "g2-standard-32": ("NVIDIA_L4", 1),
    "g2-standard-24": ("NVIDIA_L4", 2),
    "g2-standard-48": ("NVIDIA_L4", 4),
    "g2-standard-96": ("NVIDIA_L4", 8),
    "a2-highgpu-1g": ("NVIDIA_TESLA_A100", 1),
    "a2-highgpu-2g": ("NVIDIA_TESLA_A100", 2),
    "a2-highgpu-4g": ("NVIDIA_TESLA_A100", 4),
    "a2-highgpu-8g": ("NVIDIA_TESLA_A100", 8),
    "a2-megagpu-16g": ("NVIDIA_TESLA_A100", 16),
    "a2-ultragpu-1g": ("NVIDIA_A100_80GB", 1),
    "a2-ultragpu-2g": ("NVIDIA_A100_80GB", 2),
    "a2-ultragpu-4g": ("NVIDIA_A100_80GB", 4),
    "a2-ultragpu-8g": ("NVIDIA_A100_80GB", 8),
    "a3-highgpu-1g": ("NVIDIA_H100_80GB", 1),
    "a3-highgpu-2g": ("NVIDIA_H100_80GB", 2),
    "a3-highgpu-4g": ("NVIDIA_H100_80GB", 4),
    "a3-highgpu-8g": ("NVIDIA_H100_80GB", 8),
    "a3-megagpu-8g": ("NVIDIA_H100_MEGA_80GB", 8),
    "a3-ultragpu-8g": ("NVIDIA_H200_141GB", 8),
}

#: GPUs attached to N1 machines: for each count offered, the most vCPUs the machine may have.
N1_GPU_VCPU_LIMITS: dict[str, dict[int, int]] = {
    "NVIDIA_TESLA_T4": {1: 48, 2: 48, 4: 96},
    "NVIDIA_TESLA_V100": {1: 12, 2: 24, 4: 48, 8: 96},
    "NVIDIA_TESLA_P100": {1: 16, 2: 32, 4: 64},
    "NVIDIA_TESLA_P4": {1: 24, 2: 48, 4: 96},
}

N1_MACHINE = re.compile(r"^n1-(standard|highmem|highcpu)-(\d+)$")


def offered_counts(accelerator_type: str) -> list[int]:
    """Every GPU count of ``accelerator_type`` that some machine type offers, ascending."""
    counts = {count for gpu, count in FIXED_GPU_MACHINES.values() if gpu == accelerator_type}
    counts.update(N1_GPU_VCPU_LIMITS.get(accelerator_type, {}))
    return sorted(counts)


def known_accelerators() -> list[str]:
    return sorted({gpu for gpu, _ in FIXED_GPU_MACHINES.values()} | set(N1_GPU_VCPU_LIMITS))


def machine_problem(machine_type: str, accelerator_type: str, accelerator_count: int) -> str | None:
    """Why Vertex AI would refuse this machine, or ``None`` when it offers it.

    ``accelerator_type`` empty or ``accelerator_count`` 0 asks for no GPU.
    """
    wants_gpu = bool(accelerator_type) and accelerator_count > 0
    if wants_gpu and accelerator_type not in known_accelerators():
        return f"accelerator_type {accelerator_type!r} is not a Vertex AI training GPU; one of {', '.join(known_accelerators())}"
    if wants_gpu and accelerator_count not in offered_counts(accelerator_type):
        return f"{accelerator_type} comes in {_or_list(offered_counts(accelerator_type))} per machine, not {accelerator_count}"
    fixed = FIXED_GPU_MACHINES.get(machine_type)
    if fixed is not None:
        gpu, count = fixed
        if not wants_gpu:
            return (
                f"{machine_type} comes with {count} x {gpu}: ask for them (accelerator_type {gpu}, accelerator_count "
                f"{count}), or use a machine without GPUs such as n1-standard-8"
            )
        if (accelerator_type, accelerator_count) != (gpu, count):
            return (
                f"{machine_type} comes with exactly {count} x {gpu}, not {accelerator_count} x {accelerator_type}; "
                + _machines_for(accelerator_type, accelerator_count)
            )
        return None
    if not wants_gpu:
        return None
    if not machine_type:
        return None
    if accelerator_type not in N1_GPU_VCPU_LIMITS:
        return (
            f"{accelerator_type} is not offered on {machine_type}; {_machines_for(accelerator_type, accelerator_count)}"
        )
    limits = N1_GPU_VCPU_LIMITS[accelerator_type]
    if accelerator_count not in limits:
        return (
            f"{accelerator_type} comes in {_or_list(offered_counts(accelerator_type))} per machine, "
            f"not {accelerator_count}"
        )
    match = N1_MACHINE.match(machine_type)
    if match is None:
        return f"{accelerator_type} attaches to N1 machines only (n1-standard-8, ...), not {machine_type}"
    vcpus = int(match.group(2))
    if vcpus > limits[accelerator_count]:
        return (
            f"{accelerator_count} x {accelerator_type} allows at most {limits[accelerator_count]} vCPUs, "
            f"and {machine_type} has {vcpus}"
        )
    return None


def _machines_for(accelerator_type: str, accelerator_count: int) -> str:
    machines = [name for name, (gpu, count) in FIXED_GPU_MACHINES.items() if gpu == accelerator_type]
    if not machines:
        return f"{accelerator_type} attaches to N1 machines (n1-standard-8, ...)"
    exact = [name for name in machines if FIXED_GPU_MACHINES[name][1] == accelerator_count]
    if exact:
        return f"for {accelerator_count} x {accelerator_type} use {_or_list(exact)}"
    return (
        f"{accelerator_type} comes in {_or_list(offered_counts(accelerator_type))} per machine "
        f"({', '.join(f'{name}: {FIXED_GPU_MACHINES[name][1]}' for name in machines)})"
    )


def _or_list(items: list) -> str:
    texts = [str(item) for item in items]
    return texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + " or " + texts[-1]
