"""The codegen output folder the build stage starts from, read and checked once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import GeneratedOutputError
from ..layouts import CodegenLayout


@dataclass(frozen=True)
class GeneratedOutput(CodegenLayout):
    """A codegen folder's layout with what later stages need from its ``manifest.json``."""

    behavior_name: str
    inputs_sha256: str
    files: dict[str, str]
    unity: dict[str, Any]
    #: Whether the train stage may run fewer players with more areas each (:mod:`..train.players`).
    fit_players_to_cores: bool = True

    def unity_field(self, key: str) -> str:
        value = self.unity.get(key)
        if not isinstance(value, str) or not value:
            raise GeneratedOutputError(f"{self.manifest_path}: unity.{key} is missing; regenerate with codegen")
        return value

    @classmethod
    def load(cls, root: str | Path) -> GeneratedOutput:
        layout = CodegenLayout(Path(root))
        root, manifest_path = layout.root, layout.manifest_path
        if not manifest_path.is_file():
            raise GeneratedOutputError(
                f"{manifest_path} does not exist; --generated must be the --out folder of "
                "'python -m mlops_unity_pipeline codegen'"
            )
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise GeneratedOutputError(f"{manifest_path} is not valid JSON: {exc}") from None
        missing = [key for key in ("inputs_sha256", "behavior_name", "files") if key not in manifest]
        if missing:
            raise GeneratedOutputError(f"{manifest_path}: missing {', '.join(missing)}; regenerate with codegen")
        absent = [name for name in manifest["files"] if not (root / name).is_file()]
        if absent:
            raise GeneratedOutputError(f"{root}: files listed in {cls.MANIFEST} are missing: {', '.join(absent)}")
        if not layout.behavior_path.is_file():
            raise GeneratedOutputError(f"{layout.behavior_path} does not exist; regenerate with codegen")
        return cls(
            root=root,
            behavior_name=str(manifest["behavior_name"]),
            inputs_sha256=str(manifest["inputs_sha256"]),
            files=dict(manifest["files"]),
            unity=dict(manifest.get("unity") or {}),
            fit_players_to_cores=(manifest.get("train") or {}).get("fit_players_to_cores") is not False,
        )
