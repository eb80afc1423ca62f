"""Compiling every action's payload schema, all or nothing.

Each action names a JSON Schema file in the schemas directory; all ``*.json`` files there
form one registry, so a schema may ``$ref`` a shared one. Compilation fails closed: a missing
file, malformed JSON, a schema the 2020-12 meta-schema rejects, a payload that is not an
object, or a ``$ref`` that resolves nowhere is a :class:`BundleError`, and no validator at all
is returned. Each action also gets a self-contained copy of its schema (every ``$ref``
inlined) to publish as an MCP tool's ``inputSchema``, since a client cannot resolve our files.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from ..errors import BundleError, Problem
from ..validation import SchemaValidator
from .bundle import Bundle

#: Keys that only matter for resolving references, dropped once every reference is inlined.
_REFERENCE_ONLY_KEYS = ("$id", "$schema", "$defs", "definitions")


@dataclass(frozen=True)
class CompiledSchemas:
    """A validator and a self-contained input schema for every action of a bundle."""

    validators: Mapping[str, Draft202012Validator]
    input_schemas: Mapping[str, dict[str, Any]]


def compile_action_schemas(bundle: Bundle, schemas_dir: str | os.PathLike[str]) -> CompiledSchemas:
    """Compile the schema of every action in ``bundle``; raise :class:`BundleError` on any problem."""
    directory = Path(schemas_dir)
    if not directory.is_dir():
        raise BundleError([Problem("", "schemas directory does not exist")], source=str(directory))
    problems: list[Problem] = []
    documents: dict[str, Any] = {}
    for path in sorted(directory.glob("*.json")):
        try:
            documents[path.name] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append(Problem(path.name, f"not readable JSON: {exc}"))
    registry: Registry = Registry().with_resources(
        (name, Resource.from_contents(contents, default_specification=DRAFT202012))
        for name, contents in documents.items()
    )

    validators: dict[str, Draft202012Validator] = {}
    input_schemas: dict[str, dict[str, Any]] = {}
    for action in bundle.actions.values():
        where = f"{action.schema} (action {action.id})"
        if action.schema not in documents:
            if not any(p.path == action.schema for p in problems):
                problems.append(Problem(where, f"schema file not found in {directory}"))
            continue
        schema = documents[action.schema]
        try:
            SchemaValidator.check_schema(schema)
        except SchemaError as exc:
            problems.append(Problem(where, f"not a valid JSON Schema: {exc.message}"))
            continue
        if not isinstance(schema, dict) or schema.get("type") != "object":
            problems.append(Problem(where, 'a tool payload schema must declare "type": "object"'))
            continue
        try:
            inlined = _inline(schema, registry.resolver(base_uri=action.schema), ())
        except (Unresolvable, _RecursiveReference) as exc:
            problems.append(Problem(where, f"cannot resolve $ref: {exc}"))
            continue
        validators[action.id] = SchemaValidator(schema, registry=registry)
        input_schemas[action.id] = inlined
    if problems:
        raise BundleError(sorted(set(problems), key=lambda p: (p.path, p.message)), source=str(directory))
    return CompiledSchemas(validators=validators, input_schemas=input_schemas)


class _RecursiveReference(Exception):
    """A ``$ref`` cycle: no finite inline copy exists."""


def _inline(node: Any, resolver: Any, trail: tuple[int, ...]) -> Any:
    """``node`` with every ``$ref`` replaced by what it points to, resolved relative to ``resolver``."""
    if isinstance(node, list):
        return [_inline(item, resolver, trail) for item in node]
    if not isinstance(node, dict):
        return node
    rest = {
        key: _inline(value, resolver, trail)
        for key, value in node.items()
        if key != "$ref" and key not in _REFERENCE_ONLY_KEYS
    }
    if "$ref" not in node:
        return rest
    resolved = resolver.lookup(node["$ref"])
    target_id = id(resolved.contents)  # the registry hands out one object per schema location
    if target_id in trail:
        raise _RecursiveReference(f"{node['$ref']!r} refers back to itself")
    target = _inline(resolved.contents, resolved.resolver, (*trail, target_id))
    return {"allOf": [target], **rest} if rest else target
