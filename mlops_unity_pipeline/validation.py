"""Validation of input documents against the JSON Schemas in ``schemas/``.

The schemas are the one source of truth for what an input may contain; this module loads
them, validates documents and turns every schema violation into a :class:`Problem` that names
the field (as a dotted JSON path), the value given and what would be allowed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from .errors import Problem, SpecValidationError

SCHEMA_SUFFIX = ".schema.json"


def schemas_dir() -> Path:
    """Where the project's JSON Schemas live (``schemas/`` beside the package)."""
    return Path(__file__).resolve().parent / "schemas"


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted(schemas_dir().glob(f"*{SCHEMA_SUFFIX}")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((path.name, Resource.from_contents(contents)))
    return Registry().with_resources(resources)


@cache
def validator_for(schema_name: str) -> Draft202012Validator:
    """A validator for ``schemas/<schema_name>.schema.json``, with cross-file ``$ref`` resolved."""
    registry = _registry()
    uri = f"{schema_name}{SCHEMA_SUFFIX}"
    schema = registry.contents(uri)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=registry)


def format_path(parts: Iterable[str | int]) -> str:
    """``["rl_config", "hyperparameters", 0]`` → ``rl_config.hyperparameters[0]``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, str) else json.dumps(value)


def _allowed_list(values: Sequence[Any]) -> str:
    return ", ".join(v if isinstance(v, str) else json.dumps(v) for v in values)


def _problem(error: ValidationError, prefix: Sequence[str | int]) -> Problem:
    path = [*prefix, *error.absolute_path]
    value = error.instance
    hint = error.schema.get("x-allowed") if isinstance(error.schema, dict) else None
    match error.validator:
        case "required":
            missing = error.message.split("'")[1]
            return Problem(format_path([*path, missing]), "is required")
        case "additionalProperties":
            allowed = sorted(error.schema.get("properties", {}))
            extra = sorted(set(value) - set(allowed))
            return Problem(
                format_path([*path, extra[0]]) if len(extra) == 1 else format_path(path),
                f"unknown field(s) {', '.join(map(repr, extra))}; allowed: {_allowed_list(allowed)}",
            )
        case "enum":
            return Problem(format_path(path), f"{_show(value)} is not one of {_allowed_list(error.validator_value)}")
        case "const":
            return Problem(format_path(path), f"{_show(value)} is not {_show(error.validator_value)}")
        case "type":
            return Problem(format_path(path), f"{_show(value)} is not of type {error.validator_value}")
        case "minimum" | "exclusiveMinimum" | "maximum" | "exclusiveMaximum":
            relation = {
                "minimum": ">=",
                "exclusiveMinimum": ">",
                "maximum": "<=",
                "exclusiveMaximum": "<",
            }[str(error.validator)]
            return Problem(format_path(path), f"{_show(value)} is not allowed; must be {relation} {error.validator_value}")
        case "oneOf" | "anyOf" if error.context:
            # Report the alternative that got furthest, as jsonschema's best_match would.
            deepest = max(error.context, key=lambda e: (len(e.absolute_path), -len(list(e.context or []))))
            return _problem(deepest, prefix)
    if hint:
        return Problem(format_path(path), f"{_show(value)} is not allowed; expected {hint}")
    return Problem(format_path(path), error.message)


def problems_from(validator: Draft202012Validator, document: Any, prefix: Sequence[str | int] = ()) -> list[Problem]:
    """Every problem with ``document`` under any compiled schema, in a stable order."""
    problems = {_problem(error, prefix) for error in validator.iter_errors(document)}
    return sorted(problems, key=lambda p: (p.path, p.message))


def problems_for(schema_name: str, document: Any, prefix: Sequence[str | int] = ()) -> list[Problem]:
    """Every problem with ``document`` under the named schema, in a stable order."""
    return problems_from(validator_for(schema_name), document, prefix)


def validate(schema_name: str, document: Any, source: str | None = None) -> None:
    """Raise :class:`SpecValidationError` listing every problem, or return quietly."""
    problems = problems_for(schema_name, document)
    if problems:
        raise SpecValidationError(problems, source=source)
