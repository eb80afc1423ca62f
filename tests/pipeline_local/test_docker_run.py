"""The compiled pipeline run for real with kfp.local.DockerRunner: every stage in its own image.

``make images-local`` builds the pipeline, trainer and serving images on local bases, then
``make pipeline-local`` runs the compiled pipeline on the seed's SimpleAgent (stand-in build,
3000 steps); the test checks what reached the registry through KFP's artifact passing.

Skipped, saying why, where no Docker engine answers or no client can build with BuildKit, except
on CI (``CI`` set), where that is a failure: ``.ci/run`` installs Debian's docker.io and
debootstrap when missing (``scripts/system-deps.sh``) and starts the engine before ``make test``.
From an empty layer cache ``make images-local`` took 4 min 24 s on 2 shared cores, plus 29 s of
debootstrap for the Debian base; with the cache warm the whole test takes 36 s (docs/benchmarks.md).
It is the one check that images, stage commands and artifact passing work together before
Vertex AI sees them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_unity_pipeline.pipeline_root import CHECKPOINTS

REPO_ROOT = Path(__file__).resolve().parents[2]
ASSET = "unity-mlops-policy-test-001"
STAGES = ("codegen", "build", "train", "evaluate", "register")


def _run(command: list[str], timeout: float = 60, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=timeout, **kwargs)


def _clients() -> list[str]:
    """``$DOCKER``, else every ``docker`` on PATH in order (one may lack BuildKit where another has it)."""
    if os.environ.get("DOCKER"):
        return [os.environ["DOCKER"]]
    found: list[str] = []
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        path = Path(folder) / "docker"
        if path.is_file() and os.access(path, os.X_OK) and str(path.resolve()) not in (str(Path(p).resolve()) for p in found):
            found.append(str(path))
    return found


def _has_buildkit(client: str) -> bool:
    """The images need BuildKit (per-Dockerfile .dockerignore): the buildx plugin, or a client before 23 that has it built in."""
    if _run([client, "buildx", "version"]).returncode == 0:
        return True
    version = _run([client, "version", "--format", "{{.Client.Version}}"]).stdout.strip()
    return version.split(".")[0].isdigit() and int(version.split(".")[0]) < 23


def docker_client() -> tuple[str | None, str]:
    """A client that reaches the engine and builds with BuildKit, or ``None`` and why there is none."""
    reasons = []
    for client in _clients():
        try:
            info = _run([client, "info"])
        except (OSError, subprocess.TimeoutExpired) as exc:
            reasons.append(f"'{client} info' failed: {exc}")
            continue
        if info.returncode != 0:
            reasons.append(f"'{client} info' failed: {(info.stderr.strip().splitlines() or ['no output'])[-1]}")
        elif not _has_buildkit(client):
            reasons.append(f"{client} cannot build with BuildKit (no buildx plugin); set DOCKER to a client that can")
        else:
            return client, ""
    return None, "; ".join(reasons) or "no docker client on PATH"


def on_ci() -> bool:
    """CI sets ``CI`` (``true`` by convention); there a missing engine is a failure, not a skip."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _make(client: str, *targets: str, timeout: float) -> subprocess.CompletedProcess[str]:
    """Run make targets with this interpreter's environment as the project's (not set up again)."""
    venv = sys.prefix
    return _run(["make", "-o", f"{venv}/.installed", f"VENV={venv}", f"DOCKER={client}", *targets], timeout=timeout, cwd=REPO_ROOT)


def _tail(result: subprocess.CompletedProcess[str]) -> str:
    return "\n".join((result.stdout + result.stderr).splitlines()[-60:])


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_the_compiled_pipeline_runs_in_its_containers_and_registers_the_policy(tmp_path: Path, local_images: str) -> None:
    run = _make(local_images, "pipeline-local", f"LOCAL_ROOT={tmp_path}", timeout=600)
    assert run.returncode == 0, _tail(run)

    summary = run.stdout[run.stdout.index("local run: "):].splitlines()
    statuses = {line.split()[0]: line.split()[-1] for line in summary[1:] if line.startswith("  ") and not line.startswith("      ")}
    assert statuses == {**{stage: "SUCCESS" for stage in STAGES}, "project-version": "SUCCESS", "notify": "SUCCESS",
                        "plan-seeds": "SUCCESS", "select-seed": "SUCCESS"}
    (folder,) = [path for path in tmp_path.iterdir() if path.is_dir() and path.name != CHECKPOINTS]
    (checkpoints,) = (tmp_path / CHECKPOINTS).glob("*/test-001")  # <run id>/<asset id>: where a retry resumes
    assert list((checkpoints / "results").rglob("checkpoint.pt"))
    (loop,) = folder.glob("for-loop-*")
    (training_dir,) = loop.glob("for-loop-*/train/training")  # the one training seed, in the seeds loop

    generated = json.loads((loop / "codegen" / "generated" / "behavior.json").read_text())
    sizes = {group["name"]: group["size"] for group in generated["observations"]}
    assert sizes == {"raycast": 8, "velocity": 2, "target_direction": 2}
    assert all(type(size) is int for size in sizes.values())  # not 8.0, as KFP's Struct carries them
    training = json.loads((training_dir / "metrics.json").read_text())
    assert training["steps"] >= 3000 and training["behavior_name"] == "SimpleAgent"
    assert (training_dir / "report.html").read_text().lstrip().lower().startswith("<!doctype html")
    evaluation = json.loads((loop / "evaluate" / "evaluation" / "eval_metrics.json").read_text())
    assert evaluation["episodes"] == 5 and -10 < evaluation["metrics"]["mean_reward"] < 10

    registration = json.loads((loop / "register" / "registration" / "registration.json").read_text())
    version = loop / "register" / "registration" / "registry" / ASSET / "versions" / "1"
    assert registration["uri"] == version.as_uri()
    assert registration["quality_gate"]["promoted"] is True
    assert (version / "model.onnx").read_bytes() == (training_dir / "policy.onnx").read_bytes()
    # Outputs reach KFP only through the executor output each stage command writes.
    register_output = json.loads((loop / "register" / "executor_output.json").read_text())
    assert register_output["parameterValues"] == {"uri": version.as_uri(), "promoted": True}
    assert register_output["artifacts"]["registration"]["artifacts"][0]["uri"] == str(loop / "register" / "registration")
