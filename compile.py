"""Compile the training pipeline to YAML and print its path; optionally run or schedule it.

    python compile.py                                   # Vertex AI YAML (one document)
    python compile.py --target kfp                      # Kubeflow Pipelines YAML (+ kfp-kubernetes)
    python compile.py --parameters params.yaml --submit # run once on Vertex AI
    python compile.py --parameters params.yaml --schedule '0 2 * * *' --timezone Europe/Berlin
    python compile.py --training-schedule nightly.yaml  # a seed TrainingSchedule as a Vertex schedule
    python compile.py --parameters params.yaml --kfp-host http://localhost:8080 [--schedule CRON]
    python compile.py --parameters params.yaml --image-alias unity-builder=pipeline --run-local  # here, in Docker

Settings default to the environment of env.sh.example. The library does the work
(mlops_unity_pipeline.deploy); this file only wires the command line.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from mlops_unity_pipeline.deploy import deployment
from mlops_unity_pipeline.deploy.compiler import Target
from mlops_unity_pipeline.deploy.images import ImageSet, parse_aliases
from mlops_unity_pipeline.deploy.invocation import LOCAL_ROOT, OUT_DIR, Request, carry_out, plan
from mlops_unity_pipeline.deploy.kubeflow import DEFAULT_EXPERIMENT, KubeflowSettings
from mlops_unity_pipeline.deploy.vertex import VertexSettings
from mlops_unity_pipeline.errors import MLOpsError
from mlops_unity_pipeline.registry.vertex_registry import DEFAULT_REGION
from pipelines import training


def _env_bool(name: str) -> bool | None:
    value = os.environ.get(name)
    return None if value in (None, "") else value.strip().lower() in ("1", "true", "yes", "on")


def build_parser() -> argparse.ArgumentParser:
    env = os.environ.get
    parser = argparse.ArgumentParser(
        prog="python compile.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    out = parser.add_argument_group("compiling")
    out.add_argument(
        "--target", choices=[t.value for t in Target], help="vertex (default) or kfp (default with --kfp-host)"
    )
    out.add_argument(
        "--output",
        metavar="PATH",
        help=f"where to write the YAML (default {OUT_DIR}/<pipeline>.<target>.yaml, or .local.yaml with --run-local)",
    )
    out.add_argument("--image-registry", default=env("IMAGE_REGISTRY"), help="registry of the images ($IMAGE_REGISTRY)")
    out.add_argument("--image-tag", default=env("IMAGE_TAG"), help="tag of the images ($IMAGE_TAG)")
    out.add_argument(
        "--image-alias",
        action="append",
        metavar="ROLE=ROLE",
        help="run one role's tasks in another role's image, e.g. unity-builder=pipeline for stand-in builds only",
    )

    params = parser.add_argument_group("parameters (a file, then flags on top; validated before anything is submitted)")
    params.add_argument("--parameters", metavar="FILE", help="pipeline parameters (YAML or JSON)")
    params.add_argument(
        "--asset-spec", action="append", metavar="FILE", help="an asset spec; repeat for several assets"
    )
    params.add_argument("--rl-config", metavar="FILE", help="the RL training config")
    params.add_argument("--param", action="append", metavar="NAME=VALUE", help="any other pipeline parameter")

    run = parser.add_argument_group("running")
    run.add_argument("--submit", action="store_true", help="run once on Vertex AI")
    run.add_argument(
        "--schedule",
        metavar="CRON",
        help="create a recurring schedule instead (5-field cron or a macro such as @daily)",
    )
    run.add_argument("--timezone", metavar="TZ", help="IANA time zone of --schedule (default UTC)")
    run.add_argument(
        "--training-schedule", action="append", metavar="FILE", help="deploy a TrainingSchedule document as a schedule"
    )
    run.add_argument("--display-name", default=training.NAME, help="run or schedule name")
    run.add_argument("--project", default=env("VERTEX_PROJECT_ID"), help="Vertex AI project ($VERTEX_PROJECT_ID)")
    run.add_argument(
        "--region", default=env("VERTEX_LOCATION", DEFAULT_REGION), help="Vertex AI region ($VERTEX_LOCATION)"
    )
    run.add_argument(
        "--pipeline-root", default=env("VERTEX_PIPELINE_ROOT"), help="gs:// root for artifacts ($VERTEX_PIPELINE_ROOT)"
    )
    run.add_argument(
        "--service-account",
        help="what runs act as: a Google service account email on Vertex AI (default $VERTEX_SA_EMAIL), "
        "a Kubernetes service account name with --kfp-host (default $KFP_SERVICE_ACCOUNT)",
    )
    run.add_argument("--label", action="append", default=[], metavar="KEY=VALUE", help="a label on the run or schedule")
    caching = out.add_mutually_exclusive_group()
    caching.add_argument(
        "--cache",
        dest="enable_caching",
        action="store_true",
        default=_env_bool("ENABLE_PIPELINE_CACHING"),
        help=f"cache {' and '.join(training.CACHEABLE)} (the default; $ENABLE_PIPELINE_CACHING)",
    )
    caching.add_argument("--no-cache", dest="enable_caching", action="store_false", help="cache no task")
    out.add_argument(
        "--cache-task",
        action="append",
        default=[],
        choices=training.TASKS,
        metavar="TASK",
        help=f"also cache this task ({', '.join(training.TASKS)}); the others never are otherwise",
    )
    out.add_argument(
        "--parallelism",
        type=int,
        default=training.DEFAULT_PARALLELISM,
        metavar="N",
        help=f"at most N assets at once (default {training.DEFAULT_PARALLELISM}; each trains on its own GPU machine)",
    )
    run.add_argument(
        "--kfp-host",
        default=env("KFP_HOST"),
        help="run (or, with --schedule, schedule) on this Kubeflow Pipelines API ($KFP_HOST) instead of Vertex AI",
    )
    run.add_argument("--experiment", default=DEFAULT_EXPERIMENT, help="Kubeflow Pipelines experiment")
    run.add_argument(
        "--run-local",
        action="store_true",
        help="run once on this machine with kfp.local.DockerRunner, every task in its container (images built locally)",
    )
    run.add_argument(
        "--local-root",
        default=str(LOCAL_ROOT),
        metavar="DIR",
        help=f"pipeline root of --run-local (default {LOCAL_ROOT})",
    )
    return parser


def _settings(args: argparse.Namespace) -> deployment.Settings:
    if args.kfp_host:
        return KubeflowSettings(
            host=args.kfp_host,
            experiment=args.experiment,
            service_account=args.service_account or os.environ.get("KFP_SERVICE_ACCOUNT") or None,
        )
    labels = dict(label.partition("=")[::2] for label in args.label)
    return VertexSettings(
        project=args.project or "",
        location=args.region,
        pipeline_root=args.pipeline_root or "",
        service_account=args.service_account or os.environ.get("VERTEX_SA_EMAIL") or None,
        labels=labels,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.run_local and (args.submit or args.schedule or args.kfp_host or args.training_schedule):
        parser.error(
            "--run-local runs here; it cannot be combined with --submit, --schedule, --kfp-host or --training-schedule"
        )
    try:
        request = Request(
            images=ImageSet.from_env(args.image_registry, args.image_tag, parse_aliases(args.image_alias)),
            settings=lambda: _settings(args),
            target=args.target,
            kfp_host=args.kfp_host,
            parameters=args.parameters,
            asset_specs=args.asset_spec or (),
            rl_config=args.rl_config,
            assignments=args.param or (),
            submit=args.submit,
            schedule=args.schedule,
            timezone=args.timezone,
            training_schedules=args.training_schedule or (),
            display_name=args.display_name,
            run_local=args.run_local,
            local_root=args.local_root,
            parallelism=args.parallelism,
            caching=args.enable_caching,
            cache_tasks=args.cache_task,
            output=args.output,
        )
        carry_out(plan(request, training), request, training, print)
    except MLOpsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
