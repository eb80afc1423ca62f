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

from ..behavior import BehaviorSpec
from ..behavior.derive import derive_behavior
from ..documents import dumps, write_document, write_text_atomic
from ..errors import OutputFolderError
from ..layouts import CodegenLayout
from ..specs import RLTrainingConfig, UnityAssetSpec
from .csharp import BUILD_PATH_ARGUMENT, UnityLayout, render_csharp
from .manifest import build_manifest
from .trainer_config import trainer_config


@dataclass(frozen=True)
class CodegenResult:
    """Where codegen wrote its outputs, and the manifest it wrote."""

    out_dir: Path
    behavior: BehaviorSpec
    manifest: dict

    @property
    def layout(self) -> CodegenLayout:
        return CodegenLayout(self.out_dir)

    @property
    def behavior_path(self) -> Path:
        return self.layout.behavior_path

    @property
    def trainer_config_path(self) -> Path:
        return self.layout.trainer_config_path

    @property
    def manifest_path(self) -> Path:
        return self.layout.manifest_path


def generate(asset: UnityAssetSpec, rl: RLTrainingConfig, out_dir: str | Path) -> CodegenResult:
    """Validate the inputs, then write every codegen output under ``out_dir``."""
    out_dir = Path(out_dir)
    out = CodegenLayout(out_dir)
    behavior = derive_behavior(asset)
    config = trainer_config(behavior, rl)
    layout = UnityLayout(behavior.behavior_name)
    sources = {f"{out.UNITY}/{path}": text for path, text in render_csharp(behavior).items()}

    if out_dir.exists() and not out_dir.is_dir():
        raise OutputFolderError(f"{out_dir} is a file; --out must be a folder (a new one is made)")
    _remove_stale_sources(out, set(sources))
    write_text_atomic(out.behavior_path, behavior.to_json())
    write_text_atomic(out.trainer_config_path, dumps(config, out.trainer_config_path))
    for relative, text in sources.items():
        write_text_atomic(out_dir / relative, text)

    manifest = build_manifest(
        out_dir,
        [out.BEHAVIOR, out.TRAINER_CONFIG, *sources],
        asset,
        rl,
        {
            "behavior_name": behavior.behavior_name,
            "agent_class": behavior.agent_class,
            "observation_size": behavior.observation_size,
            "notes": list(behavior.notes),
            "unity": {
                "assets_dir": f"{out.UNITY}/{layout.assets_dir}",
                "execute_method": layout.execute_method,
                "build_path_argument": BUILD_PATH_ARGUMENT,
                "scene": str(layout.scene_path),
            },
            "train": {"fit_players_to_cores": rl.fit_players_to_cores},
        },
    )
    write_document(out.manifest_path, manifest)
    return CodegenResult(out_dir, behavior, manifest)


def _remove_stale_sources(out: CodegenLayout, keep: set[str]) -> None:
    """Delete the ``unity/`` files the previous manifest lists and this run does not write, then empty folders."""
    try:
        previous = json.loads(out.manifest_path.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return
    out_dir = out.root
    stale = [
        out_dir / name
        for name in previous
        if isinstance(name, str) and name.startswith(f"{out.UNITY}/") and ".." not in name and name not in keep
    ]
    for path in stale:
        path.unlink(missing_ok=True)
        for folder in path.parents:
            if folder == out_dir or not folder.is_dir() or any(folder.iterdir()):
                break
            folder.rmdir()
