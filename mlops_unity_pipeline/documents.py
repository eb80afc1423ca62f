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
#: More nodes than any spec, schedule or parameter file has, and few enough to walk in milliseconds.
MAX_YAML_NODES = 100_000


def read_document(path: str | os.PathLike[str]) -> Any:
    """Parse a JSON or YAML file; an unreadable or malformed file is a :class:`SpecValidationError`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecValidationError([Problem("", f"cannot read file: {exc.strerror}")], source=str(path)) from None
    try:
        if path.suffix.lower() in YAML_SUFFIXES:
            return load_yaml(text)
        return json.loads(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise SpecValidationError([Problem("", f"not valid {_format_name(path)}: {exc}")], source=str(path)) from None
    except RecursionError:
        raise SpecValidationError(
            [Problem("", f"not usable {_format_name(path)}: nested too deeply")], source=str(path)
        ) from None


class AliasLimitError(yaml.YAMLError):
    """A YAML document whose aliases expand to more nodes than any spec holds (a "billion laughs")."""


def load_yaml(text: str, max_nodes: int = MAX_YAML_NODES) -> Any:
    """``yaml.safe_load`` that refuses documents whose aliases expand past ``max_nodes`` nodes, or into themselves.

    PyYAML builds an alias as a reference, so a few hundred bytes of nested anchors load at once
    and explode only later, in whatever walks the result (validation, hashing, dumping).
    """
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _count_expanded(node, {}, set(), max_nodes)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _count_expanded(node: yaml.Node, sizes: dict[int, int], open_nodes: set[int], limit: int) -> int:
    """The number of nodes ``node`` stands for once every alias is expanded (memoised per node)."""
    if id(node) in sizes:
        return sizes[id(node)]
    if id(node) in open_nodes:
        raise AliasLimitError("an alias refers to a node that contains it; a spec cannot be recursive")
    open_nodes.add(id(node))
    children: list[yaml.Node] = []
    if isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    elif isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    total = 1
    for child in children:
        total += _count_expanded(child, sizes, open_nodes, limit)
        if total > limit:
            raise AliasLimitError(
                f"its aliases expand to more than {limit} nodes; write the document out without nested anchors"
            )
    open_nodes.discard(id(node))
    sizes[id(node)] = total
    return total


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
