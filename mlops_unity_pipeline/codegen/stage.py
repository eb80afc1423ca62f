"""Running the codegen stage: derive, render and write every output, deterministically.

Output layout (``out/``)::

    behavior.json            the BehaviorSpec every later stage reads
    trainer_config.yaml      mlagents-learn configuration
    unity/Assets/UnityMLOps/<Behavior>/Scripts/<Agent>.cs
    unity/Assets/UnityMLOps/<Behavior>/Editor/<Behavior>SceneBuilder.cs, <Behavior>BuildScript.cs
    manifest.json            sha256 of each file above and of the normalised inputs

Files are written atomically; files that a previous run wrote into ``unity/`` (as its manifest
lists them) and this run does not are removed, so the folder always matches its manifest.
Nothing else in ``out/`` is ever removed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..behavior import BEHAVIOR_FILE, BehaviorSpec
from ..behavior.derive import derive_behavior
from ..documents import dumps, write_document, write_text_atomic
from ..errors import OutputFolderError
from ..specs import RLTrainingConfig, UnityAssetSpec
from .csharp import BUILD_PATH_ARGUMENT, UnityLayout, render_csharp
from .manifest import MANIFEST_FILE, build_manifest
from .trainer_config import trainer_config

TRAINER_CONFIG_FILE = "trainer_config.yaml"
UNITY_DIR = "unity"


@dataclass(frozen=True)
class CodegenResult:
    """Where codegen wrote its outputs, and the manifest it wrote."""

    out_dir: Path
    behavior: BehaviorSpec
    manifest: dict

    @property
    def behavior_path(self) -> Path:
        return self.out_dir / BEHAVIOR_FILE

    @property
    def trainer_config_path(self) -> Path:
        return self.out_dir / TRAINER_CONFIG_FILE

    @property
    def manifest_path(self) -> Path:
        return self.out_dir / MANIFEST_FILE


def generate(asset: UnityAssetSpec, rl: RLTrainingConfig, out_dir: str | Path) -> CodegenResult:
    """Validate the inputs, then write every codegen output under ``out_dir``."""
    out_dir = Path(out_dir)
    behavior = derive_behavior(asset)
    config = trainer_config(behavior, rl)
    layout = UnityLayout(behavior.behavior_name)
    sources = {f"{UNITY_DIR}/{path}": text for path, text in render_csharp(behavior).items()}

    if out_dir.exists() and not out_dir.is_dir():
        raise OutputFolderError(f"{out_dir} is a file; --out must be a folder (a new one is made)")
    _remove_stale_sources(out_dir, set(sources))
    write_text_atomic(out_dir / BEHAVIOR_FILE, behavior.to_json())
    write_text_atomic(out_dir / TRAINER_CONFIG_FILE, dumps(config, TRAINER_CONFIG_FILE))
    for relative, text in sources.items():
        write_text_atomic(out_dir / relative, text)

    manifest = build_manifest(
        out_dir,
        [BEHAVIOR_FILE, TRAINER_CONFIG_FILE, *sources],
        asset,
        rl,
        {
            "behavior_name": behavior.behavior_name,
            "agent_class": behavior.agent_class,
            "observation_size": behavior.observation_size,
            "notes": list(behavior.notes),
            "unity": {
                "assets_dir": f"{UNITY_DIR}/{layout.assets_dir}",
                "execute_method": layout.execute_method,
                "build_path_argument": BUILD_PATH_ARGUMENT,
                "scene": str(layout.scene_path),
            },
            "train": {"fit_players_to_cores": rl.fit_players_to_cores},
        },
    )
    write_document(out_dir / MANIFEST_FILE, manifest)
    return CodegenResult(out_dir, behavior, manifest)


def _remove_stale_sources(out_dir: Path, keep: set[str]) -> None:
    """Delete the ``unity/`` files the previous manifest lists and this run does not write, then empty folders."""
    try:
        previous = json.loads((out_dir / MANIFEST_FILE).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return
    stale = [out_dir / name for name in previous
             if isinstance(name, str) and name.startswith(f"{UNITY_DIR}/") and ".." not in name and name not in keep]
    for path in stale:
        path.unlink(missing_ok=True)
        for folder in path.parents:
            if folder == out_dir or not folder.is_dir() or any(folder.iterdir()):
                break
            folder.rmdir()
