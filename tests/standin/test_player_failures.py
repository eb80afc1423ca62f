"""Bad messages, a vanished trainer, a bad behaviour: the player logs why and exits, never hangs."""

from __future__ import annotations

import os
import signal
import subprocess
import textwrap
import time
from pathlib import Path

import pytest

from mlops_unity_pipeline import trainer_env as trainer_env_module

#: A trainer-side gRPC server that follows the protocol until its ``mode`` says to misbehave.
FAKE_TRAINER = textwrap.dedent("""
    import os, sys, threading, time
    from concurrent import futures
    import grpc
    from mlagents_envs.communicator_objects.unity_message_pb2 import UnityMessageProto
    from mlagents_envs.communicator_objects.unity_to_external_pb2_grpc import (
        UnityToExternalProtoServicer, add_UnityToExternalProtoServicer_to_server)

    mode, port = sys.argv[1], int(sys.argv[2])
    RESET, STEP = 1, 0

    class Trainer(UnityToExternalProtoServicer):
        calls = 0
        def Exchange(self, request, context):
            Trainer.calls += 1
            reply = UnityMessageProto()
            reply.header.status = 200
            if Trainer.calls == 1:
                init = reply.unity_input.rl_initialization_input
                init.communication_version = "2.0.0" if mode == "wrong_version" else "1.5.0"
                init.num_areas = 2
                return reply
            if Trainer.calls == 2:
                if mode == "bad_status":
                    reply.header.status = 500
                elif mode == "step_first":
                    reply.unity_input.rl_input.command = STEP
                elif mode == "vanish":
                    os._exit(0)
                elif mode == "silent":
                    time.sleep(3600)
                else:
                    reply.unity_input.rl_input.command = RESET
                    if mode == "bad_side_channel":
                        reply.unity_input.rl_input.side_channel = b"\\x01\\x02\\x03"
                return reply
            if Trainer.calls == 3 and mode == "close":
                reply.header.status = 400
                return reply
            if Trainer.calls == 3 and mode == "stop":
                # What mlagents' RpcCommunicator.close does when its reply loses the race.
                threading.Thread(target=server.stop, args=(False,)).start()
                time.sleep(3600)
            if Trainer.calls == 3 and mode == "wrong_action_count":
                rl_input = reply.unity_input.rl_input
                rl_input.command = STEP
                rl_input.agent_actions["SimpleAgent?team=0"].value.add().continuous_actions.extend([0.0, 0.0])
                return reply
            return reply

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    add_UnityToExternalProtoServicer_to_server(Trainer(), server)
    server.add_insecure_port(f"localhost:{port}")
    server.start()
    print("listening", flush=True)
    server.wait_for_termination(timeout=120)
""")


@pytest.fixture
def fake_trainer(trainer_env, base_port, tmp_path):
    """Start the fake trainer in ``mode``; yields (port, process)."""
    started = []

    def start(mode: str) -> subprocess.Popen:
        env = {**os.environ, "PYTHONPATH": trainer_env_module.library_pythonpath()}
        process = subprocess.Popen(
            [str(trainer_env.python), "-c", FAKE_TRAINER, mode, str(base_port)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        started.append(process)
        assert process.stdout.readline().strip() == "listening"
        return process

    yield base_port, start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


def run_player(executable: Path, port: int, log: Path, timeout: float = 60) -> int:
    return subprocess.run(
        [str(executable), "-nographics", "-batchmode", "--mlagents-port", str(port), "-logFile", str(log)],
        timeout=timeout,
        check=False,
    ).returncode


@pytest.mark.parametrize(
    ("mode", "status", "says"),
    [
        ("bad_status", 1, "message with header status 500"),
        ("step_first", 1, "the trainer sent STEP before any RESET"),
        ("bad_side_channel", 1, "bad side-channel data"),
        ("wrong_action_count", 1, "1 actions for 'SimpleAgent?team=0', but 2 agents asked for a decision"),
        ("wrong_version", 1, "the trainer speaks communication API 2.0.0"),
        ("vanish", 3, "lost the trainer"),
    ],
)
def test_a_bad_or_vanished_trainer_ends_the_player(simple_agent, fake_trainer, tmp_path, mode, status, says):
    port, start = fake_trainer
    start(mode)
    log = tmp_path / "player.log"
    assert run_player(simple_agent, port, log) == status
    assert says in log.read_text()


@pytest.mark.parametrize(
    ("mode", "says"),
    [
        ("close", "the trainer closed the connection (status 400)"),
        ("stop", "the trainer closed the connection (its server cancelled the pending call)"),
    ],
)
def test_a_trainer_that_closes_ends_the_player_cleanly(simple_agent, fake_trainer, tmp_path, mode, says):
    """mlagents' close replies 400 and stops its server at once; whichever the player sees, it exits 0."""
    port, start = fake_trainer
    start(mode)
    log = tmp_path / "player.log"
    assert run_player(simple_agent, port, log) == 0
    assert says in log.read_text()
    assert "ERROR" not in log.read_text()


def test_the_player_exits_when_its_launcher_dies(simple_agent, fake_trainer, tmp_path):
    port, start = fake_trainer
    start("silent")
    log = tmp_path / "player.log"
    launcher = subprocess.Popen(["sh", "-c", f'"{simple_agent}" --mlagents-port {port} -logFile "{log}" & wait'])
    deadline = time.monotonic() + 30
    while "connected" not in (log.read_text() if log.exists() else "") and time.monotonic() < deadline:
        time.sleep(0.2)
    pid = int(log.read_text().split("pid ")[1].split(",")[0])
    os.kill(launcher.pid, signal.SIGKILL)
    launcher.wait()
    deadline = time.monotonic() + 15
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(pid)
    assert "has exited; the trainer is gone" in log.read_text()


def test_the_player_exits_when_the_trainer_above_its_launcher_dies(simple_agent, fake_trainer, tmp_path):
    """As when mlagents-learn is killed and its worker process lingers."""
    port, start = fake_trainer
    start("silent")
    log = tmp_path / "player.log"
    trainer = subprocess.Popen(
        ["sh", "-c", f'sh -c \'"{simple_agent}" --mlagents-port {port} -logFile "{log}"; sleep 60\' & wait']
    )
    deadline = time.monotonic() + 30
    while "connected" not in (log.read_text() if log.exists() else "") and time.monotonic() < deadline:
        time.sleep(0.2)
    pid = int(log.read_text().split("pid ")[1].split(",")[0])
    worker = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    os.kill(trainer.pid, signal.SIGKILL)
    trainer.wait()
    try:
        deadline = time.monotonic() + 15
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _alive(worker), "the lingering worker stays; only the player must go"
        assert not _alive(pid)
        assert "has exited; the trainer is gone" in log.read_text()
    finally:
        os.kill(worker, signal.SIGKILL)


def test_an_unreadable_behaviour_is_a_startup_error(trainer_env, tmp_path):
    behavior = tmp_path / "behavior.json"
    behavior.write_text("{}")
    log = tmp_path / "player.log"
    env = {**os.environ, "PYTHONPATH": trainer_env_module.library_pythonpath()}
    result = subprocess.run(
        [
            str(trainer_env.python),
            "-m",
            "mlops_unity_pipeline.standin.player",
            "--behavior",
            str(behavior),
            "-logFile",
            str(log),
        ],
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert f"cannot load the behaviour from {behavior}" in log.read_text()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
