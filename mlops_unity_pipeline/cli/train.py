"""``train``: train the behaviour with mlagents-learn; write policy.onnx, metrics.json and report.html."""

from __future__ import annotations

import argparse
import math
import sys

from .. import stage_outputs
from ..errors import MLOpsError
from ..layouts import BuildLayout, TrainLayout
from .command import Command


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--build", required=True, metavar="DIR", help=f"build stage output (holds <Name>{BuildLayout.PLAYER_SUFFIX})"
    )
    parser.add_argument("--generated", required=True, metavar="DIR", help="codegen stage output")
    parser.add_argument("--out", required=True, metavar="DIR", help="training output folder")
    parser.add_argument(
        "--demos",
        metavar="PATH",
        help="a .demo file or folder (gs:// is read at /gcs/; empty is none); overrides the config's demo_path",
    )
    parser.add_argument("--resume", action="store_true", help="require a checkpoint to resume from")
    parser.add_argument("--device", help="torch device (default: cuda when available, else cpu)")
    parser.add_argument(
        "--checkpoints",
        metavar="DIR",
        help="train in DIR, which every attempt finds again (a retry resumes there), then copy it to --out",
    )
    parser.add_argument(
        "--pipeline-root",
        metavar="URI",
        help="with --run-id and --asset-id: --checkpoints is <URI>/checkpoints/<run id>/<asset id> (gs:// at /gcs/)",
    )
    parser.add_argument("--run-id", metavar="ID", help="the pipeline run's id, for --pipeline-root")
    parser.add_argument("--asset-id", metavar="ID", help="the asset's id, for --pipeline-root")
    parser.add_argument(
        "--seed",
        type=_whole_number,
        metavar="S",
        help="mlagents' seed (env_settings.seed) instead of the trainer config's: one training seed",
    )
    parser.add_argument(
        "--seed-index",
        type=_whole_number,
        default=0,
        metavar="K",
        help="with --pipeline-root: the seed's place among the asset's training seeds; seed K > 0 keeps "
        "its checkpoints in <asset id>.seed-<K> (default 0)",
    )
    parser.add_argument(
        "--champion",
        default="",
        metavar="DIR",
        help="the champion command's output: a registered champion that does not fit the player fails before training",
    )


def _whole_number(text: str) -> int:
    """An integer, also as KFP may render a loop item's number (``3.0``)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not value.is_integer():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    return int(value)


def _train(args: argparse.Namespace) -> int:
    from ..build.records import built_player, load_existing
    from ..kfp_executor_output import local_path_for_uri
    from ..pipeline_root import checkpoints_uri
    from ..train import train
    from ..train.stage import train_existing, training_folder
    from .champion import champion_in

    checkpoints = args.checkpoints
    if args.pipeline_root:
        if not (args.run_id and args.asset_id):
            raise MLOpsError(
                "--pipeline-root needs --run-id and --asset-id: checkpoints go to <root>/checkpoints/<run>/<asset>"
            )
        checkpoints = local_path_for_uri(
            checkpoints_uri(args.pipeline_root, args.run_id, args.asset_id, args.seed_index)
        )
    work_dir, note = training_folder(checkpoints, args.out)
    if note:
        print(f"note: {note}", file=sys.stderr)
    champion = champion_in(args.champion)
    existing = load_existing(args.generated)
    if existing is not None:
        if args.demos:
            raise MLOpsError(
                f"--demos {args.demos}: an existing behaviour trains with its own trainer config "
                f"({existing.trainer_config}); name the demonstrations there (demo_path)"
            )
        trained = train_existing(
            built_player(args.build),
            existing.trainer_config,
            existing.behavior_name,
            work_dir,
            resume=args.resume,
            device=args.device,
            seed=args.seed,
            champion=champion,
        )
    else:
        trained = train(
            args.build,
            args.generated,
            work_dir,
            demos=local_path_for_uri(args.demos or "") or None,
            resume=args.resume,
            device=args.device,
            seed=args.seed,
            champion=champion,
        )
    result = trained.copied_to(args.out)
    metrics = result.metrics
    print(
        f"trained {metrics['behavior_name']} for {metrics['steps']} steps in {metrics['wall_time_s']:.0f}s "
        f"({'resumed' if result.resumed else 'fresh'}): final mean reward {metrics['final_mean_reward']}, "
        f"policy {result.policy_path}"
    )
    if args.executor_output:
        from ..kfp_executor_output import OutputArtifact, write_executor_output

        scalars = {
            key: value
            for key, value in metrics.items()
            if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        }
        write_executor_output(
            args.executor_output,
            {
                stage_outputs.TRAINING: OutputArtifact(result.out_dir),
                stage_outputs.MODEL: OutputArtifact(result.policy_path, {"behavior_name": metrics["behavior_name"]}),
                stage_outputs.METRICS: OutputArtifact(result.metrics_path, scalars),
                stage_outputs.REPORT: OutputArtifact(result.report_path),
            },
        )
    return 0


TRAIN = Command(
    "train",
    f"Train the behaviour with mlagents-learn; write {TrainLayout.POLICY}, {TrainLayout.METRICS} "
    f"and {TrainLayout.REPORT}.",
    _configure,
    _train,
    quick_exit=True,
)
