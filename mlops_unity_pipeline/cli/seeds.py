"""``select-seed``: of an asset's training seeds, the one the quality gate gets."""

from __future__ import annotations

import argparse
import sys

from .. import stage_outputs
from ..layouts import SeedSelectionLayout
from .command import Command
from .evaluate import add_player_inputs


def _configure_select_seed(parser: argparse.ArgumentParser) -> None:
    from ..registry.quality_gate import DEFAULT_METRIC
    from ..seeds import DEFAULT_SELECTION_RULE, SELECTION_RULES
    from ..settings import DEFAULT_EVAL_EPISODES

    trainings = parser.add_mutually_exclusive_group(required=True)
    trainings.add_argument(
        "--training", action="append", metavar="DIR", help="a train stage's output folder, one per seed (repeatable)"
    )
    trainings.add_argument(
        "--executor-input",
        metavar="JSON",
        help="KFP's executor input: the training folders are its 'trainings' input's artifacts",
    )
    add_player_inputs(parser)
    parser.add_argument(
        "--episodes",
        type=int,
        default=DEFAULT_EVAL_EPISODES,
        metavar="N",
        help=f"selection episodes per seed (default {DEFAULT_EVAL_EPISODES})",
    )
    parser.add_argument(
        "--rule",
        default=DEFAULT_SELECTION_RULE,
        choices=SELECTION_RULES,
        help="best: the highest metric; median: the middle seed (the lower middle for an even count)",
    )
    parser.add_argument(
        "--metric", default=DEFAULT_METRIC, help=f"the metric the gate compares (default {DEFAULT_METRIC})"
    )
    parser.add_argument("--out", required=True, metavar="DIR", help=f"output folder ({SeedSelectionLayout.SELECTION})")


def _select_seed(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..evaluate.stage import evaluate_codegen_output
    from ..seeds.selection import select_seed

    if args.executor_input:
        from ..kfp_executor_input import input_artifact_paths

        trainings = input_artifact_paths(args.executor_input, "trainings")
    else:
        trainings = args.training

    def log(message: str) -> None:
        print(message, file=sys.stderr)

    selection = select_seed(
        trainings,
        lambda model, out, seed: evaluate_codegen_output(
            model, args.build, args.generated, args.episodes, out, seed=seed, log=log
        ),
        args.out,
        rule=args.rule,
        metric=args.metric,
        log=log,
    )
    for seed in selection.seeds:
        value = "not evaluated" if seed.metrics is None else f"{args.metric} {seed.metrics[args.metric]:.4g}"
        print(f"training seed {seed.training_seed} ({seed.training}): {value}", file=sys.stderr)
    if args.executor_output:
        from ..kfp_executor_output import OutputArtifact, write_executor_output

        chosen = selection.chosen_seed
        numbers = {"chosen_index": chosen.index, "chosen_training_seed": chosen.training_seed}
        numbers |= {
            f"seed_{seed.index}_{args.metric}": seed.metrics[args.metric]
            for seed in selection.seeds
            if seed.metrics is not None
        }
        write_executor_output(
            args.executor_output,
            {
                stage_outputs.SELECTION: OutputArtifact(args.out, {"rule": selection.rule, "reason": selection.reason}),
                stage_outputs.TRAINING: OutputArtifact(chosen.training),
                stage_outputs.MODEL: OutputArtifact(selection.policy_path, {"training_seed": chosen.training_seed}),
                stage_outputs.METRICS: OutputArtifact(SeedSelectionLayout(Path(args.out)).selection_path, numbers),
            },
        )
    print(selection.reason)
    return 0


SELECT_SEED = Command(
    "select-seed",
    "Evaluate each training seed's policy on the same selection episodes and choose "
    "the best or median one for the quality gate.",
    _configure_select_seed,
    _select_seed,
)
