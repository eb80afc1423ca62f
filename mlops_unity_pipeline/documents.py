"""Reading and writing JSON/YAML documents, chosen by file extension.

Writes are deterministic (stable key order, fixed formatting) and atomic, so a document is
either the old one or the new one, never half of each.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, SpecValidationError

YAML_SUFFIXES = (".yaml", ".yml")


def read_document(path: str | os.PathLike[str]) -> Any:
    """Parse a JSON or YAML file; an unreadable or malformed file is a :class:`SpecValidationError`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecValidationError([Problem("", f"cannot read file: {exc.strerror}")], source=str(path)) from None
    try:
        if path.suffix.lower() in YAML_SUFFIXES:
            return yaml.safe_load(text)
        return json.loads(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise SpecValidationError([Problem("", f"not valid {_format_name(path)}: {exc}")], source=str(path)) from None


def dumps(data: Any, path: str | os.PathLike[str]) -> str:
    """The deterministic text of ``data`` in the format that ``path``'s extension names."""
    if Path(path).suffix.lower() in YAML_SUFFIXES:
        return yaml.safe_dump(data, sort_keys=False, default_flow_style=False, allow_unicode=False, width=100)
    return json.dumps(data, indent=2, ensure_ascii=True) + "\n"


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Replace ``path`` with ``text`` in one rename, so readers never see a partial file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_document(path: str | os.PathLike[str], data: Any) -> None:
    """Write ``data`` as JSON or YAML (by extension), atomically."""
    write_text_atomic(path, dumps(data, path))


def _format_name(path: Path) -> str:
    return "YAML" if path.suffix.lower() in YAML_SUFFIXES else "JSON"
