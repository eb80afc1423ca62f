"""Where bare mlagents-learn's time goes on each player layout of the quick start, from its own timers.

    .venv/bin/python bench/bench_mlagents_phases.py --steps 20000 --runs 3
    .venv/bin/python bench/bench_mlagents_phases.py --steps 20000 100000 --runs 3 --write-docs

mlagents-learn writes ``run_logs/timers.json`` at its exit: the seconds each part of its loop
took. For the seed guide's quick start (SimpleAgent, PPO with the generated config, stand-in
players, the CPU), 8 players × 8 areas and the same 64 agents as 2 × 32 and 1 × 64, in turn,
this splits each run's wall time into

- outside training: the process's start (importing torch) and its exit, i.e. the wall time
  beyond ``TrainerController.start_learning``;
- connecting: ``TrainerController._reset_env``, launching the players and their first reset;
- stepping the environments: ``env_step`` (inference, the players' steps, turning their
  observations into trajectories);
- learning: ``trainer_advance``, of which the PPO updates (``_update_policy``), which
  mlagents-learn runs between environment steps (its trainer config's ``threaded`` is false).

Fewer players can only shorten stepping: the other parts are the same work for the same 64
agents and the same steps, so they bound what fitting the players to the cores can gain.
"""

from __future__ import annotations

import json
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench_players import BARE_LAYOUTS, quickstart
from bench_stage_overhead import run_bare
from report import bench_arguments, machine, publish
from standin_common import require_trainer_env

SECTION = "## Bare mlagents-learn's time by player layout: where fitting the players can gain"


@dataclass(frozen=True)
class Phases:
    """One run's wall time and mlagents-learn's own timers, in seconds."""

    wall: float
    training: float
    connecting: float
    stepping: float
    learning: float
    updating: float

    @property
    def outside(self) -> float:
        return self.wall - self.training

    @property
    def besides_stepping(self) -> float:
        """What fewer players cannot shorten: everything but stepping the environments."""
        return self.wall - self.stepping


def _timer_total(node: dict, name: str) -> float:
    """The seconds of every timer called ``name`` anywhere under ``node``."""
    total = 0.0
    for child_name, child in node.get("children", {}).items():
        if child_name == name:
            total += child["total"]
        total += _timer_total(child, name)
    return total


def read_phases(wall: float, timers_path: Path) -> Phases:
    timers = json.loads(timers_path.read_text())
    return Phases(
        wall=wall,
        training=_timer_total(timers, "TrainerController.start_learning"),
        connecting=_timer_total(timers, "TrainerController._reset_env"),
        stepping=_timer_total(timers, "env_step"),
        learning=_timer_total(timers, "trainer_advance"),
        updating=_timer_total(timers, "_update_policy"),
    )


def run_layouts(steps: int, runs: int, scratch: Path) -> dict[tuple[int, int], list[Phases]]:
    generated, executable = quickstart(scratch / "job", steps, seed=0)
    found: dict[tuple[int, int], list[Phases]] = {layout: [] for layout in BARE_LAYOUTS}
    for index in range(runs):
        for layout in BARE_LAYOUTS[index % len(BARE_LAYOUTS) :] + BARE_LAYOUTS[: index % len(BARE_LAYOUTS)]:
            out = scratch / f"{layout[0]}x{layout[1]}-{index}"
            wall = run_bare(generated, executable, *layout, out)
            phases = read_phases(wall, out / "run" / "run_logs" / "timers.json")
            found[layout].append(phases)
            print(f"{steps:,} steps, {layout[0]} × {layout[1]}, run {index + 1}: {phases}", flush=True)
    return found


def _median(runs: list[Phases], measure: str) -> float:
    return statistics.median(getattr(run, measure) for run in runs)


def section_text(results: dict[int, dict[tuple[int, int], list[Phases]]], where: str, command: str) -> str:
    introduction = (
        f"`{command}` on {where}. Bare mlagents-learn on the quick start (seed 0), each layout in turn; "
        "medians of the runs, in seconds, from mlagents-learn's `run_logs/timers.json` (see the script's docstring "
        "for what each part holds)."
    )
    header = (
        "| steps | layout | wall | outside training (start, exit) | connecting | stepping the environments "
        "| learning (of it, PPO updates) | all but stepping |"
    )
    lines = [SECTION, "", introduction, "", header, "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    verdicts = []
    for steps, by_layout in results.items():
        for layout, runs in by_layout.items():
            lines.append(
                f"| {steps:,} | {layout[0]} × {layout[1]} | {_median(runs, 'wall'):.2f} | {_median(runs, 'outside'):.2f} "
                f"| {_median(runs, 'connecting'):.2f} | {_median(runs, 'stepping'):.2f} "
                f"| {_median(runs, 'learning'):.2f} ({_median(runs, 'updating'):.2f}) "
                f"| {_median(runs, 'besides_stepping'):.2f} |"
            )
        user, fewest = by_layout[BARE_LAYOUTS[0]], by_layout[BARE_LAYOUTS[-1]]
        verdicts.append(
            f"{steps:,} steps: {BARE_LAYOUTS[-1][0]} × {BARE_LAYOUTS[-1][1]} is "
            f"{_median(user, 'wall') / _median(fewest, 'wall'):.2f}× as fast as {BARE_LAYOUTS[0][0]} × "
            f"{BARE_LAYOUTS[0][1]}; with its stepping free it would be at most "
            f"{_median(user, 'wall') / _median(fewest, 'besides_stepping'):.2f}×."
        )
    return "\n".join([*lines, "", " ".join(verdicts), ""])


def main() -> None:
    parser = bench_arguments(__doc__)
    parser.add_argument("--steps", type=int, nargs="+", default=[20_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    require_trainer_env()
    where = machine()
    command = f"python bench/bench_mlagents_phases.py --steps {' '.join(map(str, args.steps))} --runs {args.runs}"
    with tempfile.TemporaryDirectory() as scratch:
        results = {steps: run_layouts(steps, args.runs, Path(scratch) / str(steps)) for steps in args.steps}
    section = section_text(results, where, command)
    publish(section, SECTION, args.write_docs)


if __name__ == "__main__":
    main()
