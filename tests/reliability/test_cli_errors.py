"""Bad paths and damaged files on the command line: one clear message, no traceback, nothing lost.

Root runs these tests here, and root may write anywhere, so an unusable location is made the
way it most often happens: a file standing where a folder must be.
"""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

from mlops_unity_pipeline import RLTrainingConfig, TrainingJob, TrainingSchedule, UnityAssetSpec
from tests.conftest import run_cli

from .conftest import REPO_ROOT, SIMPLE_AGENT, assert_clear_error


@pytest.fixture(scope="module")
def stages(tmp_path_factory):
    """A codegen output and its stand-in build, copied per test by ``workspace``."""
    root = tmp_path_factory.mktemp("stages")
    assert (
        run_cli(
            "codegen",
            "--asset-spec",
            SIMPLE_AGENT / "asset_spec.yaml",
            "--rl-config",
            SIMPLE_AGENT / "rl_config.yaml",
            "--out",
            root / "generated",
        ).returncode
        == 0
    )
    assert (
        run_cli(
            "build",
            "--generated",
            root / "generated",
            "--out",
            root / "build",
            env={"MLOPS_BUILD_CACHE": str(root / "cache")},
        ).returncode
        == 0
    )
    return root


@pytest.fixture
def workspace(stages, tmp_path):
    for name in ("generated", "build"):
        shutil.copytree(stages / name, tmp_path / name, symlinks=True)
    (tmp_path / "afile").write_text("not a folder\n")
    job = TrainingJob(
        job_id="job-1",
        asset_spec=UnityAssetSpec(asset_id="a-1", name="SimpleAgent"),
        rl_config=RLTrainingConfig(max_steps=3000),
    )
    job.dump(tmp_path / "job.yaml")
    schedule = TrainingSchedule(
        schedule_id="nightly", cron_expression="0 2 * * *", asset_specs=[job.asset_spec], rl_config=job.rl_config
    )
    (tmp_path / "schedules.yaml").write_text(yaml.safe_dump({"schedules": [schedule.to_dict()]}))
    return tmp_path


def _damage(workspace, relative: str, content: str) -> None:
    (workspace / relative).write_text(content)


def _edit_behavior(workspace, change) -> None:
    """``behavior.json`` as codegen wrote it, with ``change`` applied to the document."""
    path = workspace / "generated" / "behavior.json"
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))


#: name → (how to prepare the workspace, argv, fragments the message must hold)
CASES = {
    "codegen --out under a file": (
        None,
        ["codegen", "--asset-spec", SIMPLE_AGENT / "asset_spec.yaml", "--out", "{ws}/afile/out"],
        ["afile", "a file stands where a folder is expected"],
    ),
    "run --work-dir is a file": (None, ["run", "{ws}/job.yaml", "--work-dir", "{ws}/afile"], ["afile", "folder"]),
    "schedule --state under a file": (
        None,
        ["schedule", "{ws}/schedules.yaml", "--state", "{ws}/afile/state.json", "--work-dir", "{ws}/work"],
        ["afile", "a file stands where a folder"],
    ),
    "approve with the event log under a file": (
        None,
        [
            "approve",
            "--approver",
            "me",
            "--bundle",
            REPO_ROOT / "examples/control_plane/bundle.yaml",
            "--schemas",
            REPO_ROOT / "schemas/control_plane",
            "--events",
            "{ws}/afile/events.jsonl",
        ],
        ["afile"],
    ),
    "train with a truncated train_state.json": (
        lambda ws: (ws / "training").mkdir() or _damage(ws, "training/train_state.json", '{"attempts": 1, "wall'),
        ["train", "--build", "{ws}/build", "--generated", "{ws}/generated", "--out", "{ws}/training"],
        ["train_state.json is unreadable", "delete it to train from scratch"],
    ),
    "train without manifest.json": (
        lambda ws: (ws / "generated" / "manifest.json").unlink(),
        ["train", "--build", "{ws}/build", "--generated", "{ws}/generated", "--out", "{ws}/training"],
        ["manifest.json does not exist"],
    ),
    "evaluate with a damaged behavior.json": (
        lambda ws: _damage(ws, "generated/behavior.json", '{"format_version": 1, "behavior_name": "X"}'),
        [
            "evaluate",
            "--model",
            REPO_ROOT / "tests/serving/data/simple_agent_trained/model.onnx",
            "--build",
            "{ws}/build",
            "--generated",
            "{ws}/generated",
            "--out",
            "{ws}/eval",
        ],
        ["behavior.json is not a usable BehaviorSpec", "regenerate it with codegen"],
    ),
    "evaluate with a behavior.json of another format version": (
        lambda ws: _edit_behavior(ws, lambda document: document.update(format_version=2)),
        [
            "evaluate",
            "--model",
            REPO_ROOT / "tests/serving/data/simple_agent_trained/model.onnx",
            "--build",
            "{ws}/build",
            "--generated",
            "{ws}/generated",
            "--out",
            "{ws}/eval",
        ],
        ["behavior.json is not a usable BehaviorSpec", "format_version: 2 is not allowed", "reads 1 only"],
    ),
    "record-demos with an action meaning behavior.json does not know": (
        lambda ws: _edit_behavior(ws, lambda document: document["actions"].update(meanings=["fly", "move_z"])),
        ["record-demos", "--generated", "{ws}/generated", "--episodes", "2", "--out", "{ws}/demo.demo"],
        ["behavior.json is not a usable BehaviorSpec", "actions: 'fly' (item 0) is not one of move_x, move_z"],
    ),
    "evaluate --out is a file": (
        None,
        [
            "evaluate",
            "--model",
            REPO_ROOT / "tests/serving/data/simple_agent_trained/model.onnx",
            "--build",
            "{ws}/build",
            "--generated",
            "{ws}/generated",
            "--out",
            "{ws}/afile",
            "--episodes",
            "100000",
        ],
        ["--out", "afile is a file"],
    ),
    "record-demos without --generated": (
        None,
        ["record-demos", "--generated", "{ws}/missing", "--episodes", "2", "--out", "{ws}/demo.demo"],
        ["missing does not exist"],
    ),
    "build without --generated": (
        None,
        ["build", "--generated", "{ws}/missing", "--out", "{ws}/b2"],
        ["missing/manifest.json does not exist"],
    ),
    "train --device bogus": (
        None,
        [
            "train",
            "--build",
            "{ws}/build",
            "--generated",
            "{ws}/generated",
            "--out",
            "{ws}/training",
            "--device",
            "bogus",
        ],
        ["device 'bogus' is not a torch device"],
    ),
    "train with another spec's --generated": (
        lambda ws: (
            run_cli(
                "codegen",
                "--asset-spec",
                SIMPLE_AGENT / "asset_spec.yaml",
                "--rl-config",
                SIMPLE_AGENT / "rl_config.yaml",
                "--out",
                ws / "other",
            )
            and _retune(ws / "other")
        ),
        ["train", "--build", "{ws}/build", "--generated", "{ws}/other", "--out", "{ws}/training"],
        ["was built from other generated code", "build this --generated folder first"],
    ),
}


def _retune(generated) -> None:
    """The same behaviour with another step budget: a different codegen output the old build does not match."""
    manifest = json.loads((generated / "manifest.json").read_text())
    manifest["inputs_sha256"] = "f" * 64
    (generated / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize("case", CASES)
def test_the_command_line_reports_bad_paths_and_damaged_files_clearly(case, workspace):
    prepare, argv, fragments = CASES[case]
    if prepare:
        prepare(workspace)
    before = {p: p.read_bytes() for p in workspace.rglob("*") if p.is_file()}
    result = run_cli(
        *(str(arg).replace("{ws}", str(workspace)) for arg in argv),
        timeout=120,
        env={"MLOPS_BUILD_CACHE": str(workspace / "cache")},
    )
    assert_clear_error(result, *fragments)
    assert result.returncode == 2
    for path, content in before.items():
        assert path.read_bytes() == content, f"{path} changed"
    assert not (workspace / "eval" / "eval_metrics.json").exists()


def test_evaluate_reports_every_episode(workspace):
    from mlops_unity_pipeline.behavior import BehaviorSpec
    from tests.conftest import build_onnx_policy

    model = build_onnx_policy(BehaviorSpec.load(workspace / "generated"), workspace / "policy.onnx")
    result = run_cli(
        "evaluate",
        "--model",
        model,
        "--build",
        workspace / "build",
        "--generated",
        workspace / "generated",
        "--episodes",
        "3",
        "--out",
        workspace / "eval",
    )
    assert result.returncode == 0, result.stderr
    episodes = [line for line in result.stderr.splitlines() if line.startswith("episode ")]
    assert [line.split(":")[0] for line in episodes] == ["episode 1/3", "episode 2/3", "episode 3/3"]
    assert all("reward" in line and "decisions" in line for line in episodes)
