"""What a player says about its behaviours at the ML-Agents handshake: names, observations, actions.

A player the pipeline did not generate has no ``behavior.json``; its observation and action
specs are what its Agents send when a trainer connects. :func:`probe_player` starts the player
once, as mlagents-learn would, through mlagents_envs in the trainer environment (``python -m
mlops_unity_pipeline.player_spec``), and returns a :class:`PlayerSpec` per behaviour. The ONNX
policy check (:mod:`.onnx_policy`) and the trainer-config check (:func:`check_trainer_config`)
compare against it, so a mismatch fails before training instead of inside the player.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .errors import PlayerSpecError

#: How long the player may take to start and send its first agents.
PROBE_TIMEOUT_S = 180


@dataclass(frozen=True)
class PlayerSpec:
    """One behaviour as a player declares it (ML-Agents' ``BehaviorSpec``), without its ``?team=`` suffix."""

    behavior_name: str
    observation_shapes: tuple[tuple[int, ...], ...]
    continuous_size: int
    discrete_branches: tuple[int, ...]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlayerSpec:
        return cls(
            data["behavior_name"],
            tuple(tuple(shape) for shape in data["observation_shapes"]),
            int(data["continuous_size"]),
            tuple(data["discrete_branches"]),
        )

    @classmethod
    def from_mlagents(cls, name: str, spec: Any) -> PlayerSpec:
        """From mlagents_envs' ``BehaviorSpec`` of the behaviour ``name`` (``Name?team=0``)."""
        return cls(
            behavior_name=name.split("?")[0],
            observation_shapes=tuple(tuple(int(n) for n in obs.shape) for obs in spec.observation_specs),
            continuous_size=int(spec.action_spec.continuous_size),
            discrete_branches=tuple(int(b) for b in spec.action_spec.discrete_branches),
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        shapes = ", ".join(str(list(shape)) for shape in self.observation_shapes)
        return (
            f"behaviour {self.behavior_name!r}: observations {shapes}; continuous actions {self.continuous_size}, "
            f"discrete branches {list(self.discrete_branches)}"
        )


def read_specs(executable: Path, base_port: int) -> list[PlayerSpec]:
    """Start the player with mlagents_envs (trainer environment only), read its behaviours, close it."""
    from mlagents_envs.environment import UnityEnvironment

    env = UnityEnvironment(
        file_name=str(executable),
        no_graphics=True,
        base_port=base_port,
        worker_id=0,
        timeout_wait=PROBE_TIMEOUT_S,
        num_areas=1,
    )
    try:
        env.reset()
        return [PlayerSpec.from_mlagents(name, spec) for name, spec in sorted(env.behavior_specs.items())]
    finally:
        env.close()


def probe_player(executable: Path) -> list[PlayerSpec]:
    """Every behaviour of the player at ``executable``, read at the handshake in the trainer environment."""
    from . import trainer_env
    from .ports import reserve_base_port

    if not Path(executable).is_file():
        raise PlayerSpecError(f"{executable}: no player there; build it first")
    with tempfile.TemporaryDirectory(prefix="unity-mlops-probe-") as scratch, reserve_base_port(1) as port:
        out = Path(scratch) / "specs.json"
        found = trainer_env.run_json(
            "mlops_unity_pipeline.player_spec",
            "--executable",
            str(Path(executable).resolve()),
            "--base-port",
            str(port),
            "--out",
            str(out),
            doing=f"reading the behaviours of the player {executable}",
            error=PlayerSpecError,
            timeout=PROBE_TIMEOUT_S + 60,
            cwd=scratch,
            result_file=out,
        )
        return [PlayerSpec.from_dict(item) for item in found]


def player_behavior(specs: Sequence[PlayerSpec], behavior_name: str, executable: Path) -> PlayerSpec:
    """The named behaviour among the player's; the error lists the ones it has."""
    for spec in specs:
        if spec.behavior_name == behavior_name:
            return spec
    raise PlayerSpecError(
        f"behavior_name {behavior_name!r}: the player {executable} has no such behaviour; "
        f"it has {', '.join(repr(s.behavior_name) for s in specs) or 'none'}"
    )


def check_trainer_config(config_path: Path, spec: PlayerSpec) -> None:
    """The trainer config must configure the player's behaviour under ``behaviors``, as mlagents-learn needs."""
    import yaml

    try:
        config = yaml.safe_load(Path(config_path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PlayerSpecError(f"{config_path}: not a readable trainer config ({exc})") from None
    behaviors = config.get("behaviors") if isinstance(config, dict) else None
    if not isinstance(behaviors, dict) or not behaviors:
        raise PlayerSpecError(
            f"{config_path}: behaviors is missing or empty; configure {spec.behavior_name!r} under it"
        )
    if spec.behavior_name not in behaviors:
        raise PlayerSpecError(
            f"{config_path}: behaviors names {', '.join(map(repr, behaviors))}, but the player's behaviour is "
            f"{spec.behavior_name!r}; configure {spec.behavior_name!r} under behaviors"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--executable", required=True, type=Path)
    parser.add_argument("--base-port", required=True, type=int)
    parser.add_argument("--out", required=True, type=Path, help="JSON file for the behaviours")
    args = parser.parse_args(argv)
    specs = read_specs(args.executable, args.base_port)
    args.out.write_text(json.dumps([spec.to_dict() for spec in specs]) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
