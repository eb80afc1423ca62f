"""``evaluate``: an ONNX policy for N seeded episodes, and the registry's champion on the same episodes."""

from __future__ import annotations

import argparse
import sys

from .. import stage_outputs
from ..layouts import BuildLayout, CodegenLayout, EvaluationLayout
from .champion import add_champion_source_options
from .command import Command


def add_player_inputs(parser: argparse.ArgumentParser) -> None:
    """The build and codegen folders that a command running episodes on the player reads."""
    parser.add_argument("--build", required=True, metavar="DIR", help=f"build stage output ({BuildLayout.INFO})")
    parser.add_argument(
        "--generated", required=True, metavar="DIR", help=f"codegen stage output ({CodegenLayout.BEHAVIOR})"
    )


def _configure(parser: argparse.ArgumentParser) -> None:
    from ..settings import DEFAULT_EVAL_EPISODES

    parser.add_argument("--model", required=True, metavar="FILE", help="the ONNX policy")
    add_player_inputs(parser)
    parser.add_argument(
        "--episodes",
        type=int,
        default=DEFAULT_EVAL_EPISODES,
        metavar="N",
        help=f"episodes to run (default {DEFAULT_EVAL_EPISODES})",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the episodes (default 0)")
    parser.add_argument(
        "--backend",
        default="auto",
        choices=["auto", "standin", "unity"],
        help="standin: in-process simulation; unity: drive the player; auto: what the build was",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help=f"output folder ({EvaluationLayout.METRICS})")
    parser.add_argument(
        "--selection",
        default="",
        metavar="DIR",
        help="the select-seed command's --out: the model is the seed it chose, evaluated here on "
        "other episodes than it was chosen on (recorded in the report); empty for none",
    )
    champion = parser.add_argument_group(
        "champion",
        "with --model-name, the registry's champion of that model runs on the same episodes; with "
        "--champion, the one the champion command fetched",
    )
    champion.add_argument("--champion", default="", metavar="DIR", help="the champion command's output folder")
    champion.add_argument("--model-name", default="", help="registered model whose champion to compare with")
    add_champion_source_options(
        champion,
        registry_help="file registry root (default "
        "$MLOPS_REGISTRY_DIR or ~/.local/share/unity-mlops/registry); ignored with --vertex-project",
    )


def _evaluate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..errors import MLOpsError
    from ..evaluate.stage import evaluate_codegen_output
    from ..evaluation_report import summarize
    from .champion import champion_in, fetch_champion

    if args.champion and args.model_name:
        raise MLOpsError("give --champion (a fetched champion) or --model-name (fetch it now), not both")
    out = EvaluationLayout(Path(args.out))
    champion = champion_in(args.champion)
    if args.model_name:
        champion = fetch_champion(args, args.model_name, out.champion_dir)
        if champion is None:
            print(f"{args.model_name} has no champion yet: evaluating the candidate alone", file=sys.stderr)

    def log(message: str) -> None:
        print(message, file=sys.stderr)

    selection = None
    if args.selection:
        from ..seeds.selection import read_selection

        selection = read_selection(args.selection)
    report = evaluate_codegen_output(
        args.model,
        args.build,
        args.generated,
        args.episodes,
        args.out,
        seed=args.seed,
        backend=args.backend,
        log=log,
        champion=champion,
        selection=selection,
    )
    metrics = report.metrics
    for number, episode in enumerate(report.episodes, start=1):
        print(
            f"episode {number}/{len(report.episodes)}: reward {episode.reward:.4g}, {episode.length} decisions, "
            f"{'success' if episode.success else 'no success'}",
            file=sys.stderr,
        )
    if args.executor_output:
        from ..kfp_executor_output import OutputArtifact, write_executor_output

        numbers = {key: value for key, value in metrics.items() if not isinstance(value, bool)}
        if report.champion is not None:
            numbers |= {
                f"champion_{key}": value
                for key, value in summarize(report.champion.episodes).items()
                if not isinstance(value, bool) and key != "episodes"
            }
        write_executor_output(
            args.executor_output,
            {
                stage_outputs.EVALUATION: OutputArtifact(args.out, {"backend": report.backend}),
                stage_outputs.METRICS: OutputArtifact(out.metrics_path, numbers),
            },
        )
    print(
        f"{report.behavior_name}: mean reward {metrics['mean_reward']:.4g} ± {metrics['std_reward']:.3g}, "
        f"success {metrics['success_rate']:.0%}, length {metrics['mean_episode_length']:.1f} "
        f"over {metrics['episodes']} episodes ({report.backend})"
    )
    if report.champion is not None:
        theirs = summarize(report.champion.episodes)
        print(
            f"champion version {report.champion.version} on the same episodes: mean reward "
            f"{theirs['mean_reward']:.4g} ± {theirs['std_reward']:.3g}, success {theirs['success_rate']:.0%}"
        )
    return 0


EVALUATE = Command(
    "evaluate",
    "Run an ONNX policy for N seeded episodes; write mean/std reward, success rate, episode length.",
    _configure,
    _evaluate,
)
