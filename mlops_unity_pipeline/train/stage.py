"""The training stage: run mlagents-learn against a build, then check and summarise what it made.

Output layout (``out/``)::

    trainer_config.yaml   the effective config mlagents-learn ran with
    trainer.log           mlagents-learn's output, appended across attempts
    results/<run-id>/     mlagents' own results: checkpoints, TensorBoard events, run_logs/
    policy.onnx           the exported policy, checked against the BehaviorSpec
    metrics.json          see :mod:`.metrics`
    reward_curve.png, report.html
    train_state.json      attempts and wall time so far, and the inputs they were for

Running the stage again for the same inputs resumes from the last checkpoint (mlagents-learn
``--resume``), so a killed process or a preempted VM loses at most one checkpoint interval.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from .. import process_tree, trainer_env
from ..behavior import BehaviorSpec
from ..behavior.stats import SUCCESS_RATE
from ..build.generated import GeneratedOutput
from ..documents import dumps, write_document, write_text_atomic
from ..errors import TrainingError
from ..evaluation_report import ChampionModel
from ..layouts import BuildLayout, TrainLayout
from ..onnx_policy import PolicyMismatchError, check_policy, player_spec_of
from ..output_folder import claim_output_folder
from ..player_spec import PlayerSpec, check_trainer_config, player_behavior, probe_player
from ..ports import reserve_base_port
from ..seeds import config_seed
from .ahead import WorkAhead
from .command import RunPlan, training_command
from .device import choose_device
from .metrics import build_metrics, read_timers
from .players import PlayerLayout, apply_layout
from .progress import TrainingProgress
from .report import RewardCurve, write_report
from .summaries import parse_summaries, parse_summary
from .tensorboard_scalars import read_scalars

LOG_TAIL_LINES = 30
#: mlagents-learn's own max_steps when a user's trainer config leaves it out.
MLAGENTS_DEFAULT_MAX_STEPS = 500_000


@dataclass(frozen=True)
class TrainResult:
    """What the training stage produced."""

    out_dir: Path
    policy_path: Path
    metrics: dict[str, Any]
    resumed: bool

    @property
    def layout(self) -> TrainLayout:
        return TrainLayout(self.out_dir)

    @property
    def metrics_path(self) -> Path:
        return self.layout.metrics_path

    @property
    def report_path(self) -> Path:
        return self.layout.report_path

    @property
    def run_dir(self) -> Path:
        return self.layout.run_dir

    def copied_to(self, out_dir: str | Path) -> TrainResult:
        """Copy the stage's folder to ``out_dir`` (replacing what is there); the result as found there.

        Training runs in a folder every attempt finds again (checkpoints under a pipeline root), and
        the task's output artifact, new for each attempt, gets a copy when it succeeds.
        """
        out = Path(out_dir)
        if out.resolve() == self.out_dir.resolve():
            return self
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(self.out_dir, out, symlinks=True)
        return TrainResult(out, out / self.policy_path.relative_to(self.out_dir), self.metrics, self.resumed)


def training_folder(checkpoints: str | None, out_dir: str) -> tuple[str, str | None]:
    """Where to train: ``checkpoints`` (a folder every attempt finds again) if it is a folder here,
    else ``out_dir``, with a note saying why.

    A pipeline root the task cannot mount (Kubeflow Pipelines' ``minio://``) leaves the
    checkpoints in the output folder, and a retry of the task starts over.
    """
    if not checkpoints:
        return out_dir, None
    if "://" in checkpoints:
        return out_dir, f"{checkpoints} is not a folder here; training in {out_dir}, where a retry cannot resume"
    return checkpoints, None


def find_executable(build_dir: Path, behavior_name: str) -> Path:
    executable = BuildLayout(build_dir).player(behavior_name)
    if not executable.is_file() or not os.access(executable, os.X_OK):
        raise TrainingError(f"{executable} is not an executable player; run the build stage for this behaviour first")
    return executable


def _tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    if not path.exists():
        return f"({path} was not written)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _effective_config(generated: GeneratedOutput, demos: Path | None) -> dict[str, Any]:
    """Codegen's trainer config, with ``demos`` as the demonstrations of every section that uses them."""
    config = yaml.safe_load(generated.trainer_config_path.read_text())
    if demos is None:
        return config
    for behavior in config["behaviors"].values():
        users = [behavior.get("behavioral_cloning"), behavior["reward_signals"].get("gail")]
        if not any(users):
            raise TrainingError(
                "--demos was given but the trainer config uses no demonstrations; "
                "generate it with use_offline_rl: true and a demonstrations_path"
            )
        for section in filter(None, users):
            section["demo_path"] = str(demos.resolve())
    return config


def _load_state(out: TrainLayout, inputs: str) -> dict[str, Any]:
    """Attempts and wall time so far for ``inputs``; a fresh count when they were for other inputs."""
    path = out.state_path
    try:
        state = json.loads(path.read_text()) if path.exists() else {}
        valid = (
            isinstance(state, dict)
            and isinstance(state.get("attempts", 0), int)
            and isinstance(state.get("wall_time_s", 0.0), (int, float))
        )
    except ValueError as exc:
        valid, state = False, str(exc)
    if not valid:
        raise TrainingError(
            f"{path} is unreadable ({state}); delete it to train from scratch, "
            "or restore it to resume from the last checkpoint"
        )
    if state.get("inputs_sha256") != inputs:
        return {"inputs_sha256": inputs, "attempts": 0, "wall_time_s": 0.0}
    return state


def _check_build_matches(build_dir: Path, generated: GeneratedOutput) -> None:
    """Refuse a player built from other generated code: training it would waste the whole budget."""
    info_path = BuildLayout(build_dir).info_path
    if not info_path.is_file():
        return
    try:
        built_from = json.loads(info_path.read_text()).get("inputs_sha256")
    except (ValueError, AttributeError):
        raise TrainingError(f"{info_path} is unreadable; build again with the build stage") from None
    if built_from != generated.inputs_sha256:
        raise TrainingError(
            f"--build {build_dir} was built from other generated code (inputs {str(built_from)[:12]}) than "
            f"--generated {generated.root} (inputs {generated.inputs_sha256[:12]}); build this --generated folder first"
        )


def _run(
    command: list[str],
    env: trainer_env.TrainerEnv,
    log_path: Path,
    progress: TrainingProgress,
    ahead: WorkAhead,
) -> int:
    """Run mlagents-learn supervised (nothing it starts outlives it or this stage), streaming its output
    to the log, then to ``ahead`` and ``progress``, line by line."""
    with log_path.open("a", encoding="utf-8") as log:
        process = subprocess.Popen(
            process_tree.supervised(command),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env.environment(PYTHONUNBUFFERED="1"),
            start_new_session=True,
        )
        try:
            ahead.started()
            assert process.stdout is not None
            for line in process.stdout:
                log.write(line)
                log.flush()
                ahead.see(line)
                summary = parse_summary(line)
                if summary and summary.behavior == progress.behavior:
                    progress.update(summary)
            return process.wait()
        finally:
            process_tree.stop(process)


def _exported_policy(returncode: int, out: TrainLayout, behavior_name: str) -> Path:
    """The policy mlagents-learn exported, or an error with the trainer's and the players' last lines."""
    if returncode != 0:
        players = "\n".join(
            f"--- {log.name} (last {LOG_TAIL_LINES} lines)\n{_tail(log)}"
            for log in sorted(out.run_logs.glob(out.PLAYER_LOGS))
        )
        raise TrainingError(
            f"mlagents-learn exited with status {returncode}\n"
            f"--- trainer log {out.log_path} (last {LOG_TAIL_LINES} lines)\n{_tail(out.log_path)}\n" + players
        )
    exported = out.exported_policy(behavior_name)
    if not exported.exists():
        raise TrainingError(f"mlagents-learn succeeded but wrote no policy at {exported}")
    return exported


def train(
    build_dir: str | Path,
    generated_dir: str | Path,
    out_dir: str | Path,
    demos: str | Path | None = None,
    resume: bool = False,
    device: str | None = None,
    seed: int | None = None,
    champion: ChampionModel | None = None,
) -> TrainResult:
    """Train the behaviour in ``generated_dir`` against the player in ``build_dir``.

    Resumes automatically when ``out_dir`` holds a checkpoint for the same inputs; with
    ``resume=True`` a missing checkpoint is an error instead of a fresh start. ``seed`` replaces
    the trainer config's ``env_settings.seed`` (one of an asset's training seeds). A ``champion``
    that does not fit the behaviour fails before training (:func:`check_champion`).
    """
    build_dir = Path(build_dir)
    generated = GeneratedOutput.load(generated_dir)
    spec = BehaviorSpec.load(generated.behavior_path)
    executable = find_executable(build_dir, spec.behavior_name)
    _check_build_matches(build_dir, generated)
    check_champion(champion, spec)
    config = _effective_config(generated, Path(demos) if demos else None)
    env = _trainer_env()
    _check_cloning_demonstrations(config["behaviors"][spec.behavior_name], spec, env)
    return _train_player(
        env,
        executable,
        spec,
        config,
        generated.inputs_sha256,
        Path(out_dir),
        resume,
        device,
        fit_players=generated.fit_players_to_cores,
        seed=seed,
    )


def train_existing(
    executable: str | Path,
    trainer_config: str | Path,
    behavior_name: str,
    out_dir: str | Path,
    resume: bool = False,
    device: str | None = None,
    seed: int | None = None,
    champion: ChampionModel | None = None,
) -> TrainResult:
    """Train a player the pipeline did not generate, with the user's own trainer config (its
    ``env_settings.seed`` replaced by ``seed`` when given).

    Writes the behaviour as the player declared it to ``out/player.json``, which registration
    stores with the model in place of ``behavior.json``.

    The player's behaviours are read at the ML-Agents handshake first: a behaviour it does not
    have, a trainer config that does not configure it, or a ``champion`` whose shapes differ
    from the player's fails here, before any training.
    Its players start exactly as the config says: whether such a player replicates its scene
    for ``num_areas`` is unknown, so fewer players could mean fewer agents.
    """
    executable, trainer_config = Path(executable), Path(trainer_config)
    player = player_behavior(probe_player(executable), behavior_name, executable)
    check_trainer_config(trainer_config, player)
    check_champion(champion, player)
    config = yaml.safe_load(trainer_config.read_text(encoding="utf-8"))
    inputs = hashlib.sha256(json.dumps([config, player.to_dict()], sort_keys=True).encode()).hexdigest()
    trained = _train_player(
        _trainer_env(), executable, player, config, inputs, Path(out_dir), resume, device, seed=seed
    )
    write_document(trained.layout.player_path, player.to_dict())
    return trained


def check_champion(champion: ChampionModel | None, spec: BehaviorSpec | PlayerSpec) -> None:
    """The registered champion must fit the behaviour about to be trained.

    The paired quality gate runs the champion on this player after training; a champion made
    for other observations or actions (a team changed its Agent, or an asset's spaces changed)
    would fail there, after the whole training budget is spent. The error names both shapes.
    """
    if champion is None:
        return
    try:
        check_policy(champion.path, spec)
    except PolicyMismatchError as exc:
        declared = (spec if isinstance(spec, PlayerSpec) else player_spec_of(spec)).describe()
        raise TrainingError(
            f"the registered champion (version {champion.version}) does not fit the {declared}; the quality gate "
            f"would run it on this player after training, so nothing was trained. {exc}\nGive this behaviour "
            "another model name (model_name), or promote a version that fits as champion"
        ) from None


def _check_cloning_demonstrations(behavior: dict[str, Any], spec: BehaviorSpec, env: trainer_env.TrainerEnv) -> None:
    """Refuse demonstrations that behavioural cloning cannot learn from before mlagents-learn starts."""
    if behavior.get("behavioral_cloning"):
        from .demonstrations import validate_demonstrations

        validate_demonstrations(Path(behavior["behavioral_cloning"]["demo_path"]), spec, env)


def _trainer_env() -> trainer_env.TrainerEnv:
    env = trainer_env.locate()
    if env is None:
        raise TrainingError("no trainer environment with mlagents-learn: run 'make trainer-env'")
    return env


def _train_player(
    env: trainer_env.TrainerEnv,
    executable: Path,
    spec: BehaviorSpec | PlayerSpec,
    config: dict[str, Any],
    inputs_sha256: str,
    out_dir: Path,
    resume: bool,
    device: str | None,
    fit_players: bool = False,
    seed: int | None = None,
) -> TrainResult:
    """Run mlagents-learn with ``config`` against ``executable``, then check and summarise its policy.

    With ``fit_players``, fewer players with more areas each when the cores serve fewer than
    ``num_envs`` (:mod:`.players`). A ``seed`` other than the config's is part of the inputs a
    checkpoint is resumed for: a folder trained with another seed starts over.
    """
    stage_started = time.monotonic()
    out = TrainLayout(out_dir)
    config, inputs_sha256 = _with_seed(config, inputs_sha256, seed)
    behavior_name = spec.behavior_name
    behavior = config["behaviors"][behavior_name]
    max_steps = int(behavior.get("max_steps", MLAGENTS_DEFAULT_MAX_STEPS))
    claim_output_folder(out_dir, "train", out.STATE)
    state, resuming = _resume_state(out, inputs_sha256, behavior_name, resume)
    players = _write_effective_config(out, config, fit_players)
    chosen_device = choose_device(env, device)
    progress = TrainingProgress(behavior_name, max_steps)
    plan = RunPlan(
        env.mlagents_learn,
        out.trainer_config_path,
        executable,
        out.RUN_ID,
        out.results_dir,
        0,
        chosen_device,
        players.num_envs,
        resuming,
    )
    trainer_type = behavior.get("trainer_type", "ppo")
    with closing(WorkAhead(behavior_name, trainer_type, out.log_path, out.run_dir / behavior_name)) as ahead:
        returncode, trained_s = _run_attempt(env, out, state, plan, progress, ahead)
        exported = _exported_policy(returncode, out, behavior_name)
        policy_path = _install_policy(exported, spec, out)
        scalars = read_scalars(out.run_dir / behavior_name)
        metrics = build_metrics(
            behavior=behavior_name,
            trainer_type=trainer_type,
            device=chosen_device,
            max_steps=max_steps,
            summaries=parse_summaries(out.log_path.read_text(errors="replace"), behavior_name),
            scalars=scalars,
            timers=read_timers(out.timers_path),
            wall_time_s=state["wall_time_s"],
            attempts=state["attempts"],
            players=players.to_dict(),
        )
        png = ahead.reward_curve_png(RewardCurve.of(metrics, scalars.get(SUCCESS_RATE)))
        _write_summary(out, metrics, png, trained_s, stage_started)
    return TrainResult(out_dir, policy_path, metrics, resuming)


def _with_seed(config: dict[str, Any], inputs_sha256: str, seed: int | None) -> tuple[dict[str, Any], str]:
    """``config`` training with ``seed``, and the inputs a checkpoint is resumed for: a seed other than
    the config's makes them other inputs."""
    if seed is None or seed == config_seed(config):
        return config, inputs_sha256
    config = {**config, "env_settings": {**(config.get("env_settings") or {}), "seed": seed}}
    return config, hashlib.sha256(f"{inputs_sha256}:seed={seed}".encode()).hexdigest()


def _resume_state(
    out: TrainLayout, inputs_sha256: str, behavior_name: str, resume: bool
) -> tuple[dict[str, Any], bool]:
    """The attempts so far and whether a checkpoint is there to resume from; a first attempt starts clean.

    ``resume`` makes a missing checkpoint an error instead of a fresh start.
    """
    state = _load_state(out, inputs_sha256)
    if state["attempts"] == 0:
        shutil.rmtree(out.results_dir, ignore_errors=True)
        out.log_path.unlink(missing_ok=True)
    checkpoint = out.checkpoint(behavior_name)
    resuming = checkpoint.exists()
    if resume and not resuming:
        raise TrainingError(f"--resume was given but there is no checkpoint at {checkpoint}")
    return state, resuming


def _write_effective_config(out: TrainLayout, config: dict[str, Any], fit_players: bool) -> PlayerLayout:
    """Fit the players to the cores when allowed (noted in the trainer log), then write the config mlagents-learn runs."""
    players = apply_layout(config, fit_players)
    if players.fitted:
        print(f"note: {players.note()}", file=sys.stderr, flush=True)
        with out.log_path.open("a", encoding="utf-8") as log:
            log.write(f"note: {players.note()}\n")
    write_text_atomic(out.trainer_config_path, dumps(config, out.trainer_config_path))
    return players


def _run_attempt(
    env: trainer_env.TrainerEnv,
    out: TrainLayout,
    state: dict[str, Any],
    plan: RunPlan,
    progress: TrainingProgress,
    ahead: WorkAhead,
) -> tuple[int, float]:
    """Run mlagents-learn once as ``plan`` says, on ports reserved for it (its ``base_port`` is not used);
    the attempt and its wall time are recorded even when it fails.

    Returns mlagents-learn's exit status and the seconds it ran.
    """
    started = time.monotonic()
    state["attempts"] += 1
    write_document(out.state_path, state)
    try:
        with reserve_base_port(plan.num_envs) as base_port:
            command = training_command(replace(plan, base_port=base_port))
            returncode = _run(command, env, out.log_path, progress, ahead)
    finally:
        progress.close()
        trained_s = time.monotonic() - started
        state["wall_time_s"] += trained_s
        write_document(out.state_path, state)
    return returncode, trained_s


def _write_summary(
    out: TrainLayout, metrics: dict[str, Any], png: bytes, trained_s: float, stage_started: float
) -> None:
    """Write the report (``png``, its reward curve), then ``metrics.json`` with the stage's own timing
    added (after the report: it counts the report's time too)."""
    write_report(out, metrics, png)
    metrics["stage_seconds"] = {
        "mlagents_learn": round(trained_s, 3),
        "total": round(time.monotonic() - stage_started, 3),
    }
    write_document(out.metrics_path, metrics)


def _install_policy(exported: Path, spec: BehaviorSpec | PlayerSpec, out: TrainLayout) -> Path:
    """Check the exported policy against the behaviour, then make it the stage's policy file."""
    check_policy(exported, spec)
    shutil.copyfile(exported, out.policy_path)
    return out.policy_path
