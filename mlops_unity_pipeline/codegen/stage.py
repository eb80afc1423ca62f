"""Running the codegen stage: derive, render and write every output, deterministically.

Output layout (``out/``)::

    behavior.json            the BehaviorSpec every later stage reads
    trainer_config.yaml      mlagents-learn configuration
    unity/Assets/UnityMLOps/<Behavior>/Scripts/<Agent>.cs
    unity/Assets/UnityMLOps/<Behavior>/Editor/<Behavior>SceneBuilder.cs, <Behavior>BuildScript.cs
    manifest.json            sha256 of each file above and of the normalised inputs

Files are written atomically; files that a previous run wrote into ``unity/`` and this run
does not are removed, so the folder always matches its manifest.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from ..behavior import BEHAVIOR_FILE, BehaviorSpec
from ..behavior.derive import derive_behavior
from ..documents import dumps, write_document, write_text_atomic
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

    shutil.rmtree(out_dir / UNITY_DIR, ignore_errors=True)
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
        },
    )
    write_document(out_dir / MANIFEST_FILE, manifest)
    return CodegenResult(out_dir, behavior, manifest)
