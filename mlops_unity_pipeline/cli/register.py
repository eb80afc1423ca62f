"""``register``: an evaluated ONNX policy into the file registry or Vertex AI, behind the quality gate."""

from __future__ import annotations

import argparse
import sys

from .. import stage_outputs
from ..layouts import EvaluationLayout, RegisterLayout, TrainLayout
from .command import Command
from .gate_options import add_gate_options
from .model_name_options import add_model_name_options, model_name


def _configure(parser: argparse.ArgumentParser) -> None:
    from ..registry.quality_gate import DEFAULT_METRIC
    from ..registry.vertex_registry import DEFAULT_REGION

    parser.add_argument("--model", required=True, metavar="FILE", help="the ONNX policy to register")
    parser.add_argument("--generated", required=True, metavar="DIR", help="codegen stage output")
    parser.add_argument(
        "--training", required=True, metavar="DIR", help=f"training stage output ({TrainLayout.METRICS})"
    )
    parser.add_argument(
        "--evaluation", required=True, metavar="DIR", help=f"evaluate stage output ({EvaluationLayout.METRICS})"
    )
    job = parser.add_mutually_exclusive_group(required=True)
    job.add_argument("--job-id", help="the training job's id")
    job.add_argument(
        "--run-name",
        help="a pipeline run's name, made a job id (RUN-ASSET_ID with --asset-id; characters "
        "a job id cannot hold become '_')",
    )
    add_model_name_options(parser, required=True)
    parser.add_argument(
        "--registry",
        metavar="DIR",
        help="file registry root (default $MLOPS_REGISTRY_DIR or "
        "~/.local/share/unity-mlops/registry); ignored with --vertex-project",
    )
    parser.add_argument(
        "--registry-in-output",
        action="store_true",
        help="with neither --vertex-project nor --registry: a file registry inside --out (this machine "
        "only; refused where --out is on object storage, since it would start empty every run)",
    )
    parser.add_argument("--vertex-project", metavar="P", help="register in this project's Vertex AI Model Registry")
    parser.add_argument("--vertex-region", metavar="R", default=DEFAULT_REGION, help="Vertex AI region")
    parser.add_argument(
        "--staging-bucket",
        metavar="GS_URI",
        help="gs://BUCKET[/PREFIX] for the artifacts (Vertex AI; default: the bucket --out is stored in)",
    )
    parser.add_argument(
        "--serving-image",
        metavar="URI",
        help="serving image (default REGION-docker.pkg.dev/PROJECT/unity-mlops/serving:latest)",
    )
    parser.add_argument(
        "--experiment", metavar="NAME", help="Vertex AI Experiment to log the run to (default: the model id)"
    )
    parser.add_argument(
        "--tensorboard",
        metavar="RESOURCE",
        help="Vertex AI TensorBoard (projects/P/locations/R/tensorboards/ID) for the training curves",
    )
    add_gate_options(parser)
    parser.add_argument(
        "--gate-metric",
        default=DEFAULT_METRIC,
        help="evaluation metric the quality gate compares (paired: mean_reward or success_rate)",
    )
    parser.add_argument("--alias", action="append", default=[], metavar="A", help="extra version alias (repeatable)")
    parser.add_argument("--out", metavar="DIR", help=f"write {RegisterLayout.REGISTRATION} here")


def _gate_settings(args: argparse.Namespace):
    from ..registry.quality_gate import GateSettings

    return GateSettings(
        args.champion_margin, args.gate_metric, args.gate_confidence, args.gate_min_episodes, dict(args.floor)
    ).checked()


def _register(args: argparse.Namespace) -> int:
    from ..registry import choose_destination, pipeline_job_id, register_model

    destination = choose_destination(
        vertex_project=args.vertex_project,
        vertex_region=args.vertex_region,
        staging_bucket=args.staging_bucket,
        serving_image=args.serving_image,
        experiment=args.experiment,
        tensorboard=args.tensorboard,
        registry_dir=args.registry,
        out=args.out,
        registry_in_output=args.registry_in_output,
    )
    if destination.warning:
        print(destination.warning, file=sys.stderr)
    job_id = args.job_id if args.job_id is not None else pipeline_job_id(args.run_name, args.asset_id)
    registration = register_model(
        args.model,
        args.generated,
        args.training,
        args.evaluation,
        job_id=job_id,
        model_name=model_name(args),
        registry_dir=destination.registry_dir,
        vertex=destination.vertex,
        gate=_gate_settings(args),
        aliases=args.alias,
        out=args.out,
    )
    gate = registration.quality_gate
    print(f"{'promoted to champion' if gate['promoted'] else 'not promoted'}: {gate['reason']}", file=sys.stderr)
    if args.executor_output:
        from ..kfp_executor_output import write_executor_output
        from ..registry import executor_artifacts

        parameters = {stage_outputs.URI: registration.uri, stage_outputs.PROMOTED: registration.promoted}
        write_executor_output(args.executor_output, executor_artifacts(registration, args.out), parameters)
    print(registration.uri)
    return 0


REGISTER = Command(
    "register",
    "Register an evaluated ONNX policy in the file registry or Vertex AI, behind a quality gate.",
    _configure,
    _register,
)
