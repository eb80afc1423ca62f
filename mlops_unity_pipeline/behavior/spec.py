"""``BehaviorSpec``: the single, complete description of one ML-Agents behaviour.

Derived once from an asset spec and saved as ``behavior.json``; the C# generator, the
trainer-config generator, the stand-in player and evaluation all read it, and none of them
re-derives a size or a constant on its own. This module only holds the data and its
(de)serialisation, with no dependency beyond the standard library, so the stand-in player can
load it inside the trainer environment.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import MLOpsError

FORMAT_VERSION = 1
BEHAVIOR_FILE = "behavior.json"


class BehaviorFileError(MLOpsError):
    """A ``behavior.json`` that is missing, malformed or of another format version."""


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
        fields = dict(data)
        fields.pop("observation_size", None)
        if fields.get("format_version") != FORMAT_VERSION:
            raise ValueError(
                f"{BEHAVIOR_FILE}: format_version {fields.get('format_version')!r} is not {FORMAT_VERSION}; "
                "regenerate it with this version of the codegen stage"
            )
        actions = dict(fields["actions"])
        actions["discrete_branches"] = tuple(actions["discrete_branches"])
        if "meanings" in actions:
            actions["meanings"] = tuple(actions["meanings"])
        else:  # written before actions had meanings: the defaults were the only layouts then
            from .actions import default_meanings

            actions["meanings"] = default_meanings(actions["continuous_size"], actions["discrete_branches"])
        return cls(
            **{
                **fields,
                "tasks": tuple(fields["tasks"]),
                "observations": tuple(ObservationGroup(**group) for group in fields["observations"]),
                "actions": ActionSpace(**actions),
                "rewards": tuple(RewardTerm(**term) for term in fields["rewards"]),
                "world": World(**fields["world"]),
                "notes": tuple(fields.get("notes", ())),
            }
        )

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> BehaviorSpec:
        """Load ``behavior.json`` from a file or from the codegen output folder holding it."""
        path = Path(path)
        if path.is_dir():
            path = path / BEHAVIOR_FILE
        if not path.is_file():
            raise BehaviorFileError(f"{path} does not exist; give the codegen stage's output folder (it holds {BEHAVIOR_FILE})")
        try:
            return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            raise BehaviorFileError(f"{path} is not a usable BehaviorSpec ({detail}); regenerate it with codegen") from None
