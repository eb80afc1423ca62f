"""``manifest.json``: what codegen wrote, the hash of every file and of the normalised inputs.

Later stages use ``inputs_sha256`` as their cache key (the same asset spec and RL config give
the same key, whatever the input files' formatting) and ``unity`` to know how to build.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from .. import __version__
from ..specs import RLTrainingConfig, UnityAssetSpec


def canonical_json(data: Any) -> bytes:
    """Key-sorted, whitespace-free JSON: equal data gives equal bytes."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def inputs_sha256(asset: UnityAssetSpec, rl: RLTrainingConfig) -> str:
    """The cache key of a codegen run: normalised inputs plus the generator's version."""
    return sha256_bytes(
        canonical_json({"generator": __version__, "asset_spec": asset.to_dict(), "rl_config": rl.to_dict()})
    )


def build_manifest(
    out_dir: Path, files: list[str], asset: UnityAssetSpec, rl: RLTrainingConfig, extra: dict[str, Any]
) -> dict[str, Any]:
    """The manifest document for files already written under ``out_dir``."""
    return {
        "generator": f"unity-mlops {__version__}",
        "inputs_sha256": inputs_sha256(asset, rl),
        **extra,
        "files": {name: sha256_file(out_dir / name) for name in sorted(files)},
    }
