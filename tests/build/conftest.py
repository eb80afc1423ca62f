"""Fixtures of the build-stage tests: a codegen output, a private build cache, a Unity project and a fake Editor.

The fake Unity Editor is the one stand-in for a proprietary binary in this suite: no Unity
Editor can be installed here. It records its command line, prints what a real Editor log
holds (including its command line, where a serial license's password appears), then behaves
as ``FAKE_UNITY`` says: succeed (write the player at ``-mlopsBuildPath``), exit with a code,
fail to compile, write nothing, or (``project_build``) write the player where a team's own
build method would, at ``FAKE_UNITY_PLAYER`` inside the project.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli

REPO_ROOT = Path(__file__).resolve().parents[2]
SIMPLE_AGENT = REPO_ROOT / "examples" / "simple_agent"


@pytest.fixture(scope="session")
def cli():
    """Run ``python -m mlops_unity_pipeline`` in a subprocess."""
    return run_cli


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    """The seed's SimpleAgent through the codegen stage."""
    out = tmp_path_factory.mktemp("generated")
    result = run_cli(
        "codegen",
        "--asset-spec",
        str(SIMPLE_AGENT / "asset_spec.yaml"),
        "--rl-config",
        str(SIMPLE_AGENT / "rl_config.yaml"),
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(autouse=True)
def build_cache(tmp_path, monkeypatch) -> Path:
    """Each test gets its own build cache, and no Unity configuration from the machine."""
    cache = tmp_path / "build-cache"
    monkeypatch.setenv("MLOPS_BUILD_CACHE", str(cache))
    for name in (
        "UNITY_BUILD_COMMAND",
        "UNITY_EDITOR_PATH",
        "UNITY_PROJECT_PATH",
        "UNITY_LICENSE",
        "UNITY_SERIAL",
        "UNITY_EMAIL",
        "UNITY_PASSWORD",
    ):
        monkeypatch.delenv(name, raising=False)
    return cache


FAKE_EDITOR = """#!{python}
import json, os, sys
from pathlib import Path
args = sys.argv[1:]
record = Path(os.environ["FAKE_UNITY_RECORD"])
calls = json.loads(record.read_text()) if record.exists() else []
project = Path(os.environ["MLOPS_UNITY_PROJECT"])
scripts = sorted(str(p.relative_to(project)) for p in (project / "Assets" / "UnityMLOps").rglob("*.cs"))
record.write_text(json.dumps(calls + [{{"argv": sys.argv, "env": {{k: v for k, v in os.environ.items() if k.startswith("MLOPS_")}},
                                        "scripts": scripts}}]))
print("[Licensing::Module] Channel doesn't exist: LicenseClient")
print("COMMAND LINE ARGUMENTS:")
for arg in sys.argv:
    print(arg)
for line in os.environ.get("UNITY_LICENSE", "").splitlines():
    print("license line:", line)
mode = os.environ.get("FAKE_UNITY", "succeed")
if mode == "compile_error":
    print("Assets/UnityMLOps/SimpleAgent/Scripts/SimpleAgent.cs(12,5): error CS0246: The type or namespace name 'Agent' could not be found")
    print("Scripts have compiler errors.")
    sys.exit(1)
if mode.startswith("exit:"):
    print("Error building Player: 3 errors")
    print("unity-mlops build Failed: " + args[args.index("-mlopsBuildPath") + 1])
    sys.exit(int(mode.split(":")[1]))
if mode == "no_output":
    sys.exit(0)
if mode == "project_build":  # a team's own build method writes its player where its build script says
    path = project / os.environ["FAKE_UNITY_PLAYER"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("player")
    path.chmod(0o755)
    (path.parent / (path.stem + "_Data")).mkdir(exist_ok=True)
    print("Build Finished, Result: Success.")
    sys.exit(0)
path = Path(args[args.index("-mlopsBuildPath") + 1])
path.parent.mkdir(parents=True, exist_ok=True)
path.write_text("player")
(path.parent / (path.stem + "_Data")).mkdir(exist_ok=True)
print("Build Finished, Result: Success.")
"""


@pytest.fixture
def editor(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "fake-unity-editor"
    path.write_text(FAKE_EDITOR.format(python=sys.executable))
    path.chmod(0o755)
    monkeypatch.setenv("FAKE_UNITY_RECORD", str(tmp_path / "calls.json"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    return path


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "UnityProject"
    (root / "Assets" / "Scenes").mkdir(parents=True)
    (root / "Assets" / "Scenes" / "Main.unity").write_text("scene")
    (root / "ProjectSettings").mkdir()
    (root / "ProjectSettings" / "ProjectVersion.txt").write_text("m_EditorVersion: 2022.3.40f1\n")
    (root / "Packages").mkdir()
    (root / "Packages" / "manifest.json").write_text('{"dependencies": {"com.unity.ml-agents": "3.0.0"}}')
    return root
