"""The task a BehaviorSpec describes, simulated exactly as the generated Unity Agent does it.

One agent per training area, every area stepped at once with numpy. Every size and constant
comes from the spec (``world``, ``rewards``, ``max_episode_steps``, ``observations``,
``actions``), so a policy trained here means the same thing in a Unity build. Nothing here
knows about the ML-Agents protocol: the stand-in player drives it over gRPC, and evaluation
drives it in-process to run an ONNX policy.

Typical use::

    world = TaskWorld(spec, num_areas=16, seed=0)
    obs = world.reset()
    while ...:
        step = world.step(actions)          # obs of ended areas are their terminal obs
        obs = world.reset_areas(step.done)  # start the next episode where one ended
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

import numpy as np

from ..behavior.actions import action_layout
from ..behavior.layout import GOAL_DISTANCE_SCALE, waypoint_positions
from ..behavior.motion import motion, to_heading_frame
from ..behavior.spec import BEHAVIOR_FILE, BehaviorSpec, RewardTerm, World
from ..behavior.tasks import GOAL_PROGRESS, PER_STEP, REWARD_KINDS, reward_terms
from ..errors import WorldSpecError
from .geometry import cast_rays, ray_directions, sample_separated

#: World constants an environment parameter of the same name may override (the real-valued ones).
TUNABLE_CONSTANTS = frozenset(f.name for f in fields(World) if str(f.type).startswith("float"))


def _real(world: World, name: str) -> float:
    """A real-valued constant; one the behaviour does not use (None) is 0."""
    value = getattr(world, name)
    return 0.0 if value is None else float(value)


@dataclass(frozen=True)
class StepResult:
    """What one decision did in every area; arrays have the number of areas as first axis.

    ``observations`` are taken after the move, so for an area whose episode ended they are its
    terminal observations. ``done`` is ``terminated | interrupted``; ``interrupted`` means the
    episode hit ``max_episode_steps`` (ML-Agents' ``interrupted`` flag); ``success`` is the
    task's verdict for ended episodes; ``episode_steps`` counts the episode's decisions so far.
    """

    observations: np.ndarray
    rewards: np.ndarray
    done: np.ndarray
    interrupted: np.ndarray
    success: np.ndarray
    episode_steps: np.ndarray


class TaskWorld:
    """``num_areas`` independent arenas running one BehaviorSpec's task."""

    def __init__(self, spec: BehaviorSpec, num_areas: int = 1, seed: int | None = None) -> None:
        if num_areas < 1:
            raise WorldSpecError(f"num_areas is {num_areas}; at least one training area is needed")
        self.spec = spec
        self.num_areas = num_areas
        self._rng = np.random.default_rng(seed)
        self._check_supported(spec)
        self._layout = action_layout(
            spec.actions.continuous_size, spec.actions.discrete_branches, spec.actions.meanings
        )
        self._goal_task = spec.goal_task
        #: The world constants new episodes start with; each area keeps its episode's own in ``_constants``.
        self._pending = spec.world
        self._constants = {name: np.full(num_areas, _real(spec.world, name)) for name in TUNABLE_CONSTANTS}
        self._terms = self._resolve_rewards(spec)
        self._per_step = sum(term.value for term in self._terms.values() if REWARD_KINDS[term.name] == PER_STEP)
        self._progress = next(
            (term.value for term in self._terms.values() if REWARD_KINDS[term.name] == GOAL_PROGRESS), None
        )

        a, w = num_areas, spec.world
        self.position = np.zeros((a, 2))
        self.velocity = np.zeros((a, 2))
        #: Degrees clockwise from +z; 0 at each episode's start, changed only by turn actions.
        self.heading = np.zeros(a)
        self.steps = np.zeros(a, dtype=np.int64)
        self.target = np.zeros((a, 2))
        self.next_waypoint = np.zeros(a, dtype=np.int64)
        self.items = np.zeros((a, w.item_count, 2))
        self.items_left = np.zeros((a, w.item_count), dtype=bool)
        self.obstacles = np.zeros((a, w.obstacle_count, 2))
        self.obstacle_velocity = np.zeros((a, w.obstacle_count, 2))

    # -- public API ------------------------------------------------------------------------

    @property
    def observation_size(self) -> int:
        return self.spec.observation_size

    def set_world_constants(self, values: dict[str, float]) -> list[str]:
        """Override real-valued ``World`` constants (environment parameters, e.g. a curriculum's).

        As in the generated Agent, an area takes them when its next episode begins, so no episode
        sees them change; counts cannot change. Returns the keys that name no such constant, for
        the caller to report.
        """
        known = {name: float(value) for name, value in values.items() if name in TUNABLE_CONSTANTS}
        self._pending = replace(self._pending, **known)
        return sorted(set(values) - set(known))

    def constant(self, name: str) -> np.ndarray:
        """A real-valued world constant as each area's current episode has it: ``(A,)``."""
        return self._constants[name]

    def reset(self, seed: int | None = None) -> np.ndarray:
        """Start a new episode in every area (re-seeding first when ``seed`` is given)."""
        if seed is not None:
            self._rng = np.random.default_rng(seed)
        return self.reset_areas(np.ones(self.num_areas, dtype=bool))

    def reset_areas(self, mask: np.ndarray, observations: np.ndarray | None = None) -> np.ndarray:
        """Start a new episode in the areas where ``mask`` is true; returns every area's observations.

        Given the observations of the areas as they were (a step's), only the restarted areas'
        rows are observed anew: the rest are already current, and this runs once per decision.
        """
        mask = np.asarray(mask, dtype=bool)
        count = int(mask.sum())
        if count:
            self._spawn(mask, count)
        if observations is None:
            return self.observe()
        observations = observations.copy()
        if count:
            observations[mask] = self.observe(mask)
        return observations

    def step(self, actions: np.ndarray) -> StepResult:
        """Apply one decision per area: move, move obstacles, reward, end episodes."""
        before = self._goal_distance()
        self.heading, self.velocity = motion(self._layout, np.asarray(actions), self._constants, self.heading)
        reach = self._reach[:, None]
        self.position = np.clip(self.position + self.velocity * self.constant("decision_dt")[:, None], -reach, reach)
        self._move_obstacles()
        progress = before - self._goal_distance()
        rewards, ended, success = self._judge()
        if self._progress is not None:
            rewards += self._progress * progress / (GOAL_DISTANCE_SCALE * self._h)
        self.steps += 1
        interrupted = ~ended & (self.steps >= self.spec.max_episode_steps)
        if self.spec.success_at_max_step:
            success = success | interrupted
        return StepResult(
            observations=self.observe(),
            rewards=rewards.astype(np.float32),
            done=ended | interrupted,
            interrupted=interrupted,
            success=success,
            episode_steps=self.steps.copy(),
        )

    def observe(self, areas: np.ndarray | slice = slice(None)) -> np.ndarray:
        """The vector observation of every area (or of those the mask ``areas`` selects), groups in the
        spec's order: ``(A, size)`` float32. Each area's row depends on that area alone."""
        position, heading, half_size = self.position[areas], self.heading[areas], self._h[areas]
        half = half_size[:, None]
        parts = []
        for group in self.spec.observations:
            if group.name == "raycast":
                ray_length = self.constant("ray_length")[areas][:, None]
                hits = cast_rays(
                    position,
                    ray_directions(group.size, heading),
                    half_size,
                    self.obstacles[areas],
                    self.constant("obstacle_radius")[areas],
                )
                parts.append(np.minimum(hits, ray_length) / ray_length)
            elif group.name == "velocity":
                speed = self.constant("move_speed")[areas][:, None]
                parts.append(_planar(self._observed(self.velocity[areas], heading) / speed, group.size))
            elif group.name == "position":
                parts.append(_planar(position / half, group.size))
            else:  # target_direction, checked in _check_supported
                goal = self._observed(self.goal_offset(areas), heading)
                parts.append(_planar(goal / (GOAL_DISTANCE_SCALE * half), group.size))
        return np.concatenate(parts, axis=1).astype(np.float32)

    def _observed(self, vectors: np.ndarray, heading: np.ndarray) -> np.ndarray:
        """World vectors as agents with ``heading`` observe them: relative to it when they have one."""
        return to_heading_frame(vectors, heading) if self._layout.oriented else vectors

    @property
    def _h(self) -> np.ndarray:
        return self.constant("arena_half_size")

    @property
    def _reach(self) -> np.ndarray:
        """How far from the centre the agent's centre can go, per axis."""
        return self._h - self.constant("agent_radius")

    @property
    def _touch(self) -> np.ndarray:
        return self.constant("agent_radius") + self.constant("goal_radius")

    @property
    def waypoints(self) -> np.ndarray:
        """Every area's route: ``(A, waypoint_count, 2)``."""
        return waypoint_positions(self.spec.world.waypoint_count, self._h, self.constant("waypoint_inset"))

    # -- episode start ---------------------------------------------------------------------

    def _spawn(self, mask: np.ndarray, count: int) -> None:
        for name in TUNABLE_CONSTANTS:
            self._constants[name][mask] = _real(self._pending, name)
        c = {name: values[mask] for name, values in self._constants.items()}
        w = self.spec.world
        reach = c["arena_half_size"] - c["agent_radius"]
        no_points = np.zeros((count, 0, 2))
        agent = self._rng.uniform(-reach[:, None], reach[:, None], size=(count, 2))
        self.position[mask] = agent
        self.velocity[mask] = 0.0
        self.heading[mask] = 0.0
        self.steps[mask] = 0
        goals = no_points
        task = self._goal_task
        if task == "reach":
            target = sample_separated(
                self._rng,
                reach,
                agent[:, None, :],
                (c["spawn_separation"] + c["agent_radius"] + c["goal_radius"])[:, None],
                w.spawn_attempts,
            )
            self.target[mask] = target
            goals = target[:, None, :]
        elif task == "patrol":
            self.next_waypoint[mask] = 0
            goals = self.waypoints[mask]
        elif task == "collect":
            items = np.stack(
                [
                    sample_separated(
                        self._rng, reach, agent[:, None, :], c["spawn_separation"][:, None], w.spawn_attempts
                    )
                    for _ in range(w.item_count)
                ],
                axis=1,
            )
            self.items[mask] = items
            self.items_left[mask] = True
            goals = items
        if w.obstacle_count:
            self._spawn_obstacles(mask, c, agent, goals)

    def _spawn_obstacles(
        self, mask: np.ndarray, c: dict[str, np.ndarray], agent: np.ndarray, goals: np.ndarray
    ) -> None:
        w = self.spec.world
        count = len(agent)
        keep_away = np.concatenate([agent[:, None, :], goals], axis=1)
        min_distance = np.concatenate(
            [
                (c["agent_radius"] + c["obstacle_radius"] + c["spawn_separation"])[:, None],
                np.repeat(
                    (c["obstacle_radius"] + c["goal_radius"] + c["goal_clearance"])[:, None], goals.shape[1], axis=1
                ),
            ],
            axis=1,
        )
        extent = c["arena_half_size"] - c["obstacle_radius"]
        self.obstacles[mask] = np.stack(
            [
                sample_separated(self._rng, extent, keep_away, min_distance, w.spawn_attempts)
                for _ in range(w.obstacle_count)
            ],
            axis=1,
        )
        if not c["obstacle_speed"].any():
            self.obstacle_velocity[mask] = 0.0
            return
        heading = self._rng.uniform(0.0, 2 * math.pi, size=(count, w.obstacle_count))
        self.obstacle_velocity[mask] = c["obstacle_speed"][:, None, None] * np.stack(
            [np.sin(heading), np.cos(heading)], axis=-1
        )

    # -- one decision ----------------------------------------------------------------------

    def _move_obstacles(self) -> None:
        if not self.spec.world.obstacle_count:
            return
        limit = (self._h - self.constant("obstacle_radius"))[:, None, None]
        moved = self.obstacles + self.obstacle_velocity * self.constant("decision_dt")[:, None, None]
        bounced = np.abs(moved) > limit
        self.obstacles = np.clip(moved, -limit, limit)
        self.obstacle_velocity = np.where(bounced, -self.obstacle_velocity, self.obstacle_velocity)

    def _judge(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rewards of this decision, in the generated Agent's order, and which episodes ended."""
        w = self.spec.world
        verdict = _Verdict(
            np.full(self.num_areas, self._per_step),
            np.zeros(self.num_areas, dtype=bool),
            np.zeros(self.num_areas, dtype=bool),
        )
        if w.obstacle_count:
            gap = np.linalg.norm(self.obstacles - self.position[:, None, :], axis=-1).min(axis=1)
            verdict.pay(
                self._terms["collision"], gap < self.constant("agent_radius") + self.constant("obstacle_radius")
            )
        live = ~verdict.ended
        task = self._goal_task
        if task == "reach":
            reached = live & (np.linalg.norm(self.target - self.position, axis=-1) < self._touch)
            verdict.pay(self._terms["target_reached"], reached)
        elif task == "patrol":
            touched = live & (np.linalg.norm(self._current_waypoint() - self.position, axis=-1) < self._touch)
            verdict.pay(self._terms["waypoint_reached"], touched)
            self.next_waypoint[touched] += 1
            verdict.pay(self._terms["route_completed"], touched & (self.next_waypoint >= w.waypoint_count))
        elif task == "collect":
            near = np.linalg.norm(self.items - self.position[:, None, :], axis=-1) < self._touch[:, None]
            picked = live[:, None] & self.items_left & near
            verdict.pay(self._terms["item_collected"], picked.sum(axis=1))
            self.items_left &= ~picked
            verdict.pay(self._terms["all_items_collected"], live & ~self.items_left.any(axis=1))
        return verdict.rewards, verdict.ended, verdict.success

    def _goal_distance(self) -> np.ndarray:
        """Distance to the current goal (zero without one), for the goal_progress reward."""
        if self._goal_task is None:
            return np.zeros(self.num_areas)
        return np.linalg.norm(self.goal_offset(), axis=-1)

    def goal_offset(self, areas: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Agent → current goal (target, next waypoint, nearest remaining item); zero when none is left.

        Of every area, or of those ``areas`` (a mask) selects.
        """
        task, position = self._goal_task, self.position[areas]
        if task == "reach":
            return self.target[areas] - position
        if task == "patrol":
            offset = self._current_waypoint(areas) - position
            return np.where((self.next_waypoint[areas] < self.spec.world.waypoint_count)[:, None], offset, 0.0)
        items, items_left = self.items[areas], self.items_left[areas]
        offsets = items - position[:, None, :]
        distances = np.where(items_left, np.linalg.norm(offsets, axis=-1), np.inf)
        nearest = offsets[np.arange(len(offsets)), distances.argmin(axis=1)]
        return np.where(items_left.any(axis=1)[:, None], nearest, 0.0)

    def _current_waypoint(self, areas: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Each area's next waypoint (the last one once the route is done)."""
        index = np.minimum(self.next_waypoint[areas], self.spec.world.waypoint_count - 1)
        return self.waypoints[areas][np.arange(len(index)), index]

    # -- spec checks -----------------------------------------------------------------------

    @staticmethod
    def _resolve_rewards(spec: BehaviorSpec) -> dict[str, RewardTerm]:
        """Every reward term the spec's tasks give, looked up once so a gap fails at start."""
        terms = {}
        for needed in reward_terms(spec.tasks, spec.max_episode_steps):
            term = spec.reward(needed.name)
            if term is None:
                raise WorldSpecError(
                    f"{BEHAVIOR_FILE} has no reward term {needed.name!r}, which the task {'+'.join(spec.tasks)} needs; "
                    "regenerate it with the codegen stage"
                )
            terms[term.name] = term
        return terms

    @staticmethod
    def _check_supported(spec: BehaviorSpec) -> None:
        actions = spec.actions
        try:
            layout = action_layout(actions.continuous_size, actions.discrete_branches, actions.meanings)
        except ValueError as exc:
            raise WorldSpecError(f"{BEHAVIOR_FILE}: actions.meanings {exc}") from None
        if layout.turns and spec.world.turn_speed is None:
            raise WorldSpecError(f"{BEHAVIOR_FILE}: the actions turn, but world.turn_speed is missing; regenerate it")
        for group in spec.observations:
            if group.name not in ("raycast", "velocity", "position", "target_direction"):
                raise WorldSpecError(f"{BEHAVIOR_FILE}: observation group {group.name!r} is not one the stand-in knows")
            if group.name != "raycast" and group.size not in (2, 3):
                raise WorldSpecError(f"{BEHAVIOR_FILE}: observation group {group.name!r} has size {group.size}; 2 or 3")
            if group.name == "target_direction" and spec.goal_task is None:
                raise WorldSpecError(f"{BEHAVIOR_FILE}: target_direction needs a goal task (reach, patrol or collect)")


@dataclass
class _Verdict:
    """One decision's rewards and episode ends, as reward terms' events add to them."""

    rewards: np.ndarray
    ended: np.ndarray
    success: np.ndarray

    def pay(self, term: RewardTerm, happened: np.ndarray) -> None:
        """The term's reward where its event happened (``happened`` counts it); it ends episodes if it says so."""
        self.rewards += term.value * happened
        if term.ends_episode:
            self.ended |= happened.astype(bool)
        if term.success:
            self.success |= happened.astype(bool)


def _planar(vectors: np.ndarray, size: int) -> np.ndarray:
    """(x, z) as is for size 2; (x, 0, z) for size 3."""
    if size == 2:
        return vectors
    return np.stack([vectors[:, 0], np.zeros(len(vectors)), vectors[:, 1]], axis=-1)
