"""The subcommands of ``python -m mlops_unity_pipeline``, each delegating to the library."""

from __future__ import annotations

import argparse
import math
import os
import sys

from .cli import command
from .errors import MLOpsError


def _configure_trainer_env(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--print-path", action="store_true", help="only print the path of a ready environment")


@command("trainer-env", "Build (once) and print the cached Python 3.10 trainer environment.", _configure_trainer_env)
def _trainer_env(args: argparse.Namespace) -> int:
    from . import trainer_env

    if args.print_path:
        env = trainer_env.locate()
        if env is None:
            print("no trainer environment is ready; run without --print-path to build it", file=sys.stderr)
            return 1
    else:
        env = trainer_env.ensure(log=lambda message: print(message, file=sys.stderr))
    print(env.root)
    return 0


def _configure_codegen(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--asset-spec", required=True, metavar="FILE", help="asset spec (JSON or YAML)")
    parser.add_argument("--rl-config", metavar="FILE", help="RL training config (JSON or YAML); defaults apply without it")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")


@command("codegen", "Generate the BehaviorSpec, Unity C# sources and trainer config from an asset spec.", _configure_codegen)
def _codegen(args: argparse.Namespace) -> int:
    from .codegen import generate
    from .specs import RLTrainingConfig, UnityAssetSpec

    asset = UnityAssetSpec.load(args.asset_spec)
    rl = RLTrainingConfig.load(args.rl_config) if args.rl_config else RLTrainingConfig()
    if asset.existing is not None:
        return _record_existing(args, asset)
    result = generate(asset, rl, args.out)
    for note in result.behavior.notes:
        print(f"note: {note}", file=sys.stderr)
    if args.executor_output:
        from .kfp_executor_output import OutputArtifact, write_executor_output

        names = {"asset_id": asset.asset_id, "behavior_name": result.behavior.behavior_name}
        write_executor_output(args.executor_output, {"generated": OutputArtifact(result.out_dir, names)}, names)
    print(f"wrote {len(result.manifest['files'])} files for behavior {result.behavior.behavior_name} to {result.out_dir}")
    return 0


def _record_existing(args: argparse.Namespace, asset) -> int:
    """An existing behaviour generates nothing: the codegen output records it for the later stages."""
    from .build.existing import write_existing_record

    path = write_existing_record(asset.asset_id, asset.existing, args.out)
    names = {"asset_id": asset.asset_id, "behavior_name": asset.existing["behavior_name"]}
    if args.executor_output:
        from .kfp_executor_output import OutputArtifact, write_executor_output

        write_executor_output(args.executor_output, {"generated": OutputArtifact(args.out, names)}, names)
    print(f"{asset.asset_id} is the existing behaviour {names['behavior_name']}: generated nothing, recorded {path}")
    return 0


def _configure_control_plane(parser: argparse.ArgumentParser) -> None:
    import os

    parser.add_argument(
        "--bundle",
        default=os.environ.get("MLOPS_CONTROL_PLANE_BUNDLE", "examples/control_plane/bundle.yaml"),
        help="control-plane bundle (YAML); env MLOPS_CONTROL_PLANE_BUNDLE",
    )
    parser.add_argument(
        "--schemas",
        default=os.environ.get("MLOPS_CONTROL_PLANE_SCHEMAS", "schemas/control_plane"),
        help="directory of the actions' JSON Schemas; env MLOPS_CONTROL_PLANE_SCHEMAS",
    )
    parser.add_argument(
        "--events",
        default=os.environ.get("MLOPS_CONTROL_PLANE_EVENTS", "runtime/events.jsonl"),
        help="the append-only event log (JSONL); env MLOPS_CONTROL_PLANE_EVENTS",
    )


def _control_plane_runtime(args: argparse.Namespace):
    from .control_plane import ControlPlaneRuntime

    return ControlPlaneRuntime(bundle_path=args.bundle, schemas_dir=args.schemas, events_path=args.events)


def _configure_approve(parser: argparse.ArgumentParser) -> None:
    _configure_control_plane(parser)
    parser.add_argument("--transition", default="promote", help="the transition to approve (default: promote)")
    parser.add_argument("--subject", help="what is approved, e.g. a model version; the pending one if omitted")
    parser.add_argument("--approver", help="who approves (recorded in the log); required unless --list")
    parser.add_argument("--note", help="why, for the record")
    parser.add_argument("--list", action="store_true", help="only list the approvals waiting for a human")


@command("approve", "Record a human approval of a control-plane transition (e.g. promoting a model).", _configure_approve)
def _approve(args: argparse.Namespace) -> int:
    import asyncio
    import json

    runtime = _control_plane_runtime(args)
    if args.list:
        for request in runtime.replay_events().pending_approvals:
            print(json.dumps({"transition": request.transition, "subject": request.subject,
                              "requested_by": request.requested_by, "seq": request.seq}, sort_keys=True))
        return 0
    if not args.approver:
        print("error: --approver is required: an approval records who gave it", file=sys.stderr)
        return 2
    event = asyncio.run(
        runtime.approve(args.transition, approver=args.approver, subject=args.subject, note=args.note)
    )
    print(f"approved {event['transition']} of {event['subject']} by {event['approver']} (seq {event['seq']})")
    return 0


@command("control-plane-status", "Verify the control-plane event log and print the state it derives.", _configure_control_plane)
def _control_plane_status(args: argparse.Namespace) -> int:
    import json

    state = _control_plane_runtime(args).replay_events()
    print(json.dumps({
        "workflow_state": state.workflow_state,
        "facts": dict(state.facts),
        "guardrail_failures": list(state.guardrail_failures),
        "pending_approvals": [{"transition": r.transition, "subject": r.subject} for r in state.pending_approvals],
        "events": state.events,
        "head": {"seq": state.position.seq, "hash": state.position.hash},
        "issues": [str(issue) for issue in state.issues],
        "intact": state.intact,
    }, indent=2, sort_keys=True))
    return 0 if state.intact else 1


@command("mcp-serve", "Serve the control-plane bundle's actions as MCP tools over stdio.", _configure_control_plane)
def _mcp_serve(args: argparse.Namespace) -> int:
    import asyncio

    from .control_plane.mcp_server import serve_stdio

    asyncio.run(serve_stdio(_control_plane_runtime(args)))
    return 0


def _configure_build(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--generated", required=True, metavar="DIR", help="the codegen stage's output folder")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to put the player in")
    parser.add_argument("--backend", default="auto", choices=["auto", "unity", "standin"],
                        help="unity: the Editor in batchmode; standin: the stand-in player; "
                             "auto: unity when the Editor and a Unity project are given, else standin")
    parser.add_argument("--unity-project", metavar="PATH",
                        help="Unity project to build in (or $UNITY_PROJECT_PATH); gs:// is read at /gcs/, empty is none")
    parser.add_argument("--unity-editor", metavar="PATH", help="Unity Editor executable (or $UNITY_EDITOR_PATH)")
    parser.add_argument("--project-version", default="", metavar="V",
                        help="the project's version (project-version's hash), recorded in build_info.json")
    parser.add_argument("--license-secret", metavar="NAME",
                        help="read the Unity license from this Secret Manager secret version "
                             "(projects/P/secrets/S/versions/V) instead of $UNITY_LICENSE / $UNITY_SERIAL...")


@command("build", "Build a headless player from the codegen output (Unity, or the stand-in player).", _configure_build)
def _build(args: argparse.Namespace) -> int:
    from .build import build
    from .build.existing import build_existing, load_existing
    from .kfp_executor_output import local_path_for_uri

    existing = load_existing(args.generated)
    if existing is not None:  # the team's own build of its own project
        result = build_existing(existing, args.out, project_version=args.project_version)
    else:
        result = build(
            args.generated, args.out, backend=args.backend,
            unity_project=local_path_for_uri(args.unity_project or "") or None, unity_editor=args.unity_editor,
            log=lambda message: print(message, file=sys.stderr), license_secret=args.license_secret or None,
            project_version=args.project_version,
        )
    if args.executor_output:
        from .kfp_executor_output import OutputArtifact, write_executor_output

        write_executor_output(args.executor_output, {"player": OutputArtifact(args.out, result.to_dict())})
    print(result.executable)
    return 0


def _configure_project_version(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--unity-project", default="", metavar="URI",
                        help="the Unity project: a folder or gs://bucket/path; empty for none (the version is empty)")
    parser.add_argument("--generated", default="", metavar="DIR",
                        help="the codegen stage's output: for an existing behaviour, its own project is versioned instead")


@command("project-version", "Print a hash of a Unity project's inputs, which cached builds are keyed on.",
         _configure_project_version)
def _project_version(args: argparse.Namespace) -> int:
    from .build.existing import existing_record
    from .build.project_version import project_version

    existing = existing_record(args.generated) if args.generated else None
    version = project_version(existing["unity_project"] if existing is not None else args.unity_project)
    if args.executor_output:
        from .kfp_executor_output import write_executor_output

        write_executor_output(args.executor_output, parameters={"version": version})
    print(version)
    return 0


def _configure_train(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--build", required=True, metavar="DIR", help="build stage output (holds <Name>.x86_64)")
    parser.add_argument("--generated", required=True, metavar="DIR", help="codegen stage output")
    parser.add_argument("--out", required=True, metavar="DIR", help="training output folder")
    parser.add_argument("--demos", metavar="PATH",
                        help="a .demo file or folder (gs:// is read at /gcs/; empty is none); overrides the config's demo_path")
    parser.add_argument("--resume", action="store_true", help="require a checkpoint to resume from")
    parser.add_argument("--device", help="torch device (default: cuda when available, else cpu)")
    parser.add_argument("--checkpoints", metavar="DIR",
                        help="train in DIR, which every attempt finds again (a retry resumes there), then copy it to --out")
    parser.add_argument("--pipeline-root", metavar="URI",
                        help="with --run-id and --asset-id: --checkpoints is <URI>/checkpoints/<run id>/<asset id> (gs:// at /gcs/)")
    parser.add_argument("--run-id", metavar="ID", help="the pipeline run's id, for --pipeline-root")
    parser.add_argument("--asset-id", metavar="ID", help="the asset's id, for --pipeline-root")
    parser.add_argument("--champion", default="", metavar="DIR",
                        help="the champion command's output: a registered champion that does not fit the player fails "
                             "before training")


@command("train", "Train the behaviour with mlagents-learn; write policy.onnx, metrics.json and report.html.",
         _configure_train)
def _train(args: argparse.Namespace) -> int:
    from .build.existing import built_player, load_existing
    from .kfp_executor_output import local_path_for_uri
    from .pipeline_root import checkpoints_uri
    from .train import train
    from .train.stage import train_existing, training_folder

    checkpoints = args.checkpoints
    if args.pipeline_root:
        if not (args.run_id and args.asset_id):
            raise MLOpsError("--pipeline-root needs --run-id and --asset-id: checkpoints go to <root>/checkpoints/<run>/<asset>")
        checkpoints = local_path_for_uri(checkpoints_uri(args.pipeline_root, args.run_id, args.asset_id))
    work_dir, note = training_folder(checkpoints, args.out)
    if note:
        print(f"note: {note}", file=sys.stderr)
    champion = _champion_from(args.champion)
    existing = load_existing(args.generated)
    if existing is not None:
        if args.demos:
            raise MLOpsError(f"--demos {args.demos}: an existing behaviour trains with its own trainer config "
                             f"({existing.trainer_config}); name the demonstrations there (demo_path)")
        trained = train_existing(built_player(args.build), existing.trainer_config, existing.behavior_name, work_dir,
                                 resume=args.resume, device=args.device, champion=champion)
    else:
        trained = train(args.build, args.generated, work_dir, demos=local_path_for_uri(args.demos or "") or None,
                        resume=args.resume, device=args.device, champion=champion)
    result = trained.copied_to(args.out)
    metrics = result.metrics
    print(
        f"trained {metrics['behavior_name']} for {metrics['steps']} steps in {metrics['wall_time_s']:.0f}s "
        f"({'resumed' if result.resumed else 'fresh'}): final mean reward {metrics['final_mean_reward']}, "
        f"policy {result.policy_path}"
    )
    if args.executor_output:
        from .kfp_executor_output import OutputArtifact, write_executor_output

        scalars = {key: value for key, value in metrics.items()
                   if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)}
        write_executor_output(args.executor_output, {
            "training": OutputArtifact(result.out_dir),
            "model": OutputArtifact(result.policy_path, {"behavior_name": metrics["behavior_name"]}),
            "metrics": OutputArtifact(result.metrics_path, scalars),
            "report": OutputArtifact(result.report_path),
        })
    return 0


def _configure_register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", required=True, metavar="FILE", help="the ONNX policy to register")
    parser.add_argument("--generated", required=True, metavar="DIR", help="codegen stage output")
    parser.add_argument("--training", required=True, metavar="DIR", help="training stage output (metrics.json)")
    parser.add_argument("--evaluation", required=True, metavar="DIR", help="evaluate stage output (eval_metrics.json)")
    job = parser.add_mutually_exclusive_group(required=True)
    job.add_argument("--job-id", help="the training job's id")
    job.add_argument("--run-name", help="a pipeline run's name, made a job id (characters a job id cannot hold become '_')")
    parser.add_argument("--model-name", required=True, help="registered model name (a letter, then [A-Za-z0-9_-])")
    parser.add_argument("--registry", metavar="DIR", help="file registry root (default $MLOPS_REGISTRY_DIR or "
                        "~/.local/share/unity-mlops/registry); ignored with --vertex-project")
    parser.add_argument("--registry-in-output", action="store_true",
                        help="with neither --vertex-project nor --registry: a file registry inside --out (this machine "
                        "only; refused where --out is on object storage, since it would start empty every run)")
    parser.add_argument("--vertex-project", metavar="P", help="register in this project's Vertex AI Model Registry")
    parser.add_argument("--vertex-region", metavar="R", default="us-central1", help="Vertex AI region")
    parser.add_argument("--staging-bucket", metavar="GS_URI",
                        help="gs://BUCKET[/PREFIX] for the artifacts (Vertex AI; default: the bucket --out is stored in)")
    parser.add_argument("--serving-image", metavar="URI",
                        help="serving image (default REGION-docker.pkg.dev/PROJECT/unity-mlops/serving:latest)")
    parser.add_argument("--experiment", metavar="NAME", help="Vertex AI Experiment to log the run to (default: the model id)")
    parser.add_argument("--tensorboard", metavar="RESOURCE",
                        help="Vertex AI TensorBoard (projects/P/locations/R/tensorboards/ID) for the training curves")
    _add_gate_options(parser)
    parser.add_argument("--gate-metric", default="mean_reward",
                        help="evaluation metric the quality gate compares (paired: mean_reward or success_rate)")
    parser.add_argument("--alias", action="append", default=[], metavar="A", help="extra version alias (repeatable)")
    parser.add_argument("--out", metavar="DIR", help="write registration.json here")


def _add_gate_options(parser: argparse.ArgumentParser) -> None:
    """The quality gate's settings, shared by the register, run and schedule commands."""
    from .registry.quality_gate import DEFAULT_CONFIDENCE, DEFAULT_MIN_EPISODES

    parser.add_argument("--champion-margin", type=float, default=0.0, metavar="X",
                        help="promote only if the lower end of the interval of the paired difference (the metric's "
                        "unit) is above X (default 0)")
    parser.add_argument("--gate-confidence", type=float, default=DEFAULT_CONFIDENCE, metavar="C",
                        help=f"confidence level of the paired bootstrap interval (default {DEFAULT_CONFIDENCE})")
    parser.add_argument("--gate-min-episodes", type=int, default=DEFAULT_MIN_EPISODES, metavar="N",
                        help=f"fewest paired episodes the gate promotes on (default {DEFAULT_MIN_EPISODES})")
    parser.add_argument("--floor", action="append", default=[], metavar="METRIC=MIN", type=_floor,
                        help="never promote a candidate whose METRIC is below MIN, champion or not "
                        "(repeatable; e.g. success_rate=0.8)")


def _floor(text: str) -> tuple[str, float]:
    name, _, minimum = text.partition("=")
    try:
        value = float(minimum)
    except ValueError:
        value = math.nan
    if not name.strip() or not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not METRIC=MIN, e.g. success_rate=0.8")
    return name.strip(), value


def _gate_settings(args: argparse.Namespace):
    from .registry.quality_gate import GateSettings

    return GateSettings(args.champion_margin, args.gate_metric, args.gate_confidence, args.gate_min_episodes,
                        dict(args.floor)).checked()


@command("register", "Register an evaluated ONNX policy in the file registry or Vertex AI, behind a quality gate.",
         _configure_register)
def _register(args: argparse.Namespace) -> int:
    from .registry import choose_destination, job_id_from_run_name, register_model

    destination = choose_destination(
        vertex_project=args.vertex_project, vertex_region=args.vertex_region, staging_bucket=args.staging_bucket,
        serving_image=args.serving_image, experiment=args.experiment, tensorboard=args.tensorboard,
        registry_dir=args.registry, out=args.out, registry_in_output=args.registry_in_output,
    )
    if destination.warning:
        print(destination.warning, file=sys.stderr)
    job_id = args.job_id if args.job_id is not None else job_id_from_run_name(args.run_name)
    registration = register_model(
        args.model, args.generated, args.training, args.evaluation, job_id=job_id, model_name=args.model_name,
        registry_dir=destination.registry_dir, vertex=destination.vertex,
        gate=_gate_settings(args), aliases=args.alias, out=args.out,
    )
    gate = registration.quality_gate
    print(f"{'promoted to champion' if gate['promoted'] else 'not promoted'}: {gate['reason']}", file=sys.stderr)
    if args.executor_output:
        from .kfp_executor_output import write_executor_output
        from .registry import executor_artifacts

        parameters = {"uri": registration.uri, "promoted": registration.promoted}
        write_executor_output(args.executor_output, executor_artifacts(registration, args.out), parameters)
    print(registration.uri)
    return 0


def _configure_models(parser: argparse.ArgumentParser) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--registry", metavar="DIR", help="file registry root (default $MLOPS_REGISTRY_DIR or "
                        "~/.local/share/unity-mlops/registry)")
    actions = parser.add_subparsers(dest="models_action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", parents=[common], help="list models, or the versions of one model")
    listing.add_argument("name", nargs="?", help="a model name")
    get = actions.add_parser("get", parents=[common], help="print one version (number, alias or 'latest') as JSON")
    get.add_argument("name")
    get.add_argument("ref", nargs="?", default="champion", help="version number, alias or 'latest' (default champion)")
    promote = actions.add_parser("promote", parents=[common], help="point an alias (default champion) at a version")
    promote.add_argument("name")
    promote.add_argument("ref", help="version number or alias")
    promote.add_argument("--alias", default="champion", help="alias to move (default champion)")
    promote.add_argument("--reason", default="", help="why, kept in the alias history")
    verify = actions.add_parser("verify", parents=[common], help="re-hash every version's files against its metadata")
    verify.add_argument("name")


@command("models", "List, inspect, promote and verify versions in the file registry.", _configure_models)
def _models(args: argparse.Namespace) -> int:
    import json

    from .registry import FileRegistry

    registry = FileRegistry(args.registry)
    if args.models_action == "list" and not args.name:
        for name in registry.models():
            print(name)
    elif args.models_action == "list":
        for version in registry.versions(args.name):
            metrics = version.metadata["evaluation_metrics"]
            print(f"{version.reference}\t{','.join(version.aliases) or '-'}\tmean_reward={metrics['mean_reward']:g}\t"
                  f"{version.metadata['created_at']}\t{version.uri}")
    elif args.models_action == "get":
        print(json.dumps(registry.get(args.name, args.ref).to_dict(), indent=2, sort_keys=True))
    elif args.models_action == "promote":
        version = registry.promote(args.name, args.ref, alias=args.alias, reason=args.reason)
        print(f"{args.alias} -> {version.reference} {version.uri}")
    else:
        problems = registry.verify(args.name)
        for problem in problems:
            print(problem)
        print(f"{args.name}: {'intact' if not problems else f'{len(problems)} problem(s)'}", file=sys.stderr)
        return 1 if problems else 0
    return 0


def _configure_serve(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model-dir", metavar="URI", help="folder, file:// or gs:// URI holding model.onnx "
                        "(default $AIP_STORAGE_URI)")
    parser.add_argument("--port", type=int, help="port to listen on (default $AIP_HTTP_PORT or 8080)")
    parser.add_argument("--host", default="0.0.0.0", help="address to bind (default 0.0.0.0)")


@command("serve", "Serve an ONNX policy over HTTP with Vertex AI's prediction protocol (the serving image).",
         _configure_serve)
def _serve(args: argparse.Namespace) -> int:
    from .serving import ServingConfig, serve

    config = ServingConfig.from_env(storage_uri=args.model_dir, port=args.port, host=args.host)
    serve(config, announce=lambda message: print(message, file=sys.stderr, flush=True))
    return 0


def _champion_from(folder: str):
    """The champion in a champion command's output folder (``None`` when there is none or no folder)."""
    if not folder:
        return None
    from .evaluate.champion_folder import load_champion

    return load_champion(folder)


def _fetch_champion(args: argparse.Namespace, into):
    """The registry's champion of ``--model-name`` (``None``: none yet), from the registry the settings choose,
    downloaded into the folder ``into`` where it is not a file there already."""
    from .registry import choose_destination

    destination = choose_destination(vertex_project=args.vertex_project, vertex_region=args.vertex_region,
                                     staging_bucket=args.staging_bucket, registry_dir=args.registry, out=args.out)
    return destination.registry().champion_model(args.model_name, into)


def _configure_champion(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for champion.json (and model.onnx)")
    parser.add_argument("--model-name", default="", help="registered model whose champion to fetch; empty: none")
    parser.add_argument("--registry", default="", metavar="DIR", help="the file registry to read it from "
                        "(ignored with --vertex-project); with neither, there is no champion")
    parser.add_argument("--vertex-project", default="", metavar="P", help="read the champion from this project's "
                        "Vertex AI Model Registry")
    parser.add_argument("--vertex-region", default="us-central1", metavar="R", help="Vertex AI region")
    parser.add_argument("--staging-bucket", default="", metavar="GS_URI",
                        help="the register stage's gs://BUCKET (Vertex AI; default: the bucket --out is stored in)")


@command("champion", "Fetch a model's champion policy from the registry into a folder, for train and evaluate.",
         _configure_champion)
def _champion(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .evaluate.champion_folder import save_champion

    Path(args.out).mkdir(parents=True, exist_ok=True)
    # Only a lasting registry has a champion worth comparing with: the default file registry of a
    # pipeline task's image, or one inside the register task's own output, starts empty.
    lasting = args.model_name and (args.registry or args.vertex_project)
    champion = _fetch_champion(args, Path(args.out)) if lasting else None
    save_champion(champion, args.out)
    if args.executor_output:
        from .kfp_executor_output import OutputArtifact, write_executor_output

        version = {"version": "" if champion is None else champion.version}
        write_executor_output(args.executor_output, {"champion": OutputArtifact(args.out, version)})
    if champion is not None:
        print(f"{args.model_name}: champion version {champion.version}")
    else:
        print(f"{args.model_name} has no champion yet" if lasting else "no registry given: no champion")
    return 0


def _configure_evaluate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", required=True, metavar="FILE", help="the ONNX policy")
    parser.add_argument("--build", required=True, metavar="DIR", help="build stage output (build_info.json)")
    parser.add_argument("--generated", required=True, metavar="DIR", help="codegen stage output (behavior.json)")
    parser.add_argument("--episodes", type=int, default=100, metavar="N", help="episodes to run (default 100)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the episodes (default 0)")
    parser.add_argument("--backend", default="auto", choices=["auto", "standin", "unity"],
                        help="standin: in-process simulation; unity: drive the player; auto: what the build was")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder (eval_metrics.json)")
    champion = parser.add_argument_group(
        "champion", "with --model-name, the registry's champion of that model runs on the same episodes; with "
        "--champion, the one the champion command fetched")
    champion.add_argument("--champion", default="", metavar="DIR", help="the champion command's output folder")
    champion.add_argument("--model-name", default="", help="registered model whose champion to compare with")
    champion.add_argument("--registry", default="", metavar="DIR", help="file registry root (default "
                          "$MLOPS_REGISTRY_DIR or ~/.local/share/unity-mlops/registry); ignored with --vertex-project")
    champion.add_argument("--vertex-project", default="", metavar="P", help="read the champion from this project's "
                          "Vertex AI Model Registry")
    champion.add_argument("--vertex-region", default="us-central1", metavar="R", help="Vertex AI region")
    champion.add_argument("--staging-bucket", default="", metavar="GS_URI",
                          help="the register stage's gs://BUCKET (Vertex AI; default: the bucket --out is stored in)")


@command("evaluate", "Run an ONNX policy for N seeded episodes; write mean/std reward, success rate, episode length.",
         _configure_evaluate)
def _evaluate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .build.existing import built_player, load_existing
    from .evaluate import EVAL_METRICS_FILE
    from .evaluate.report import summarize
    from .evaluate.stage import evaluate, evaluate_existing

    if args.champion and args.model_name:
        raise MLOpsError("give --champion (a fetched champion) or --model-name (fetch it now), not both")
    champion = _champion_from(args.champion)
    if args.model_name:
        champion = _fetch_champion(args, Path(args.out) / "champion")
        if champion is None:
            print(f"{args.model_name} has no champion yet: evaluating the candidate alone", file=sys.stderr)

    def log(message: str) -> None:
        print(message, file=sys.stderr)

    existing = load_existing(args.generated)
    if existing is not None:  # a player the pipeline did not generate: only the player says what it is
        report = evaluate_existing(args.model, built_player(args.build), existing.behavior_name, args.episodes,
                                   args.out, seed=args.seed, log=log, champion=champion)
    else:
        report = evaluate(args.model, args.build, args.generated, args.episodes, args.out, seed=args.seed,
                          backend=args.backend, log=log, champion=champion)
    metrics = report.metrics
    for number, episode in enumerate(report.episodes, start=1):
        print(f"episode {number}/{len(report.episodes)}: reward {episode.reward:.4g}, {episode.length} decisions, "
              f"{'success' if episode.success else 'no success'}", file=sys.stderr)
    if args.executor_output:
        from .kfp_executor_output import OutputArtifact, write_executor_output

        numbers = {key: value for key, value in metrics.items() if not isinstance(value, bool)}
        if report.champion is not None:
            numbers |= {f"champion_{key}": value for key, value in summarize(report.champion.episodes).items()
                        if not isinstance(value, bool) and key != "episodes"}
        write_executor_output(args.executor_output, {
            "evaluation": OutputArtifact(args.out, {"backend": report.backend}),
            "metrics": OutputArtifact(Path(args.out) / EVAL_METRICS_FILE, numbers),
        })
    print(f"{report.behavior_name}: mean reward {metrics['mean_reward']:.4g} ± {metrics['std_reward']:.3g}, "
          f"success {metrics['success_rate']:.0%}, length {metrics['mean_episode_length']:.1f} "
          f"over {metrics['episodes']} episodes ({report.backend})")
    if report.champion is not None:
        theirs = summarize(report.champion.episodes)
        print(f"champion version {report.champion.version} on the same episodes: mean reward "
              f"{theirs['mean_reward']:.4g} ± {theirs['std_reward']:.3g}, success {theirs['success_rate']:.0%}")
    return 0


def _add_orchestrator_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--work-dir", help="where run directories go (default: $MLOPS_WORK_DIR or ./runs)")
    parser.add_argument("--registry-dir", help="file registry root (default: $MLOPS_REGISTRY_DIR or ~/.local/share)")
    parser.add_argument("--backend", default="auto", choices=["auto", "unity", "standin"], help="build backend")
    parser.add_argument("--unity-project", help="Unity project for the unity backend")
    parser.add_argument("--vertex-project", help="register in Vertex AI Model Registry of this project")
    parser.add_argument("--vertex-region", default="us-central1")
    parser.add_argument("--staging-bucket", help="gs:// bucket for Vertex AI artifacts")
    parser.add_argument("--webhook-url", default=os.environ.get("MLOPS_WEBHOOK_URL"),
                        help="POST job and stage events here (default: $MLOPS_WEBHOOK_URL)")
    parser.add_argument("--eval-episodes", type=int, default=20)
    _add_gate_options(parser)


def _orchestrator_from(args: argparse.Namespace):
    from .orchestrator import UnityMLOpsOrchestrator

    return UnityMLOpsOrchestrator(
        vertex_project=args.vertex_project, vertex_region=args.vertex_region, work_dir=args.work_dir,
        registry_dir=args.registry_dir, build_backend=args.backend, unity_project=args.unity_project,
        staging_bucket=args.staging_bucket, webhook_url=args.webhook_url,
        webhook_secret=os.environ.get("MLOPS_WEBHOOK_SECRET"), eval_episodes=args.eval_episodes,
        champion_margin=args.champion_margin, gate_confidence=args.gate_confidence,
        gate_min_episodes=args.gate_min_episodes, gate_floors=dict(args.floor), progress=lambda message: print(message, file=sys.stderr, flush=True),
    )


def _configure_run(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("job", metavar="JOB.yaml", help="a TrainingJob (job_id, asset_spec, rl_config)")
    _add_orchestrator_options(parser)


@command("run", "Run one training job through every stage locally and print its result.", _configure_run)
def _run(args: argparse.Namespace) -> int:
    import asyncio

    from .specs import TrainingJob

    job = TrainingJob.load(args.job)
    orchestrator = _orchestrator_from(args)
    try:
        result = asyncio.run(orchestrator.execute_training_job(job))
    finally:
        orchestrator.close()
    print(result)
    return 0 if result.succeeded else 1


def _configure_schedule(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("schedules", metavar="SCHEDULES.yaml",
                        help="a document with a 'schedules' list of TrainingSchedule entries")
    parser.add_argument("--state", help="where the last fire of each schedule is kept (default: in the work dir)")
    _add_orchestrator_options(parser)


@command("schedule", "Run TrainingSchedules on their cron as a service (stop with SIGTERM or Ctrl-C).",
         _configure_schedule)
def _schedule(args: argparse.Namespace) -> int:
    import asyncio

    from .documents import read_document
    from .errors import Problem, SpecValidationError
    from .observability.logs import configure_logging
    from .scheduler import TrainingScheduler
    from .specs import TrainingSchedule

    document = read_document(args.schedules)
    if not isinstance(document, dict) or not isinstance(document.get("schedules"), list):
        raise SpecValidationError([Problem("schedules", "is required: a list of TrainingSchedule entries")],
                                  source=args.schedules)
    schedules = [TrainingSchedule.from_dict(entry, source=f"{args.schedules}: schedules[{index}]")
                 for index, entry in enumerate(document["schedules"])]
    configure_logging()
    orchestrator = _orchestrator_from(args)
    scheduler = TrainingScheduler(orchestrator, state_path=args.state)
    for schedule in schedules:
        scheduler.add_schedule(schedule)
    try:
        asyncio.run(scheduler.run_forever())
    finally:
        orchestrator.close()
    return 0


def _configure_record_demos(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--generated", required=True, metavar="DIR", help="codegen stage output")
    parser.add_argument("--episodes", required=True, type=int, help="expert episodes to record")
    parser.add_argument("--out", required=True, metavar="FILE.demo", help="the .demo file to write")
    parser.add_argument("--seed", type=int, default=0)


@command("record-demos", "Record the task's scripted expert on the stand-in as an ML-Agents .demo file.",
         _configure_record_demos)
def _record_demos(args: argparse.Namespace) -> int:
    from .demos.record import record_demonstrations

    summary = record_demonstrations(args.generated, args.episodes, args.out, seed=args.seed)
    print(f"recorded {summary['episodes']} episodes ({summary['steps']} steps, expert success "
          f"{summary['success_rate']:.0%}, mean return {summary['mean_return']:.3f}) to {summary['path']}")
    return 0
