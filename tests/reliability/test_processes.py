"""Nothing a command starts outlives it: ``kill -9`` of a stage ends its whole process tree."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import REPO_ROOT, processes_mentioning, wait_until


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _parent(pid: int) -> int:
    return int(_stat(pid)[1])


def _state(pid: int) -> str:
    try:
        return _stat(pid)[0]
    except OSError:
        return "gone"


STAGE = textwrap.dedent("""
    import subprocess, sys, time
    from mlops_unity_pipeline import process_tree
    # A command that leaves an orphan in a new session behind, as mlagents' env workers and players do.
    sleeper = sys.executable + " -c 'import time; time.sleep(600)' sleeper " + sys.argv[1]
    command = ["sh", "-c", "setsid " + sleeper + " & exec " + sleeper]
    process = subprocess.Popen(process_tree.supervised(command), start_new_session=True)
    print(process.pid, flush=True)
    if sys.argv[2] == "wait":
        process.wait()
    time.sleep(600)
""")


@pytest.mark.parametrize("how", ["kill -9 of the stage", "the command exits"])
def test_the_supervisor_ends_every_descendant(how, tmp_path):
    marker = str(tmp_path / "marker")  # a unique word in every command line of this test's processes
    stage = subprocess.Popen(
        [sys.executable, "-c", STAGE, marker, "wait" if how == "the command exits" else "-"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    try:
        supervisor = int(stage.stdout.readline())
        assert wait_until(lambda: len(processes_mentioning(f"time.sleep(600) sleeper {marker}")) == 2, 30)
        if how == "kill -9 of the stage":
            stage.send_signal(signal.SIGKILL)
        else:
            # The command (exec'd in place of its shell, the supervisor's child) ends; its orphan must not stay.
            command = [
                int(p.split(":")[0])
                for p in processes_mentioning(f"time.sleep(600) sleeper {marker}")
                if _parent(int(p.split(":")[0])) == supervisor
            ]
            os.kill(command[0], signal.SIGKILL)
        left = f"time.sleep(600) sleeper {marker}"
        assert wait_until(lambda: not processes_mentioning(left), 30), processes_mentioning(left)
        assert wait_until(lambda: _state(supervisor) in ("gone", "Z"), 30), "the supervisor exits too"
    finally:
        stage.kill()
        stage.wait()


@pytest.mark.trainer
def test_kill_9_of_train_while_environments_start_leaves_no_mlagents_process(tmp_path, trainer_env):
    from tests.train.conftest import make_build

    generated, build = make_build(tmp_path, max_steps=50_000)
    train = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mlops_unity_pipeline",
            "train",
            "--build",
            str(build),
            "--generated",
            str(generated),
            "--out",
            str(tmp_path / "training"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    try:
        # The player's command line names the build folder: environments are starting.
        assert wait_until(lambda: any("standin.player" in p for p in processes_mentioning(str(build))), 120)
    finally:
        train.send_signal(signal.SIGKILL)
        train.wait()
    assert wait_until(lambda: not processes_mentioning(str(tmp_path)), 60), processes_mentioning(str(tmp_path))
