"""``BehaviorSpec``: the single, complete description of one ML-Agents behaviour.

Derived once from an asset spec and saved as ``behavior.json``; the C# generator, the
trainer-config generator, the stand-in player and evaluation all read it, and none of them
re-derives a size or a constant on its own. This module only holds the data and its
(de)serialisation, with no dependency beyond the standard library, so the stand-in player can
load it inside the trainer environment.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BehaviorFileError

FORMAT_VERSION = 1
BEHAVIOR_FILE = "behavior.json"


@dataclass(frozen=True)
class ObservationGroup:
    """A contiguous slice of the vector observation, in the order the Agent adds it."""

    name: str
    size: int
    meaning: str
    source: str  # "declared" in the asset spec, or "added" because the task needs it


@dataclass(frozen=True)
class ActionSpace:
    """Continuous size and discrete branches, as ML-Agents' ``ActionSpec`` holds them, and what each does.

    ``meanings`` has one entry per continuous axis or discrete branch, from the vocabulary of
    :mod:`.actions`; ``meaning`` says in one sentence what the values do.
    """

    continuous_size: int
    discrete_branches: tuple[int, ...]
    meanings: tuple[str, ...]
    meaning: str

    @property
    def is_discrete(self) -> bool:
        return bool(self.discrete_branches)


@dataclass(frozen=True)
class RewardTerm:
    """One reward the Agent gives: when, how much, and whether it ends the episode."""

    name: str
    value: float
    when: str
    ends_episode: bool = False
    success: bool = False


@dataclass(frozen=True)
class World:
    """Geometry and kinematics shared by the Unity scene and the stand-in player.

    Agents move kinematically (position += action × speed × decision_dt per decision) and hit
    only spheres and the arena's walls, so both worlds compute exactly the same thing.
    """

    arena_half_size: float
    agent_radius: float
    move_speed: float
    sprint_multiplier: float
    decision_dt: float
    ray_length: float
    goal_radius: float
    obstacle_count: int
    obstacle_radius: float
    obstacle_speed: float
    waypoint_count: int
    waypoint_inset: float
    item_count: int
    spawn_separation: float
    goal_clearance: float
    spawn_attempts: int
    #: Degrees per second at turn level 1; only agents that turn have it (None otherwise).
    turn_speed: float | None = None


@dataclass(frozen=True)
class BehaviorSpec:
    """Everything downstream needs to know about a behaviour; see the module docstring."""

    behavior_name: str
    agent_class: str
    asset_id: str
    description: str
    tasks: tuple[str, ...]
    observations: tuple[ObservationGroup, ...]
    actions: ActionSpace
    rewards: tuple[RewardTerm, ...]
    max_episode_steps: int
    world: World
    format_version: int = FORMAT_VERSION
    notes: tuple[str, ...] = field(default=())

    @property
    def observation_size(self) -> int:
        """The length of the vector observation (BehaviorParameters' VectorObservationSize)."""
        return sum(group.size for group in self.observations)

    def observation_offsets(self) -> dict[str, slice]:
        """Where each group sits inside the vector observation."""
        offsets, start = {}, 0
        for group in self.observations:
            offsets[group.name] = slice(start, start + group.size)
            start += group.size
        return offsets

    def reward(self, name: str) -> RewardTerm | None:
        return next((term for term in self.rewards if term.name == name), None)

    @property
    def goal_task(self) -> str | None:
        """The task with a goal to move to (reach, patrol or collect), if any."""
        return next((task for task in self.tasks if task != "avoid"), None)

    @property
    def success_at_max_step(self) -> bool:
        """Whether an episode that lasts until max_episode_steps succeeded: only when survival is the goal."""
        return self.goal_task is None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["world"] = {name: value for name, value in data["world"].items() if value is not None}
        data["observation_size"] = self.observation_size
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=True) + "\n"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BehaviorSpec:
        """The spec a ``behavior.json`` document holds; a :class:`BehaviorFileError` names the first field
        that is missing, unknown or of the wrong kind, and what would be right."""
        fields = dict(_fields_of(cls, data, "", extra=("observation_size",)))
        fields.pop("observation_size", None)
        if fields.get("format_version") != FORMAT_VERSION:
            raise BehaviorFileError(
                f"format_version: {fields.get('format_version')!r} is not allowed; this version "
                f"of the codegen stage writes and reads {FORMAT_VERSION} only"
            )
        actions = dict(_fields_of(ActionSpace, fields["actions"], "actions", optional=("meanings",)))
        actions["discrete_branches"] = tuple(_list_of(actions["discrete_branches"], "actions.discrete_branches"))
        from .actions import action_layout, default_meanings

        if "meanings" in actions:
            actions["meanings"] = tuple(_list_of(actions["meanings"], "actions.meanings"))
        else:  # written before actions had meanings: the defaults were the only layouts then
            actions["meanings"] = default_meanings(actions["continuous_size"], actions["discrete_branches"])
        try:
            action_layout(actions["continuous_size"], actions["discrete_branches"], actions["meanings"])
        except (ValueError, TypeError) as exc:
            raise BehaviorFileError(f"actions: {exc}") from None
        world = _fields_of(World, fields["world"], "world")
        unset = {f.name for f in dataclasses.fields(World) if f.default is None}
        for name, value in world.items():
            if not (value is None and name in unset) and (
                not isinstance(value, int | float) or isinstance(value, bool)
            ):
                raise BehaviorFileError(f"world.{name}: {value!r} is not allowed; give a number")
        return cls(
            **{
                **fields,
                "tasks": tuple(_list_of(fields["tasks"], "tasks")),
                "observations": tuple(
                    ObservationGroup(**_fields_of(ObservationGroup, group, f"observations[{index}]"))
                    for index, group in enumerate(_list_of(fields["observations"], "observations"))
                ),
                "actions": ActionSpace(**actions),
                "rewards": tuple(
                    RewardTerm(**_fields_of(RewardTerm, term, f"rewards[{index}]"))
                    for index, term in enumerate(_list_of(fields["rewards"], "rewards"))
                ),
                "world": World(**world),
                "notes": tuple(_list_of(fields.get("notes", []), "notes")),
            }
        )

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> BehaviorSpec:
        """Load ``behavior.json`` from a file or from the codegen output folder holding it."""
        path = Path(path)
        if path.is_dir():
            path = path / BEHAVIOR_FILE
        if not path.is_file():
            raise BehaviorFileError(
                f"{path} does not exist; give the codegen stage's output folder (it holds {BEHAVIOR_FILE})"
            )
        try:
            return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (BehaviorFileError, ValueError, KeyError, TypeError, AttributeError) as exc:
            detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            raise BehaviorFileError(
                f"{path} is not a usable BehaviorSpec ({detail}); regenerate it with codegen"
            ) from None


def _fields_of(
    kind: type, document: Any, where: str, optional: tuple[str, ...] = (), extra: tuple[str, ...] = ()
) -> dict[str, Any]:
    """``document`` as the fields of the dataclass ``kind``, which it must all hold (those with a default,
    and ``optional`` ones, may be left out; ``extra`` ones are allowed besides)."""
    prefix = f"{where}." if where else ""
    names = [f.name for f in dataclasses.fields(kind)]
    if not isinstance(document, dict):
        raise BehaviorFileError(
            f"{where or 'the document'}: {document!r} is not allowed; give an object with the fields {', '.join(names)}"
        )
    unknown = sorted(set(document) - set(names) - set(extra))
    if unknown:
        raise BehaviorFileError(f"{prefix}{unknown[0]}: unknown field; allowed: {', '.join(names)}")
    missing = [
        f.name
        for f in dataclasses.fields(kind)
        if f.name not in document
        and f.name not in optional
        and f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
    ]
    if missing:
        raise BehaviorFileError(f"{prefix}{missing[0]} is required")
    return document


def _list_of(value: Any, where: str) -> list[Any] | tuple[Any, ...]:
    """``value``, a list in JSON (or a tuple, as :meth:`BehaviorSpec.to_dict` leaves it)."""
    if not isinstance(value, list | tuple):
        raise BehaviorFileError(f"{where}: {value!r} is not allowed; give a list")
    return value
