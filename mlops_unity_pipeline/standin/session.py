"""One trainer conversation: the simulated areas, their episode ids, and the replies they make.

Turns each input the trainer sends (RESET, STEP, QUIT, side-channel data) into the message a
Unity player would answer with: terminal infos of episodes that just ended, then a decision
request from every area, statistics of ended episodes on the stats side channel.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from mlagents_envs.communicator_objects.command_pb2 import QUIT, RESET, STEP
from mlagents_envs.communicator_objects.unity_message_pb2 import UnityMessageProto
from mlagents_envs.communicator_objects.unity_rl_input_pb2 import UnityRLInputProto

from ..behavior.spec import BehaviorSpec
from ..behavior.stats import episode_values
from .protocol import COMMANDS, AgentBatch, ProtocolError, read_actions, step_message
from .side_channels import SideChannelError, StatsAggregation, TrainerSettings, pack_stat
from .world import TaskWorld


@dataclass
class Totals:
    """Counters for the player's log."""

    decisions: int = 0
    episodes: int = 0
    successes: int = 0
    compute_s: float = 0.0


class Session:
    """The Unity side of one conversation, from the first RESET to QUIT or close."""

    def __init__(self, spec: BehaviorSpec, num_areas: int, seed: int, log: logging.Logger) -> None:
        self.spec = spec
        self.world = TaskWorld(spec, num_areas=num_areas, seed=seed)
        self.settings = TrainerSettings()
        self.totals = Totals()
        self._log = log
        self._ids = np.zeros(num_areas, dtype=np.int64)
        self._next_id = 0
        self._started = False
        self._brain_sent = False
        self._reported_unknown: set[str] = set()

    def reply(self, rl_input: UnityRLInputProto) -> UnityMessageProto | None:
        """The answer to one trainer input; ``None`` when the trainer asked the player to quit."""
        self._read_side_channels(bytes(rl_input.side_channel))
        command = rl_input.command
        if command == QUIT:
            return None
        if command == RESET:
            return self._reset()
        if command == STEP:
            if not self._started:
                raise ProtocolError("the trainer sent STEP before any RESET")
            return self._step(rl_input)
        raise ProtocolError(f"unknown command {command}; expected one of {sorted(COMMANDS.values())}")

    def _reset(self) -> UnityMessageProto:
        observations = self.world.reset()
        self._ids = self._new_ids(self.world.num_areas)
        self._started = True
        rewards = np.zeros(self.world.num_areas, dtype=np.float32)
        return self._message([AgentBatch(self._ids, observations, rewards)], b"")

    def _step(self, rl_input: UnityRLInputProto) -> UnityMessageProto:
        actions = read_actions(self.spec, rl_input, self.world.num_areas)
        result = self.world.step(actions)
        self.totals.decisions += self.world.num_areas
        done = result.done
        batches, stats = [], b""
        if done.any():
            batches.append(
                AgentBatch(
                    self._ids[done],
                    result.observations[done],
                    result.rewards[done],
                    done=True,
                    interrupted=result.interrupted[done],
                )
            )
            stats = self._episode_stats(result.success[done], result.episode_steps[done])
            self._ids[done] = self._new_ids(int(done.sum()))
        observations = self.world.reset_areas(done, result.observations) if done.any() else result.observations
        rewards = np.where(done, 0.0, result.rewards)
        batches.append(AgentBatch(self._ids, observations, rewards))
        return self._message(batches, stats)

    def _message(self, batches: list[AgentBatch], side_channel: bytes) -> UnityMessageProto:
        message = step_message(self.spec, batches, side_channel, with_brain_parameters=not self._brain_sent)
        self._brain_sent = True
        return message

    def _episode_stats(self, success: np.ndarray, steps: np.ndarray) -> bytes:
        self.totals.episodes += len(success)
        self.totals.successes += int(success.sum())
        return b"".join(
            pack_stat(stat.name, value, StatsAggregation.from_unity(stat.aggregation))
            for won, length in zip(success, steps)
            for stat, value in episode_values(bool(won), int(length))
        )

    def _new_ids(self, count: int) -> np.ndarray:
        """Unity gives every episode a fresh agent id; the trainer keys trajectories by it."""
        ids = np.arange(self._next_id, self._next_id + count)
        self._next_id += count
        return ids

    def _read_side_channels(self, blob: bytes) -> None:
        if not blob:
            return
        before = dict(self.settings.parameters)
        try:
            changes = self.settings.apply(blob)
        except SideChannelError as exc:
            raise ProtocolError(f"bad side-channel data: {exc}") from None
        for line in changes:
            self._log.info(line)
        if self.settings.parameters != before:
            unused = self.world.set_world_constants(self.settings.parameters)
            for key in set(unused) - self._reported_unknown:
                self._log.info(f"environment parameter {key!r} names no world constant of this behaviour; ignored")
                self._reported_unknown.add(key)
