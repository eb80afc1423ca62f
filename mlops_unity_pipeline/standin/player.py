"""``python -m mlops_unity_pipeline.standin.player``: the process mlagents-learn launches.

Started as ``<Name>.x86_64 [-nographics -batchmode] --mlagents-port N -logFile PATH [env args]``
(the launcher adds ``--behavior behavior.json``). It connects to the trainer's gRPC server as
Unity's ``RpcCommunicator`` does, runs the handshake, answers every RESET and STEP, and exits:

- 0 when the trainer closes the conversation (status 400, or its server cancelling the pending
  call) or sends QUIT,
- 1 when a message breaks the protocol (logged, and the trainer told with status 400),
- 2 when the player cannot start (bad arguments, bad behavior.json),
- 3 when the trainer goes away (connection lost, or the process that launched the player, or
  its parent, died).

It never waits on wall-clock time: ``time_scale`` is recorded, not slept on.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import time
from collections.abc import Sequence

import grpc
from mlagents_envs.communicator_objects.unity_message_pb2 import UnityMessageProto
from mlagents_envs.communicator_objects.unity_to_external_pb2_grpc import UnityToExternalProtoStub

from ..behavior.spec import BEHAVIOR_FILE, BehaviorFileError, BehaviorSpec
from ..errors import MLOpsError
from .protocol import STATUS_CLOSE, STATUS_OK, ProtocolError, check_communication_version, initialization_message, wrap
from .session import Session

EXIT_CLOSED, EXIT_PROTOCOL, EXIT_STARTUP, EXIT_TRAINER_GONE = 0, 1, 2, 3
#: Unity's port when none is given (the Editor's training port).
DEFAULT_PORT = 5004
#: How long the first call waits for the trainer's server to accept connections.
CONNECT_TIMEOUT_S = 60.0
#: How long the farewell (status 400) after a protocol error may take.
FAREWELL_TIMEOUT_S = 2.0
#: How often the player writes a progress line to its log.
PROGRESS_EVERY_S = 30.0


#: What gRPC says to a client whose pending call the server cancelled by stopping on purpose
#: (``grpc_server_cancel_all_calls``); a server that died says "Socket closed" instead.
SERVER_STOPPED_DETAILS = "Cancelling all calls"


class TrainerGone(MLOpsError):
    """The trainer's end of the connection is no longer there."""


class TrainerClosed(TrainerGone):
    """The trainer stopped its server while the player's call was pending: its way of closing.

    mlagents' ``RpcCommunicator.close`` hands the pending call a status 400 reply and stops the
    server at once, without grace, so whether the reply or the cancellation reaches the player
    is a matter of thread scheduling. Both mean the trainer ended the conversation on purpose.
    """


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    """Unity's own flags plus ``--behavior``; anything else is an environment argument, kept for the log."""
    parser = argparse.ArgumentParser(prog="standin-player", allow_abbrev=False, add_help=True)
    parser.add_argument("--behavior", required=True, help=f"{BEHAVIOR_FILE} of the behaviour to simulate")
    parser.add_argument("--mlagents-port", type=int, default=DEFAULT_PORT)
    parser.add_argument("-logFile", "-logfile", dest="log_file", default=None)
    parser.add_argument("-nographics", action="store_true")
    parser.add_argument("-batchmode", action="store_true")
    return parser.parse_known_args(argv)


def open_log(path: str | None) -> logging.Logger:
    """Log to ``-logFile`` (``-`` or none: standard error), one flushed line per record."""
    log = logging.getLogger("mlops_unity_pipeline.standin.player")
    log.setLevel(logging.INFO)
    log.propagate = False
    if path and path != "-":
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    return log


class Connection:
    """The gRPC client side of ``UnityToExternalProto/Exchange``."""

    def __init__(self, port: int) -> None:
        self.port = port
        self._channel = grpc.insecure_channel(f"localhost:{port}")
        self._stub = UnityToExternalProtoStub(self._channel)

    def exchange(self, message: UnityMessageProto, first: bool = False) -> UnityMessageProto:
        try:
            if first:
                return self._stub.Exchange(message, wait_for_ready=True, timeout=CONNECT_TIMEOUT_S)
            return self._stub.Exchange(message)
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.UNAVAILABLE and exc.details() == SERVER_STOPPED_DETAILS:
                raise TrainerClosed(f"the trainer on port {self.port} stopped its server") from None
            raise TrainerGone(f"lost the trainer on port {self.port}: {exc.code().name} {exc.details()}") from None

    def farewell(self) -> None:
        """Tell the trainer the player is leaving, as Unity's communicator does on Dispose."""
        try:
            self._stub.Exchange(wrap(None, STATUS_CLOSE), timeout=FAREWELL_TIMEOUT_S)
        except grpc.RpcError:
            pass

    def close(self) -> None:
        self._channel.close()


def watch_launchers(log: logging.Logger) -> None:
    """Exit when the process that launched the player, or the one that launched it, dies.

    mlagents-learn starts the player from a worker process; when the trainer itself is killed
    the worker may linger while nobody will ever step the player again, so the grandparent is
    watched too. Checked every second, even while a call is pending.
    """
    watched = [pid for pid in (os.getppid(), _parent_of(os.getppid())) if pid and pid > 1]
    expected = [_parent_of(pid) for pid in watched]

    def watch() -> None:
        while all(_parent_of(pid) == parent for pid, parent in zip(watched, expected)) and os.getppid() == watched[0]:
            time.sleep(1.0)
        log.error("a process that launched the player (pids %s) has exited; the trainer is gone, exiting", watched)
        logging.shutdown()
        os._exit(EXIT_TRAINER_GONE)

    if watched:
        threading.Thread(target=watch, name="launcher-watch", daemon=True).start()


def _parent_of(pid: int) -> int | None:
    """The parent pid of ``pid`` from /proc (None when it has exited or /proc is unavailable)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def converse(spec: BehaviorSpec, connection: Connection, log: logging.Logger) -> int:
    """The whole conversation: handshake, then one reply per trainer input until close."""
    reply = connection.exchange(initialization_message(spec.behavior_name), first=True)
    _check_status(reply)
    init = reply.unity_input.rl_initialization_input
    check_communication_version(init.communication_version)
    num_areas = max(1, init.num_areas)
    log.info(
        "connected: trainer mlagents %s, communication API %s, seed %d, %d area(s)",
        init.package_version,
        init.communication_version,
        init.seed,
        num_areas,
    )
    session = Session(spec, num_areas=num_areas, seed=init.seed, log=log)
    reply = connection.exchange(wrap(None))
    started = last_progress = time.monotonic()
    while True:
        if reply.header.status == STATUS_CLOSE:
            log.info("the trainer closed the connection (status 400)")
            break
        _check_status(reply)
        computing = time.perf_counter()
        message = session.reply(reply.unity_input.rl_input)
        session.totals.compute_s += time.perf_counter() - computing
        if message is None:
            log.info("the trainer sent QUIT")
            break
        try:
            reply = connection.exchange(message)
        except TrainerClosed:
            log.info("the trainer closed the connection (its server cancelled the pending call)")
            break
        if time.monotonic() - last_progress > PROGRESS_EVERY_S:
            last_progress = time.monotonic()
            _log_totals(log, session, last_progress - started)
    _log_totals(log, session, time.monotonic() - started)
    return EXIT_CLOSED


def _check_status(reply: UnityMessageProto) -> None:
    if reply.header.status not in (STATUS_OK, STATUS_CLOSE):
        raise ProtocolError(
            f"message with header status {reply.header.status} ({reply.header.message!r}); expected 200 or 400"
        )
    if reply.header.status == STATUS_CLOSE:
        raise TrainerGone("the trainer closed the connection during the handshake (status 400)")


def _log_totals(log: logging.Logger, session: Session, elapsed: float) -> None:
    totals = session.totals
    rate = totals.decisions / elapsed if elapsed > 0 else 0.0
    log.info(
        "%d agent steps, %d episodes (%d successful), %.0f agent steps/s, %.3f s of %.3f s simulating; "
        "time_scale %s (not slept on)",
        totals.decisions,
        totals.episodes,
        totals.successes,
        rate,
        totals.compute_s,
        elapsed,
        session.settings.engine.get("time_scale", "unset"),
    )


def main(argv: Sequence[str] | None = None) -> int:
    args, extra = parse_args(sys.argv[1:] if argv is None else argv)
    log = open_log(args.log_file)
    log.info(
        "stand-in Unity player, pid %d, arguments: %s", os.getpid(), " ".join(sys.argv[1:] if argv is None else argv)
    )
    if extra:
        log.info("environment arguments (not used by the stand-in): %s", " ".join(extra))
    try:
        spec = BehaviorSpec.load(args.behavior)
    except (BehaviorFileError, OSError, ValueError, KeyError, TypeError) as exc:
        log.error("cannot load the behaviour from %s: %s", args.behavior, exc)
        return EXIT_STARTUP
    watch_launchers(log)
    connection = Connection(args.mlagents_port)
    try:
        return converse(spec, connection, log)
    except TrainerGone as exc:
        log.error("%s; exiting", exc)
        return EXIT_TRAINER_GONE
    except MLOpsError as exc:
        log.error("protocol error: %s; exiting", exc)
        connection.farewell()
        return EXIT_PROTOCOL
    finally:
        connection.close()
        logging.shutdown()


if __name__ == "__main__":
    sys.exit(main())
