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

from ..documents import load_yaml, read_document
from ..errors import Problem, SpecValidationError
from ..specs import RLTrainingConfig, TrainingSchedule, UnityAssetSpec
from ..validation import problems_for, validator_for
from .vertex_machines import machine_problem

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


def load_parameters(
    path: str | os.PathLike[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    platform: Mapping[str, Any] | None = None,
    target: str | None = None,
    defaults: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Parameters from the platform (``platform``: where it registers), then a YAML/JSON file (if
    given), then ``overrides`` (flags) on top, validated for ``target`` (see :func:`validate_parameters`)."""
    values = {**(platform or {}), **parameter_file(path)}
    flags = {key: value for key, value in (overrides or {}).items() if value is not None}
    sources = ([str(path)] if path is not None else []) + (["command-line parameters"] if flags or path is None else [])
    source = " and ".join(sources)
    values.update(flags)
    return validate_parameters(values, source=source, target=target, defaults=defaults)


def validate_parameters(
    values: Mapping[str, Any],
    source: str | None = None,
    *,
    target: str | None = None,
    defaults: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Raise :class:`SpecValidationError` listing every problem, or return the normalised parameters.

    With a compile ``target``, the settings a run of that target would fail on are checked too,
    against the pipeline's ``defaults`` where ``values`` leave a parameter out.
    """
    problems = problems_for(SCHEMA, dict(values))
    if problems:
        raise SpecValidationError(problems, source=source)
    problems = run_problems({**(defaults or {}), **values}, target)
    assets = [
        _build(UnityAssetSpec, spec, f"asset_specs[{index}]", problems)
        for index, spec in enumerate(values["asset_specs"])
    ]
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
    return {
        **values,
        "asset_specs": [asset.to_dict() for asset in assets if asset],
        "rl_config": rl.to_dict() if rl else {},
    }


def run_problems(values: Mapping[str, Any], target: str | None) -> list[Problem]:
    """What a run with these (schema-valid) parameters would fail on, found before it is submitted."""
    problems = []
    if values.get("build_backend") == "unity" and not values.get("unity_project_uri"):
        problems.append(
            Problem(
                "unity_project_uri",
                "build_backend is 'unity' but no Unity project is given; set unity_project_uri to the project "
                "(a gs:// URI on Vertex AI), or use build_backend 'auto' or 'standin' to train against the stand-in player",
            )
        )
    if target == "vertex":
        problem = machine_problem(
            str(values.get("machine_type", "")),
            str(values.get("accelerator_type", "")),
            int(values.get("accelerator_count", 0)),
        )
        if problem:
            problems.append(Problem("machine_type", problem))
    return problems


def _build(spec_type: type[SpecT], data: dict[str, Any], where: str, problems: list[Problem]) -> SpecT | None:
    """Construct a spec (which runs its semantic checks), moving its problems under ``where``."""
    try:
        return spec_type(**data)
    except SpecValidationError as exc:
        problems.extend(Problem(f"{where}.{p.path}" if p.path else where, p.message) for p in exc.problems)
        return None


def schedule_parameters(
    schedule: TrainingSchedule,
    base: Mapping[str, Any] | None = None,
    *,
    target: str | None = None,
    defaults: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The parameters of a seed ``TrainingSchedule``'s runs: its assets and RL config over ``base``."""
    values = {
        **(base or {}),
        "asset_specs": [spec.to_dict() for spec in schedule.asset_specs],
        "rl_config": schedule.rl_config.to_dict(),
    }
    return validate_parameters(values, source=f"schedule {schedule.schedule_id}", target=target, defaults=defaults)


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
        try:
            values[name] = text if is_string or not text.strip() else load_yaml(text)
        except yaml.YAMLError as exc:
            raise SpecValidationError(
                [Problem(name, f"{text!r} is not a YAML value: {exc}")], source="--param"
            ) from None
    return values
