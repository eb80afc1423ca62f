"""The training pipeline's parameters: read from a file and flags, validated before anything is submitted.

``schemas/pipeline_parameters.schema.json`` says what each parameter may be; the asset specs
and the RL config are then checked by the spec types themselves (the checks a schema cannot
express), and normalised to complete dicts so that the pipeline sees every default spelled out.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, TypeVar

import yaml

from ..documents import read_document
from ..errors import Problem, SpecValidationError
from ..specs import RLTrainingConfig, TrainingSchedule, UnityAssetSpec
from ..validation import problems_for, validator_for

SCHEMA = "pipeline_parameters"

SpecT = TypeVar("SpecT", UnityAssetSpec, RLTrainingConfig)


def parameter_file(path: str | os.PathLike[str] | None) -> dict[str, Any]:
    """A parameters file's mapping, unvalidated (a TrainingSchedule adds the assets); ``{}`` without a file."""
    if path is None:
        return {}
    document = read_document(path)
    if not isinstance(document, dict):
        raise SpecValidationError([Problem("", "expected a mapping of parameter names to values")], source=str(path))
    return document


def load_parameters(path: str | os.PathLike[str] | None = None, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Parameters from a YAML/JSON file (if given), then ``overrides`` (flags) on top, validated."""
    values = parameter_file(path)
    source = str(path) if path is not None else "command-line parameters"
    values.update({key: value for key, value in (overrides or {}).items() if value is not None})
    return validate_parameters(values, source=source)


def validate_parameters(values: Mapping[str, Any], source: str | None = None) -> dict[str, Any]:
    """Raise :class:`SpecValidationError` listing every problem, or return the normalised parameters."""
    problems = problems_for(SCHEMA, dict(values))
    if problems:
        raise SpecValidationError(problems, source=source)
    problems = []
    assets = [_build(UnityAssetSpec, spec, f"asset_specs[{index}]", problems) for index, spec in enumerate(values["asset_specs"])]
    rl = _build(RLTrainingConfig, values.get("rl_config", {}), "rl_config", problems)
    seen: dict[str, int] = {}
    for index, asset in enumerate(assets):
        if asset is None:
            continue
        if asset.asset_id in seen:
            problems.append(
                Problem(
                    f"asset_specs[{index}].asset_id",
                    f"{asset.asset_id!r} is also asset_specs[{seen[asset.asset_id]}]'s; each asset of a run "
                    "needs its own id (it names the registered model)",
                )
            )
        seen.setdefault(asset.asset_id, index)
        if "." in asset.asset_id:
            problems.append(
                Problem(
                    f"asset_specs[{index}].asset_id",
                    f"{asset.asset_id!r} cannot name a registered model (<model_name>-<asset_id> allows letters, "
                    "digits, '_' and '-'); use e.g. " + repr(asset.asset_id.replace(".", "-")),
                )
            )
    if problems:
        raise SpecValidationError(problems, source=source)
    return {**values, "asset_specs": [asset.to_dict() for asset in assets if asset], "rl_config": rl.to_dict() if rl else {}}


def _build(spec_type: type[SpecT], data: dict[str, Any], where: str, problems: list[Problem]) -> SpecT | None:
    """Construct a spec (which runs its semantic checks), moving its problems under ``where``."""
    try:
        return spec_type(**data)
    except SpecValidationError as exc:
        problems.extend(Problem(f"{where}.{p.path}" if p.path else where, p.message) for p in exc.problems)
        return None


def schedule_parameters(schedule: TrainingSchedule, base: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The parameters of a seed ``TrainingSchedule``'s runs: its assets and RL config over ``base``."""
    values = {**(base or {}), "asset_specs": [spec.to_dict() for spec in schedule.asset_specs], "rl_config": schedule.rl_config.to_dict()}
    return validate_parameters(values, source=f"schedule {schedule.schedule_id}")


def parameters_from_flags(
    asset_spec_files: list[str] | None = None,
    rl_config_file: str | None = None,
    assignments: list[str] | None = None,
) -> dict[str, Any]:
    """Parameters given on a command line: asset-spec and RL-config files, and ``NAME=VALUE`` pairs.

    A value is read as YAML (``eval_episodes=50`` is a number), except for parameters the schema
    types as strings, which keep the text as given (``cpu_limit=8`` is ``"8"``).
    """
    properties = validator_for(SCHEMA).schema["properties"]
    values: dict[str, Any] = {}
    if asset_spec_files:
        values["asset_specs"] = [read_document(path) for path in asset_spec_files]
    if rl_config_file:
        values["rl_config"] = read_document(rl_config_file)
    for assignment in assignments or []:
        name, sep, text = assignment.partition("=")
        if not sep or not name:
            raise SpecValidationError([Problem("", f"{assignment!r} is not NAME=VALUE")], source="--param")
        name = name.strip()
        is_string = properties.get(name, {}).get("type") == "string"
        values[name] = text if is_string or not text.strip() else yaml.safe_load(text)
    return values
