"""Run a command so that nothing it starts outlives it, or outlives the stage that started it.

mlagents-learn starts environment workers, and each worker starts a player in a new session;
when mlagents-learn or the stage above it is killed (``kill -9``, a preempted VM), those
processes are re-parented to PID 1 and go on holding their ports. So a stage runs such a
command under a small supervisor, this file run as an isolated script (``python -I -S
process_tree.py <stage pid> -- COMMAND...``, see :func:`supervised`), which:

- is a child subreaper (``PR_SET_CHILD_SUBREAPER``): every process the command starts, even
  one whose parent died or that started a new session, stays the supervisor's descendant;
- gets SIGTERM when the stage dies, however it dies (``PR_SET_PDEATHSIG``);
- on SIGTERM, SIGINT or SIGHUP, terminates every descendant (SIGTERM, then SIGKILL after
  :data:`GRACE_S`); when the command exits, kills what it left behind; then exits with the
  command's status.

Linux only, as the training stack is; ``PR_SET_PDEATHSIG`` fires when the thread that started
the supervisor ends, so start it from a thread that lives as long as the command should.

The supervisor starts before every command it runs, so as a script it imports only ``os``,
``signal``, ``sys``, ``time`` and ``ctypes``, without ``site`` (about 15 ms to run ``/bin/true``
supervised, against 26 ms with the imports the stage's side uses; docs/benchmarks.md); the
stage's side imports ``subprocess`` where it uses it.
"""

from __future__ import annotations

import os
import signal
import sys
import time

#: ``typing.TYPE_CHECKING`` without importing ``typing`` (4 ms of the script's start).
TYPE_CHECKING = False

if TYPE_CHECKING:
    import subprocess
    from collections.abc import Sequence
    from typing import Any

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
#: Seconds the descendants get to exit after SIGTERM before they are killed.
GRACE_S = 10.0
#: Seconds a caller waits for the supervisor to clean up after asking it to stop.
STOP_WAIT_S = GRACE_S + 10.0
_WATCHED = (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def supervised(command: Sequence[str]) -> list[str]:
    """``command`` run under the supervisor, bound to this process's life.

    The supervisor runs as a script in isolated mode without ``site`` (``-I -S``): it needs only the
    standard library, so it starts whatever environment (``PYTHONPATH``, virtualenv) the command is given.
    """
    return [sys.executable, "-I", "-S", os.path.realpath(__file__), str(os.getpid()), "--", *command]


def stop(process: subprocess.Popen) -> None:
    """Ask a supervisor to end its command and every descendant; kill its group if it does not in time."""
    import subprocess

    if process.poll() is not None:
        return
    _signal_all([process.pid], signal.SIGTERM)
    try:
        process.wait(timeout=STOP_WAIT_S)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()


def run_supervised(command: Sequence[str], *, timeout: float, **popen_kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Like ``subprocess.run(capture_output=True, text=True)``, with ``command`` supervised.

    On timeout (``subprocess.TimeoutExpired``) or interruption every process of the command is
    ended, not only the first one.
    """
    import subprocess

    process = subprocess.Popen(
        supervised(command),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        **popen_kwargs,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except BaseException:
        stop(process)
        raise
    return subprocess.CompletedProcess(list(command), process.returncode, stdout, stderr)


def descendants(root: int) -> list[int]:
    """Every live process below ``root`` in the process tree (read from ``/proc``), deepest last."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as stat_file:
                stat = stat_file.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(name))
    found, queue = [], list(children.get(root, []))
    while queue:
        pid = queue.pop(0)
        found.append(pid)
        queue.extend(children.get(pid, []))
    return found


def _signal_all(pids: Sequence[int], sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


def _reap(command_pid: int, status: int | None) -> int | None:
    """Collect every exited child; returns the command's exit status once it has exited."""
    while True:
        try:
            pid, wait_status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return status
        if pid == 0:
            return status
        if pid == command_pid:
            status = os.waitstatus_to_exitcode(wait_status)
            status = 128 - status if status < 0 else status


def _end_descendants(command_pid: int, status: int | None) -> int | None:
    """SIGTERM what is left, SIGKILL it after the grace period, and reap everything."""
    me = os.getpid()
    _signal_all(descendants(me), signal.SIGTERM)
    deadline = time.monotonic() + GRACE_S
    while (left := descendants(me)) and time.monotonic() < deadline:
        signal.sigtimedwait(_WATCHED, 0.1)
        status = _reap(command_pid, status)
    while left:
        _signal_all(left, signal.SIGKILL)
        signal.sigtimedwait(_WATCHED, 0.1)
        status = _reap(command_pid, status)
        left = descendants(me)
    return _reap(command_pid, status)


def main(argv: Sequence[str]) -> int:
    if len(argv) < 3 or argv[1] != "--" or not argv[0].isdigit():
        print("usage: python -I -S process_tree.py STAGE_PID -- COMMAND...", file=sys.stderr)
        return 2
    import ctypes

    stage_pid, command = int(argv[0]), list(argv[2:])
    signal.pthread_sigmask(signal.SIG_BLOCK, _WATCHED)
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != stage_pid:  # the stage died before the death signal was armed
        return 128 + signal.SIGTERM
    try:
        command_pid = os.posix_spawnp(command[0], command, os.environ, setsigmask=())
    except OSError as exc:
        print(f"cannot run {command[0]}: {exc.strerror}", file=sys.stderr)
        return 127
    status = None
    while status is None:
        received = signal.sigtimedwait(_WATCHED, 1.0)
        if received is not None and received.si_signo != signal.SIGCHLD:
            status = _end_descendants(command_pid, None)
            return 128 + received.si_signo if status is None else status
        status = _reap(command_pid, status)
    _end_descendants(command_pid, status)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
