"""Validation of input documents against the JSON Schemas in ``schemas/``.

The schemas are the one source of truth for what an input may contain; this module loads
them, validates documents and turns every schema violation into a :class:`Problem` that names
the field (as a dotted JSON path), the value given and what would be allowed.
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from .errors import Problem

SCHEMA_SUFFIX = ".schema.json"
#: The schema of the rules several schemas and the library share (``$defs``).
COMMON_SCHEMA = "common"


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


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """``pattern`` as JSON Schema (ECMA-262) means it: ``$`` is the end of the text, never before a last newline.

    Python's ``$`` also matches before a trailing ``"\\n"``, which let ``"job-1\\n"`` pass as an id.
    """
    if not validator.is_type(instance, "string"):
        return
    compiled = pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith("\\$") else pattern
    if not re.search(compiled, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


#: Draft 2020-12 with ECMA-262 anchors in ``pattern``; every project schema is checked with it.
SchemaValidator = validators.extend(Draft202012Validator, validators={"pattern": _ecma_pattern})


@cache
def validator_for(schema_name: str) -> Draft202012Validator:
    """A validator for ``schemas/<schema_name>.schema.json``, with cross-file ``$ref`` resolved."""
    registry = _registry()
    uri = f"{schema_name}{SCHEMA_SUFFIX}"
    schema = registry.contents(uri)
    SchemaValidator.check_schema(schema)
    return SchemaValidator(schema, registry=registry)


def shared_definition(name: str) -> dict[str, Any]:
    """``$defs/<name>`` of ``common.schema.json``: a rule written once for every schema and the library."""
    return _registry().contents(f"{COMMON_SCHEMA}{SCHEMA_SUFFIX}")["$defs"][name]


@cache
def _definition_validator(name: str) -> Draft202012Validator:
    return SchemaValidator({"$ref": f"{COMMON_SCHEMA}{SCHEMA_SUFFIX}#/$defs/{name}"}, registry=_registry())


def meets_definition(name: str, value: Any) -> bool:
    """True when ``value`` meets ``$defs/<name>`` of ``common.schema.json`` (an id, for ``"id"``)."""
    return _definition_validator(name).is_valid(value)


#: A validator for which ``8.0`` is not a number, to find the places where a float is meant.
_FloatsOnly = validators.extend(
    SchemaValidator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine(
        "number", lambda _, v: isinstance(v, int | float) and not isinstance(v, bool) and not _integral_float(v)
    ),
)


def with_integers(schema_name: str, document: Any) -> Any:
    """``document`` with each integral float made an ``int``, except where the schema types a number.

    A document that went through protobuf's ``Struct`` (every dict or list parameter of a KFP
    pipeline) carries all numbers as doubles, so ``8`` arrives as ``8.0``. JSON Schema accepts
    that as an integer (and as an enum's ``8``), but the stages would write ``8.0`` into sizes and
    configs. Places typed ``number`` (``time_scale: 20.0``) keep their float.
    """
    floats = _FloatsOnly(validator_for(schema_name).schema, registry=_registry())
    numbers = {
        tuple(error.absolute_path)
        for error in _flat(floats.iter_errors(document))
        if error.validator == "type" and _integral_float(error.instance)
    }
    paths = [path for path in _integral_float_paths(document, ()) if path not in numbers]
    if not paths:
        return document
    restored = copy.deepcopy(document)
    for *parents, last in paths:
        container = restored
        for part in parents:
            container = container[part]
        container[last] = int(container[last])
    return restored


def _integral_float(value: Any) -> bool:
    return isinstance(value, float) and value.is_integer()


def _integral_float_paths(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if _integral_float(item):
            yield (*path, key)
        else:
            yield from _integral_float_paths(item, (*path, key))


def _flat(errors: Iterable[ValidationError]) -> Iterator[ValidationError]:
    for error in errors:
        yield error
        yield from _flat(error.context or [])


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
            return Problem(
                format_path(path), f"{_show(value)} is not allowed; must be {relation} {error.validator_value}"
            )
        case "oneOf" | "anyOf" if error.context:
            # Report the alternative that got furthest, as jsonschema's best_match would.
            deepest = max(error.context, key=lambda e: (len(e.absolute_path), -len(list(e.context or []))))
            return _problem(deepest, prefix)
    if hint:
        return Problem(format_path(path), f"{_show(value)} is not allowed; expected {hint}")
    return Problem(format_path(path), error.message)


def problems_from(validator: Draft202012Validator, document: Any, prefix: Sequence[str | int] = ()) -> list[Problem]:
    """Every problem with ``document`` under any compiled schema, in a stable order.

    Numbers must be finite wherever they are: NaN and infinity pass every ``minimum`` and
    ``maximum`` (comparisons with NaN are false) and would reach configs and players.
    """
    problems = {_problem(error, prefix) for error in validator.iter_errors(document)}
    problems |= {
        Problem(format_path([*prefix, *path]), f"{value!r} is not allowed; numbers must be finite")
        for path, value in _non_finite_numbers(document, ())
    }
    return sorted(problems, key=lambda p: (p.path, p.message))


def _non_finite_numbers(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], float]]:
    if isinstance(value, float) and not math.isfinite(value):
        yield path, value
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        yield from _non_finite_numbers(item, (*path, key))


def problems_for(schema_name: str, document: Any, prefix: Sequence[str | int] = ()) -> list[Problem]:
    """Every problem with ``document`` under the named schema, in a stable order."""
    return problems_from(validator_for(schema_name), document, prefix)
