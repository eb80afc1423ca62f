"""Benchmark of the stand-in player's raw rate, in agent-steps per second.

    .venv/bin/python bench/bench_standin.py                 # print the results
    .venv/bin/python bench/bench_standin.py --write-docs    # also update docs/benchmarks.md

Three levels, for the seed's SimpleAgent (reach + avoid, 8 rays, 2 obstacles):

- ``TaskWorld.step`` alone (numpy, in-process), for 1 to 128 areas;
- the player's reply to one decision, in-process: parse the trainer's input, simulate, build and
  serialize the message (``Session.reply``), in CPU microseconds of its thread, which the
  machine's other work changes little;
- the player over gRPC, driven by mlagents_envs' own ``UnityEnvironment`` with random actions,
  as an mlagents-learn worker drives it. The loop's rate includes the driver's costs; the
  player's own rate divides its agent steps by the time it spent simulating and building
  messages (from its log), leaving out the wait for the other side.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from report import bench_arguments, machine, publish
from standin_common import SIMPLE_AGENT, require_trainer_env, simple_agent_player

from mlops_unity_pipeline import trainer_env
from mlops_unity_pipeline.behavior import BehaviorSpec
from mlops_unity_pipeline.ports import reserve_base_port
from mlops_unity_pipeline.standin.world import TaskWorld

SECTION = "## Stand-in player: raw rate"
AREAS = (1, 8, 32, 128)

DRIVER = """
import json, sys, time
import numpy as np
from mlagents_envs.base_env import ActionTuple
from mlagents_envs.environment import UnityEnvironment
executable, port, areas, steps, logs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
env = UnityEnvironment(executable, base_port=port, seed=0, num_areas=areas, no_graphics=True, log_folder=logs)
env.reset()
(name,) = env.behavior_specs
rng = np.random.default_rng(0)
start = time.perf_counter()
agent_steps = 0
for _ in range(steps):
    decisions, _ = env.get_steps(name)
    env.set_actions(name, ActionTuple(continuous=rng.uniform(-1, 1, (len(decisions), 2)).astype(np.float32)))
    env.step()
    agent_steps += len(decisions)
elapsed = time.perf_counter() - start
env.close()
print(json.dumps({"agent_steps": agent_steps, "seconds": elapsed}))
"""
REPLY_COST = """
import json, logging, sys, time
import numpy as np
from mlagents_envs.communicator_objects.command_pb2 import RESET, STEP
from mlagents_envs.communicator_objects.unity_input_pb2 import UnityInputProto
from mlops_unity_pipeline.behavior import BehaviorSpec
from mlops_unity_pipeline.standin.protocol import behavior_key
from mlops_unity_pipeline.standin.session import Session
spec, areas, decisions = BehaviorSpec.load(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(0)
inputs = []
for _ in range(decisions):
    message = UnityInputProto()
    message.rl_input.command = STEP
    listed = message.rl_input.agent_actions[behavior_key(spec)].value
    for action in rng.uniform(-1, 1, (areas, 2)):
        listed.add().continuous_actions.extend(action.tolist())
    inputs.append(message.SerializeToString())
best = float("inf")
for _ in range(5):
    session = Session(spec, num_areas=areas, seed=0, log=logging.getLogger("bench"))
    reset = UnityInputProto()
    reset.rl_input.command = RESET
    session.reply(reset.rl_input)
    start = time.thread_time()
    for raw in inputs:
        session.reply(UnityInputProto.FromString(raw).rl_input).SerializeToString()
    best = min(best, (time.thread_time() - start) / decisions)
print(json.dumps({"us_per_decision": best * 1e6}))
"""
SIMULATING = re.compile(r"(\d+) agent steps, .* ([\d.]+) s of ([\d.]+) s simulating")


def world_rate(spec: BehaviorSpec, areas: int, seconds: float = 2.0) -> float:
    world = TaskWorld(spec, num_areas=areas, seed=0)
    world.reset()
    rng = np.random.default_rng(0)
    actions = rng.uniform(-1, 1, size=(64, areas, 2))
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        result = world.step(actions[steps % 64])
        if result.done.any():
            world.reset_areas(result.done, result.observations)
        steps += 1
    return steps * areas / (time.perf_counter() - start)


def reply_cost_us(areas: int, decisions: int = 1000) -> float:
    """The player's CPU microseconds per decision (best of 5 runs), in the trainer environment."""
    env = require_trainer_env()
    result = subprocess.run(
        [str(env.python), "-c", REPLY_COST, str(SIMPLE_AGENT / "generated"), str(areas), str(decisions)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": trainer_env.library_pythonpath()},
    )
    return json.loads(result.stdout.strip().splitlines()[-1])["us_per_decision"]


def player_rate(executable: Path, areas: int, steps: int, scratch: Path) -> tuple[float, float]:
    """(loop agent-steps/s, the player's own agent-steps/s while simulating)."""
    env = require_trainer_env()
    logs = scratch / f"logs-{areas}"
    with reserve_base_port(1) as port:
        result = subprocess.run(
            [str(env.python), "-c", DRIVER, str(executable), str(port), str(areas), str(steps), str(logs)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": trainer_env.library_pythonpath()},
        )
    loop = json.loads(result.stdout.strip().splitlines()[-1])
    match = SIMULATING.findall((logs / "Player-0.log").read_text())[-1]
    return loop["agent_steps"] / loop["seconds"], int(match[0]) / float(match[1])


def run(steps: int, scratch: Path) -> str:
    spec = BehaviorSpec.load(SIMPLE_AGENT / "generated")
    executable = simple_agent_player(scratch)
    rows = []
    for areas in AREAS:
        world = world_rate(spec, areas)
        reply = reply_cost_us(areas)
        loop, own = player_rate(executable, areas, steps, scratch)
        rows.append(f"| {areas} | {world:,.0f} | {reply:,.0f} | {loop:,.0f} | {own:,.0f} |")
        print(rows[-1], file=sys.stderr)
    return "\n".join(
        [
            SECTION,
            "",
            f"`python bench/bench_standin.py --steps {steps}` on {machine()}.",
            "SimpleAgent (reach + avoid: 8 rays, 2 obstacles, 12 observations, 2 continuous actions),",
            f"random actions, {steps} decisions per run over gRPC.",
            "",
            (
                "| areas | `TaskWorld.step` alone (agent-steps/s) | player's reply to one decision (CPU µs) "
                "| player over gRPC, whole loop (agent-steps/s) | player's own rate while simulating (agent-steps/s) |"
            ),
            "| --- | --- | --- | --- | --- |",
            *rows,
            "",
            "The reply is the player's work for one decision without the transport: parsing the trainer's",
            "input, simulating every area, building and serializing the reply (CPU time of its thread).",
            "The whole loop includes mlagents_envs' side (protobuf parsing, its gRPC server thread and",
            "pipe); the player's own rate is its agent steps over the time it spent simulating and",
            "building replies. Per decision the cost is mostly fixed (numpy call overhead, one gRPC",
            "round trip), so more areas per player give more agent steps per second.",
            "",
        ]
    )


def main() -> None:
    parser = bench_arguments(__doc__)
    parser.add_argument("--steps", type=int, default=2000, help="decisions per gRPC run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        section = run(args.steps, Path(scratch))
    publish(section, SECTION, args.write_docs)


if __name__ == "__main__":
    main()
