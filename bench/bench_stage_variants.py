"""Which condition of the train stage slows mlagents-learn: bare runs under each in turn.

    .venv/bin/python bench/bench_stage_variants.py --steps 50000 --repeats 2

On the quick-start job at one player × 64 areas (the layout the stage picks on 2 cores), runs
bare ``mlagents-learn`` as a user would, then with each condition the train stage adds around it
(``PYTHONUNBUFFERED=1``; output piped and read line by line in a new session; the same under the
stage's supervisor), then the stage itself; the order reverses on every repeat so the machine's
drift counts alike. Prints each run's wall time: a condition that matters shows as a gap beyond
the spread of the bare runs.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_players import quickstart, stage
from standin_common import require_trainer_env

from mlops_unity_pipeline import process_tree
from mlops_unity_pipeline.ports import reserve_base_port


def bare_command(generated: Path, executable: Path, out: Path, port: int) -> list[str]:
    env = require_trainer_env()
    return [
        str(env.mlagents_learn), str(generated / "trainer_config.yaml"), "--env", str(executable),
        "--run-id", "run", "--results-dir", str(out), "--force", "--base-port", str(port),
        "--num-envs", "1", "--num-areas", "64", "--torch-device", "cpu",
    ]  # fmt: skip


def run_bare(generated: Path, executable: Path, out: Path, *, unbuffered: bool, piped: bool, supervised: bool) -> None:
    """Bare mlagents-learn under the given conditions of the train stage."""
    env = require_trainer_env().environment(**({"PYTHONUNBUFFERED": "1"} if unbuffered else {}))
    with reserve_base_port(1) as port:
        command = bare_command(generated, executable, out, port)
        if supervised:
            command = process_tree.supervised(command)
        if not piped:
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
            return
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True
        )
        assert process.stdout is not None
        for _ in process.stdout:
            pass
        if process.wait() != 0:
            raise SystemExit(f"mlagents-learn failed under {out.name}")


def variants(generated: Path, executable: Path) -> dict[str, Callable[[Path], object]]:
    return {
        "bare": lambda out: run_bare(generated, executable, out, unbuffered=False, piped=False, supervised=False),
        "PYTHONUNBUFFERED=1": lambda out: run_bare(
            generated, executable, out, unbuffered=True, piped=False, supervised=False
        ),
        "piped, new session": lambda out: run_bare(
            generated, executable, out, unbuffered=False, piped=True, supervised=False
        ),
        "piped, unbuffered, supervised": lambda out: run_bare(
            generated, executable, out, unbuffered=True, piped=True, supervised=True
        ),
        "train stage": lambda out: stage(generated, executable, out),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        generated, executable = quickstart(root, args.steps, seed=0)
        runs = variants(generated, executable)
        walls: dict[str, list[float]] = {name: [] for name in runs}
        for repeat in range(args.repeats):
            order = list(runs) if repeat % 2 == 0 else list(reversed(runs))
            for name in order:
                started = time.monotonic()
                runs[name](root / f"{len(walls[name])}-{name.replace(' ', '_').replace(',', '')}")
                walls[name].append(time.monotonic() - started)
                print(f"{name}: {walls[name][-1]:.1f} s", flush=True)
        for name, seconds in walls.items():
            print(f"{name:32} " + " / ".join(f"{s:.1f}" for s in seconds) + " s")


if __name__ == "__main__":
    main()
