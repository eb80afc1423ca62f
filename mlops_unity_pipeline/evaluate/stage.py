"""The evaluate stage: check the ONNX policy against the BehaviorSpec, run N seeded episodes, report.

Given the registry's champion, the stage runs it too, on the same seeded episodes (the same
start states, episode by episode), at the same time as the candidate, so the quality gate can
compare the two pair by pair.

Against a stand-in build the policy drives the simulation in-process (no Unity, no gRPC);
against a Unity build it drives the player through mlagents_envs, in the trainer environment.
The backend is the one the build stage recorded in ``build_info.json``; ``backend="unity"``
forces the player path for any build (a stand-in build is a player too).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .. import trainer_env
from ..behavior import BehaviorSpec
from ..codegen.manifest import sha256_file
from ..errors import EvaluationError
from ..evaluation_report import ChampionEpisodes, ChampionModel, Episode, EvaluationReport
from ..layouts import BuildLayout, EvaluationLayout
from ..onnx_policy import OnnxPolicy
from ..ports import reserve_base_port
from ..seeds.selection import check_fresh_episodes
from .standin_episodes import run_standin_episodes

BACKENDS = ("auto", "standin", "unity")
#: Seconds the player may take for all episodes before the evaluation is declared stuck.
UNITY_TIMEOUT_S = 1800


def evaluate(
    model: str | os.PathLike[str],
    build: str | os.PathLike[str],
    generated: str | os.PathLike[str],
    episodes: int,
    out: str | os.PathLike[str],
    *,
    seed: int = 0,
    backend: str = "auto",
    log: Callable[[str], None] = lambda message: None,
    champion: ChampionModel | None = None,
    selection: Mapping[str, Any] | None = None,
) -> EvaluationReport:
    """Evaluate ``model`` (and ``champion``, on the same episodes) for ``episodes`` episodes.

    ``selection`` (a ``seed_selection.json`` document) says ``model`` was chosen among training
    seeds; it must have been chosen on other episodes than these (:func:`check_fresh_episodes`),
    and is recorded in the report when there was more than one seed to choose from. Writes
    ``out/eval_metrics.json`` and returns the report.
    """
    if not isinstance(episodes, int) or episodes < 1:
        raise EvaluationError(f"episodes is {episodes!r}; give a whole number >= 1")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise EvaluationError(f"seed is {seed!r}; give a whole number >= 0")
    if backend not in BACKENDS:
        raise EvaluationError(f"backend {backend!r} is not one of {', '.join(BACKENDS)}")
    model, build, out = Path(model), Path(build), Path(out)
    _check_out_folder(out)
    if selection is not None:
        check_fresh_episodes(selection, sha256_file(model), seed)
    spec = BehaviorSpec.load(generated)
    models = [model] if champion is None else [model, Path(champion.path)]
    for path in models:
        OnnxPolicy(path, spec)  # refuse a policy of another behaviour before running anything
    info = _build_info(build)
    out.mkdir(parents=True, exist_ok=True)  # before the episodes: an unusable --out fails at once
    chosen = info["backend"] if backend == "auto" else backend
    against = "" if champion is None else f" against champion version {champion.version}"
    log(f"evaluating {model.name}{against} on the {chosen} path for {episodes} episodes (seed {seed})")

    def run(path: Path) -> list[Episode]:
        if chosen == "standin":
            return run_standin_episodes(spec, OnnxPolicy(path, spec), episodes, seed)
        return _run_player(
            build / info["executable"], path, ["--behavior", str(Path(generated).resolve())], episodes, seed
        )

    candidate, compared = _run_paired(model, champion, run)
    report = EvaluationReport(
        spec.behavior_name, sha256_file(model), chosen, seed, candidate, compared, _chosen_among(selection)
    )
    report.write(out)
    return report


def _check_out_folder(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise EvaluationError(
            f"--out {out} is a file; give a folder for {EvaluationLayout.METRICS} (a new one is made)"
        )


def evaluate_codegen_output(
    model: str | os.PathLike[str],
    build: str | os.PathLike[str],
    generated: str | os.PathLike[str],
    episodes: int,
    out: str | os.PathLike[str],
    *,
    seed: int = 0,
    backend: str = "auto",
    log: Callable[[str], None] = lambda message: None,
    champion: ChampionModel | None = None,
    selection: Mapping[str, Any] | None = None,
) -> EvaluationReport:
    """:func:`evaluate` for a generated asset, :func:`evaluate_existing` through the built player for an
    existing one (codegen recorded ``existing.json``): whichever codegen's folder ``generated`` stands for."""
    from ..build.records import built_player, load_existing

    existing = load_existing(generated)
    if existing is not None:  # a player the pipeline did not generate: only the player says what it is
        return evaluate_existing(
            model,
            built_player(build),
            existing.behavior_name,
            episodes,
            out,
            seed=seed,
            log=log,
            champion=champion,
            selection=selection,
        )
    return evaluate(
        model,
        build,
        generated,
        episodes,
        out,
        seed=seed,
        backend=backend,
        log=log,
        champion=champion,
        selection=selection,
    )


def _chosen_among(selection: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The seed selection a report records: only one that had more than one seed to choose from."""
    return dict(selection) if selection is not None and len(selection["seeds"]) > 1 else None


def _build_info(build: Path) -> dict:
    path = BuildLayout(build).info_path
    if not path.is_file():
        raise EvaluationError(f"{path}: not found; --build must be the build stage's output folder")
    info = json.loads(path.read_text())
    if info.get("backend") not in ("standin", "unity") or not info.get("executable"):
        raise EvaluationError(
            f"{path}: backend {info.get('backend')!r} and executable {info.get('executable')!r} are unusable; "
            "rebuild with the build stage"
        )
    return info


def evaluate_existing(
    model: str | os.PathLike[str],
    executable: str | os.PathLike[str],
    behavior_name: str,
    episodes: int,
    out: str | os.PathLike[str],
    *,
    seed: int = 0,
    log: Callable[[str], None] = lambda message: None,
    champion: ChampionModel | None = None,
    selection: Mapping[str, Any] | None = None,
) -> EvaluationReport:
    """Evaluate ``model`` (and ``champion``, on the same seeds) through a player the pipeline did not
    generate, for ``episodes`` episodes.

    Each policy is checked against what the player declares at the handshake; an episode succeeded
    when its Agent recorded Task/SuccessRate 1. ``selection`` is as for :func:`evaluate`. Writes
    ``out/eval_metrics.json``.
    """
    if not isinstance(episodes, int) or episodes < 1:
        raise EvaluationError(f"episodes is {episodes!r}; give a whole number >= 1")
    model, executable, out = Path(model), Path(executable), Path(out)
    if selection is not None:
        check_fresh_episodes(selection, sha256_file(model), seed)
    _check_out_folder(out)
    out.mkdir(parents=True, exist_ok=True)
    against = "" if champion is None else f" against champion version {champion.version}"
    log(f"evaluating {model.name}{against} through the player {executable.name} for {episodes} episodes (seed {seed})")
    candidate, compared = _run_paired(
        model, champion, lambda path: _run_player(executable, path, ["--behavior-name", behavior_name], episodes, seed)
    )
    report = EvaluationReport(
        behavior_name, sha256_file(model), "unity", seed, candidate, compared, _chosen_among(selection)
    )
    report.write(out)
    return report


def _run_paired(
    model: Path, champion: ChampionModel | None, run: Callable[[Path], list[Episode]]
) -> tuple[tuple[Episode, ...], ChampionEpisodes | None]:
    """Run the candidate and the champion (if any) at the same time, each with ``run``."""
    models = [model] if champion is None else [model, Path(champion.path)]
    with ThreadPoolExecutor(max_workers=len(models)) as pool:  # onnxruntime and the players release the GIL
        found = list(pool.map(run, models))
    if champion is None:
        return tuple(found[0]), None
    return tuple(found[0]), ChampionEpisodes(champion.version, sha256_file(champion.path), tuple(found[1]))


def _run_player(executable: Path, model: Path, behavior: list[str], episodes: int, seed: int) -> list[Episode]:
    """Run :mod:`.unity_episodes` with the trainer environment's Python, where mlagents_envs lives;
    ``behavior`` names what the policy must fit (``--behavior`` or ``--behavior-name`` and its value)."""
    with tempfile.TemporaryDirectory(prefix="unity-mlops-eval-") as scratch, reserve_base_port(1) as port:
        result_file = Path(scratch) / "episodes.json"
        found = trainer_env.run_json(
            "mlops_unity_pipeline.evaluate.unity_episodes",
            "--executable",
            str(executable.resolve()),
            "--model",
            str(model.resolve()),
            *behavior,
            "--episodes",
            str(episodes),
            "--seed",
            str(seed),
            "--base-port",
            str(port),
            "--out",
            str(result_file),
            doing=f"driving the player {executable}",
            error=EvaluationError,
            timeout=UNITY_TIMEOUT_S,
            cwd=scratch,
            result_file=result_file,
        )
        return [Episode(float(r), int(n), bool(s)) for r, n, s in found]
