"""The champion command: the registry's champion policy into a folder that train and evaluate read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mlops_unity_pipeline.evaluate.champion_folder import load_champion
from mlops_unity_pipeline.registry import register_model

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("lasting", [True, False])
def test_the_champion_is_fetched_only_from_a_lasting_registry(tmp_path, make_run, lasting):
    """Without --registry or --vertex-project (a pipeline whose registry starts empty each run) there is none."""
    run = make_run("job-1", mean_reward=5.0)
    register_model(**run, registry_dir=tmp_path / "reg", out=tmp_path / "out")
    out = tmp_path / "champion"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mlops_unity_pipeline",
            "--executor-output",
            str(tmp_path / "executor.json"),
            "champion",
            "--out",
            str(out),
            "--model-name",
            "reacher",
            "--registry",
            str(tmp_path / "reg") if lasting else "",
        ],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    champion = load_champion(out)
    artifact = json.loads((tmp_path / "executor.json").read_text())["artifacts"]["champion"]["artifacts"][0]
    if lasting:
        assert champion.version == "1" and champion.path.read_bytes() == run["model"].read_bytes()
        assert artifact["metadata"] == {"version": "1"} and "reacher: champion version 1" in result.stdout
    else:
        assert champion is None and not (out / "model.onnx").exists()
        assert artifact["metadata"] == {"version": ""} and "no registry given: no champion" in result.stdout
