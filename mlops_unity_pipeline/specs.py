"""The seed's input types: what to train (``UnityAssetSpec``), how (``RLTrainingConfig``),
one unit of work (``TrainingJob``) and a recurring set of them (``TrainingSchedule``).

Field names and defaults are the seed guide's. Each type validates itself against its JSON
Schema in ``schemas/`` on construction, and loads from / dumps to JSON or YAML.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, ClassVar

from .behavior.actions import DEFAULT_ACTION_SPACE
from .behavior.observations import DEFAULT_OBSERVATION_SPACE
from .cron import CronSchedule, parse_cron
from .documents import read_document, write_document
from .errors import Problem, SpecValidationError
from .trainer_defaults import first_update_step
from .validation import format_path, problems_for, shared_definition, with_integers

#: The longest job_id (``$defs/id`` of schemas/common.schema.json); a schedule's job ids must fit.
MAX_JOB_ID_LENGTH: int = shared_definition("id")["maxLength"]

if TYPE_CHECKING:
    from typing_extensions import Self


class SpecModel:
    """Shared behaviour of the spec dataclasses: schema validation and (de)serialisation."""

    SCHEMA: ClassVar[str]
    #: Fields that hold other spec objects (or lists of them), and their type.
    NESTED: ClassVar[dict[str, type[SpecModel]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.__new__ = _checked_arguments  # type: ignore[method-assign]

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Raise :class:`SpecValidationError` with every problem, if there is any."""
        problems = self.problems()
        if problems:
            raise SpecValidationError(problems, source=type(self).__name__)

    def problems(self, prefix: tuple[str | int, ...] = ()) -> list[Problem]:
        """Schema problems plus the checks a schema cannot express."""
        return (
            self._nested_problems(prefix)
            or problems_for(self.SCHEMA, self.to_dict(), prefix)
            or self._semantic_problems(prefix)
        )

    def _nested_problems(self, prefix: tuple[str | int, ...]) -> list[Problem]:
        """A nested spec given as something else (a dict) would pass the schema and fail a stage later."""
        problems = []
        for name, kind in self.NESTED.items():
            value = getattr(self, name)
            items = enumerate(value) if isinstance(value, list) else [(None, value)]
            for index, item in items:
                if not isinstance(item, kind):
                    where = format_path([*prefix, name] + ([] if index is None else [index]))
                    problems.append(
                        Problem(
                            where,
                            f"a {type(item).__name__} is not a {kind.__name__}; pass "
                            f"{kind.__name__}(...), or build the whole document with "
                            f"{type(self).__name__}.from_dict",
                        )
                    )
        return problems

    def _semantic_problems(self, prefix: tuple[str | int, ...]) -> list[Problem]:
        return []

    def to_dict(self) -> dict[str, Any]:
        """A plain, JSON-ready dict; fields left at ``None`` are omitted."""
        result: dict[str, Any] = {}
        for spec_field in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, spec_field.name)
            if value is None:
                continue
            if isinstance(value, SpecModel):
                value = value.to_dict()
            elif isinstance(value, list):
                value = [item.to_dict() if isinstance(item, SpecModel) else item for item in value]
            elif isinstance(value, dict):
                value = dict(value)
            result[spec_field.name] = value
        return result

    @classmethod
    def from_dict(cls, data: Any, source: str | None = None) -> Self:
        """Validate ``data`` against the schema first, so every problem is reported at once.

        Integers that arrived as floats (``8.0``, from a KFP parameter) become integers again.
        """
        data = with_integers(cls.SCHEMA, data)
        problems = problems_for(cls.SCHEMA, data)
        if problems:
            raise SpecValidationError(problems, source=source)
        try:
            return cls._from_valid_dict(data)
        except SpecValidationError as exc:
            raise SpecValidationError(exc.problems, source=source) from None

    @classmethod
    def _from_valid_dict(cls, data: dict[str, Any]) -> Self:
        return cls(**data)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Self:
        """Load from a ``.json``, ``.yaml`` or ``.yml`` file."""
        return cls.from_dict(read_document(path), source=str(path))

    def dump(self, path: str | os.PathLike[str]) -> None:
        """Write as JSON or YAML, by the file's extension."""
        write_document(path, self.to_dict())


def _checked_arguments(cls: type[SpecModel], *args: Any, **kwargs: Any) -> SpecModel:
    """``__new__`` of the spec classes: unknown, missing or surplus arguments are a :class:`SpecValidationError`.

    Without it they would be a ``TypeError`` from the generated ``__init__``, not the error the
    API promises. (``copy`` and ``pickle`` call ``__new__`` without arguments; nothing is checked then.)
    """
    if args or kwargs:
        fields = [f for f in dataclasses.fields(cls) if f.init]  # type: ignore[arg-type]
        names = [f.name for f in fields]
        problems = []
        if len(args) > len(names):
            problems.append(
                Problem(
                    "", f"takes at most {len(names)} positional arguments ({', '.join(names)}); {len(args)} were given"
                )
            )
        given = set(names[: len(args)]) | set(kwargs)
        problems += [
            Problem(name, f"unknown field; allowed: {', '.join(names)}") for name in sorted(set(kwargs) - set(names))
        ]
        problems += [
            Problem(name, "is given twice (by position and by name)") for name in names[: len(args)] if name in kwargs
        ]
        problems += [
            Problem(f.name, "is required")
            for f in fields
            if f.name not in given and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        ]
        if problems:
            raise SpecValidationError(problems, source=cls.__name__)
    return object.__new__(cls)


def _nested(kind: type[SpecModel], data: dict[str, Any], *at: str | int) -> Any:
    """A nested spec from its (schema-valid) dict; its problems are reported at their place in the document."""
    try:
        return kind(**data)
    except SpecValidationError as exc:
        raise SpecValidationError(
            [Problem(format_path([*at, *([p.path] if p.path else [])]), p.message) for p in exc.problems]
        ) from None


@dataclass
class UnityAssetSpec(SpecModel):
    """A Unity agent to generate and train.

    ``observation_space`` maps known group names (raycast, velocity, position,
    target_direction) to sizes; ``action_space`` is ``{"type": "continuous", "size": 2}`` or
    ``{"type": "discrete", "branches": [3, 3]}``, with optional ``meanings`` (one per axis or branch;
    see :mod:`.behavior.actions`). When left out they default to
    :data:`DEFAULT_OBSERVATION_SPACE` and :data:`DEFAULT_ACTION_SPACE`. ``task`` overrides the
    task read from ``description``; ``max_episode_steps`` overrides the task's episode length.

    ``existing`` names a behaviour of a team's own Unity project instead of describing one:
    ``unity_project``, ``behavior_name``, ``trainer_config`` (the team's mlagents-learn config) and
    ``player`` (the built executable; both relative to the project unless absolute), and how to
    build: ``build_command`` (run by the shell in the project) or ``build_method`` (a static C#
    method the Unity Editor runs with ``-executeMethod``). Codegen is skipped for it, and the
    spaces and task fields above are not used: the player declares its own.
    """

    SCHEMA: ClassVar[str] = "asset_spec"

    asset_id: str
    name: str
    asset_type: str = "behavior"
    description: str = ""
    observation_space: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_OBSERVATION_SPACE))
    action_space: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_ACTION_SPACE))
    task: str | list[str] | None = None
    max_episode_steps: int | None = None
    tags: list[str] = field(default_factory=list)
    existing: dict[str, str] | None = None

    def _semantic_problems(self, prefix: tuple[str | int, ...]) -> list[Problem]:
        from .behavior.derive import derivation_problems

        return [
            Problem(format_path([*prefix, *problem.path.split(".")]), problem.message)
            for problem in derivation_problems(self)
        ]


@dataclass
class RLTrainingConfig(SpecModel):
    """How mlagents-learn trains an asset.

    ``hyperparameters`` and ``network_settings`` override the generated trainer config key by
    key (the schema lists the keys mlagents accepts for each algorithm). ``summary_freq`` and
    ``checkpoint_interval`` default to a twentieth and a fifth of ``max_steps``. ``num_areas``
    (training areas per player, ML-Agents' ``--num-areas``) defaults to 8, as ML-Agents' example
    scenes hold many areas: every exchange with a player then yields 8 agent steps, not one.
    With ``fit_players_to_cores`` (the default), the train stage starts no more players than the
    machine's cores serve and gives each more areas, keeping ``num_envs × num_areas`` agents
    (:mod:`.train.players`); ``false`` starts exactly ``num_envs`` players.
    With ``use_offline_rl``, behavioral cloning (``behavioral_cloning_strength``) bootstraps from
    the demonstrations; a GAIL reward signal is added only when ``gail_strength`` is above 0
    (on the generated tasks it slowed learning down; see docs/benchmarks.md).
    """

    SCHEMA: ClassVar[str] = "rl_config"

    algorithm: str = "PPO"
    max_steps: int = 500_000
    num_envs: int = 1
    num_areas: int = 8
    fit_players_to_cores: bool = True
    time_scale: float = 20.0
    seed: int = 0
    use_offline_rl: bool = False
    demonstrations_path: str | None = None
    behavioral_cloning_strength: float = 0.5
    gail_strength: float = 0.0
    gamma: float = 0.99
    time_horizon: int = 64
    summary_freq: int | None = None
    checkpoint_interval: int | None = None
    keep_checkpoints: int = 5
    hyperparameters: dict[str, Any] = field(default_factory=dict)
    network_settings: dict[str, Any] = field(default_factory=dict)

    def _semantic_problems(self, prefix: tuple[str | int, ...]) -> list[Problem]:
        problems = []
        first_update, setting = first_update_step(self.algorithm, self.hyperparameters)
        if self.max_steps < first_update:
            problems.append(
                Problem(
                    format_path([*prefix, "max_steps"]),
                    f"{self.max_steps} is too few: {self.algorithm} first updates the policy after {first_update} steps "
                    f"({setting}); give max_steps >= {first_update}, or lower {setting} in hyperparameters",
                )
            )
        if self.summary_freq is not None and self.summary_freq > self.max_steps:
            problems.append(
                Problem(
                    format_path([*prefix, "summary_freq"]),
                    f"{self.summary_freq} is more than max_steps {self.max_steps}: training would report nothing; "
                    f"give summary_freq <= max_steps",
                )
            )
        return problems


@dataclass
class TrainingJob(SpecModel):
    """One asset trained with one configuration; ``job_id`` names its run directory."""

    SCHEMA: ClassVar[str] = "training_job"
    NESTED: ClassVar[dict[str, type[SpecModel]]] = {"asset_spec": UnityAssetSpec, "rl_config": RLTrainingConfig}

    job_id: str
    asset_spec: UnityAssetSpec
    rl_config: RLTrainingConfig = field(default_factory=RLTrainingConfig)

    @classmethod
    def _from_valid_dict(cls, data: dict[str, Any]) -> Self:
        return cls(
            job_id=data["job_id"],
            asset_spec=_nested(UnityAssetSpec, data["asset_spec"], "asset_spec"),
            rl_config=_nested(RLTrainingConfig, data.get("rl_config", {}), "rl_config"),
        )


@dataclass
class TrainingSchedule(SpecModel):
    """Assets trained on a cron schedule (5 fields or a macro such as ``@daily``, evaluated in ``timezone``)."""

    SCHEMA: ClassVar[str] = "training_schedule"
    NESTED: ClassVar[dict[str, type[SpecModel]]] = {"asset_specs": UnityAssetSpec, "rl_config": RLTrainingConfig}

    schedule_id: str
    cron_expression: str
    asset_specs: list[UnityAssetSpec]
    rl_config: RLTrainingConfig = field(default_factory=RLTrainingConfig)
    timezone: str = "UTC"
    enabled: bool = True
    catch_up: bool = False

    @classmethod
    def _from_valid_dict(cls, data: dict[str, Any]) -> Self:
        fields = dict(data)
        fields["asset_specs"] = [
            _nested(UnityAssetSpec, spec, "asset_specs", index) for index, spec in enumerate(data["asset_specs"])
        ]
        fields["rl_config"] = _nested(RLTrainingConfig, data.get("rl_config", {}), "rl_config")
        return cls(**fields)

    def _semantic_problems(self, prefix: tuple[str | int, ...]) -> list[Problem]:
        try:
            parse_cron(self.cron_expression, self.timezone, at=prefix)
        except SpecValidationError as exc:
            return exc.problems
        problems = []
        for index, asset in enumerate(self.asset_specs):
            length = len(self.job_id(asset, datetime(2000, 1, 1, tzinfo=timezone.utc)))
            if length > MAX_JOB_ID_LENGTH:
                problems.append(
                    Problem(
                        format_path([*prefix, "asset_specs", index, "asset_id"]),
                        f"{asset.asset_id!r} with schedule_id {self.schedule_id!r} makes job ids "
                        f"(<schedule_id>-<asset_id>-<fire time>) of {length} characters; at most {MAX_JOB_ID_LENGTH} fit, "
                        "so shorten the two ids",
                    )
                )
        return problems

    def job_id(self, asset: UnityAssetSpec, fire_time: datetime) -> str:
        """The job id of one asset of one fire: ``<schedule_id>-<asset_id>-<UTC fire time>``."""
        return f"{self.schedule_id}-{asset.asset_id}-{fire_time.astimezone(timezone.utc).strftime('%Y%m%dT%H%MZ')}"

    def cron(self) -> CronSchedule:
        """The schedule's cron in the one grammar (:mod:`.cron`), read in its time zone."""
        return parse_cron(self.cron_expression, self.timezone)
