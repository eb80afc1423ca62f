"""The compiled pipeline run for real with kfp.local.DockerRunner: every stage in its own image.

``make images-local`` builds the pipeline, trainer and serving images on local bases, then
``make pipeline-local`` runs the compiled pipeline on the seed's SimpleAgent (stand-in build,
3000 steps) and, in the same run, on an existing behaviour: a team's "Unity project" inside the
pipeline root whose build command copies in a player the pipeline did not generate (a stand-in
built from an asset spec whose codegen output and behavior.json are then deleted, so only the
player says what it is), trained with the team's own trainer config. The test checks what
reached the registry through KFP's artifact passing.

Skipped, saying why, where no Docker engine answers or no client can build with BuildKit, except
on CI (``CI`` set), where that is a failure: ``.ci/run`` installs Debian's docker.io and
debootstrap when missing (``scripts/system-deps.sh``) and starts the engine before ``make test``.
From an empty layer cache ``make images-local`` took 4 min 24 s on 2 shared cores, plus 29 s of
debootstrap for the Debian base; with the cache warm the whole test took 36 s with SimpleAgent alone
(docs/benchmarks.md); the existing behaviour adds its tasks and a 1024-step training (TINY_PPO).
It is the one check that images, stage commands and artifact passing work together before
Vertex AI sees them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mlops_unity_pipeline import RLTrainingConfig, UnityAssetSpec
from mlops_unity_pipeline.behavior.spec import BEHAVIOR_FILE
from mlops_unity_pipeline.build import build
from mlops_unity_pipeline.codegen import generate
from mlops_unity_pipeline.layouts import CodegenLayout
from mlops_unity_pipeline.pipeline_root import CHECKPOINTS
from tests.conftest import TINY_PPO

REPO_ROOT = Path(__file__).resolve().parents[2]
ASSET = "unity-mlops-policy-test-001"
EXISTING_ASSET = "unity-mlops-policy-own-001"
STAGES = ("codegen", "build", "train", "evaluate", "register")
#: Where the team's project and its hidden player lie: inside the pipeline root, which every task sees.
PROJECTS = "projects"


def _run(command: list[str], timeout: float = 60, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=timeout, **kwargs)


def _clients() -> list[str]:
    """``$DOCKER``, else every ``docker`` on PATH in order (one may lack BuildKit where another has it)."""
    if os.environ.get("DOCKER"):
        return [os.environ["DOCKER"]]
    found: list[str] = []
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        path = Path(folder) / "docker"
        if (
            path.is_file()
            and os.access(path, os.X_OK)
            and str(path.resolve()) not in (str(Path(p).resolve()) for p in found)
        ):
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
    return _run(
        ["make", "-o", f"{venv}/.installed", f"VENV={venv}", f"DOCKER={client}", *targets],
        timeout=timeout,
        cwd=REPO_ROOT,
    )


def existing_asset(root: Path) -> Path:
    """An existing behaviour's asset spec: a project whose build copies in a player that only says at the
    handshake what it is (``OwnRover``, discrete branches [3, 2]); its own trainer config."""
    generated = root / "generated"
    generate(
        UnityAssetSpec(
            asset_id="own-001",
            name="Own Rover",
            description="Reach the target",
            action_space={"type": "discrete", "branches": [3, 2], "meanings": ["turn", "forward"]},
        ),
        RLTrainingConfig(),
        generated,
    )
    player = build(generated, root / "hidden", backend="standin", log=lambda _: None).executable
    shutil.rmtree(generated)
    (player.parent / BEHAVIOR_FILE).unlink()
    project = root / "MyUnityGame"
    (project / "Assets" / "Scenes").mkdir(parents=True)
    (project / "Assets" / "Scenes" / "Arena.unity").write_text("scene")
    (project / "training_config.yaml").write_text(yaml.safe_dump({"behaviors": {"OwnRover": TINY_PPO}}))
    spec = root / "own_rover.yaml"
    spec.write_text(
        yaml.safe_dump(
            {
                "asset_id": "own-001",
                "name": "Own Rover",
                "existing": {
                    "unity_project": str(project),
                    "behavior_name": "OwnRover",
                    "trainer_config": "training_config.yaml",
                    "player": "Builds/Rover/OwnRover.x86_64",
                    "build_command": f"mkdir -p Builds && cp -r {player.parent} Builds/Rover",
                },
            }
        )
    )
    return spec


def _tail(result: subprocess.CompletedProcess[str]) -> str:
    return "\n".join((result.stdout + result.stderr).splitlines()[-60:])


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_the_compiled_pipeline_runs_in_its_containers_and_registers_the_policy(
    tmp_path: Path, local_images: str, monkeypatch
) -> None:
    monkeypatch.setenv("MLOPS_BUILD_CACHE", str(tmp_path / PROJECTS / "build-cache"))
    own_rover = existing_asset(tmp_path / PROJECTS)
    assets = f"LOCAL_ASSETS=examples/simple_agent/asset_spec.yaml {own_rover}"
    run = _make(local_images, "pipeline-local", f"LOCAL_ROOT={tmp_path}", assets, timeout=900)
    assert run.returncode == 0, _tail(run)

    summary = run.stdout[run.stdout.index("local run: ") :].splitlines()
    statuses = {
        (line.split()[0], line.split()[-1])
        for line in summary[1:]
        if line.startswith("  ") and not line.startswith("      ")
    }
    per_asset = {
        "codegen",
        "project-version",
        "build",
        "champion",
        "plan-seeds",
        "train",
        "select-seed",
        "evaluate",
        "register",
    }
    assert statuses == {(task, "SUCCESS") for task in (*per_asset, "notify")}
    (folder,) = [path for path in tmp_path.iterdir() if path.is_dir() and path.name not in (CHECKPOINTS, PROJECTS)]
    (checkpoints,) = (tmp_path / CHECKPOINTS).glob("*/test-001")  # <run id>/<asset id>: where a retry resumes
    assert list((checkpoints / "results").rglob("checkpoint.pt"))
    loops = {
        (path / "codegen" / "generated" / CodegenLayout.EXISTING).is_file(): path for path in folder.glob("for-loop-*")
    }
    loop, own = loops[False], loops[True]
    for iteration in (loop, own):  # every task ran for each asset, and wrote the executor output KFP reads
        assert {path.parent.name for path in iteration.rglob("executor_output.json")} == per_asset
    (training_dir,) = loop.glob("for-loop-*/train/training")  # the one training seed, in the seeds loop
    (own_training_dir,) = own.glob("for-loop-*/train/training")

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
    assert register_output["artifacts"]["registration"]["artifacts"][0]["uri"] == str(
        loop / "register" / "registration"
    )

    # The existing behaviour, in the same run: no code generated, the team's build, its own trainer config,
    # the behaviour read from the player at the handshake, evaluated through the player, registered.
    assert sorted(path.name for path in (own / "codegen" / "generated").iterdir()) == [CodegenLayout.EXISTING]
    built = json.loads((own / "build" / "player" / "build_info.json").read_text())
    assert (built["backend"], built["executable"], built["project_version"] != "") == (
        "existing",
        "OwnRover.x86_64",
        True,
    )
    assert not (tmp_path / PROJECTS / "MyUnityGame" / "Builds").exists()  # built in a copy, never in the project
    own_training = json.loads((own_training_dir / "metrics.json").read_text())
    assert own_training["behavior_name"] == "OwnRover" and own_training["steps"] >= TINY_PPO["max_steps"]
    assert json.loads((own_training_dir / "player.json").read_text()) == {
        "behavior_name": "OwnRover",
        "observation_shapes": [[12]],
        "continuous_size": 0,
        "discrete_branches": [3, 2],
    }
    own_evaluation = json.loads((own / "evaluate" / "evaluation" / "eval_metrics.json").read_text())
    assert own_evaluation["backend"] == "unity" and own_evaluation["episodes"] == 5
    own_registration = json.loads((own / "register" / "registration" / "registration.json").read_text())
    own_version = own / "register" / "registration" / "registry" / EXISTING_ASSET / "versions" / "1"
    assert own_registration["uri"] == own_version.as_uri() and (own_version / "player.json").is_file()
    assert (own_version / "model.onnx").read_bytes() == (own_training_dir / "policy.onnx").read_bytes()
