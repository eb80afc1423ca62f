"""Running a stage command under a time limit, so that a hung stage ends instead of holding its slot.

The stage runs as a child process in its own process group (with every process it starts: the
Unity Editor, mlagents-learn, players). When the limit passes, the whole group gets SIGTERM,
then SIGKILL after a grace period, and the command exits with status 124 as ``timeout(1)`` does.
A SIGTERM sent to this process (a pod being deleted) is passed on to the group.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Sequence

from .errors import DeadlineError

#: Exit status of a command stopped at its deadline (as coreutils' ``timeout``).
TIMED_OUT = 124
#: How long the stage gets to stop after SIGTERM before it is killed.
GRACE_S = 30.0
DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*s?\s*$")


def parse_seconds(text: str) -> float:
    """``"3600"`` or ``"3600s"`` (Vertex AI's duration form) as seconds."""
    match = DURATION.match(text)
    if match is None or float(match.group(1)) <= 0:
        raise DeadlineError(f"--timeout {text!r} is not a positive number of seconds, e.g. '3600' or '3600s'")
    return float(match.group(1))


def run_with_deadline(argv: Sequence[str], seconds: float, grace_s: float = GRACE_S) -> int:
    """Run ``python -m mlops_unity_pipeline ARGV`` and return its exit status, or 124 past ``seconds``."""
    process = subprocess.Popen([sys.executable, "-m", "mlops_unity_pipeline", *argv], start_new_session=True)
    previous = signal.signal(signal.SIGTERM, lambda *_: _signal_group(process, signal.SIGTERM))
    try:
        return process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        print(
            f"error: {' '.join(argv[:1]) or 'the stage'} ran past its {seconds:g} s timeout and was stopped",
            file=sys.stderr,
        )
        _signal_group(process, signal.SIGTERM)
        try:
            process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait()
        return TIMED_OUT
    finally:
        signal.signal(signal.SIGTERM, previous)


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass
