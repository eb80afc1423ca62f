"""Running a compiled pipeline on Kubeflow Pipelines (a kind cluster, say): one run now, or a recurring run.

Thin wrappers over ``kfp.Client`` taking cron already converted by :mod:`.cron`.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..cron import CronSchedule
from ..errors import DeployError
from .compiler import read_pipeline_documents
from .cron import for_kfp

DEFAULT_EXPERIMENT = "unity-mlops"
#: A Kubernetes object name (RFC 1123 subdomain), which service account names are.
KUBERNETES_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


@dataclass(frozen=True)
class KubeflowSettings:
    """Which Kubeflow Pipelines API to talk to, and how runs are grouped."""

    host: str
    experiment: str = DEFAULT_EXPERIMENT
    namespace: str | None = None
    #: The Kubernetes service account of the run's pods; empty: the cluster's default for pipelines.
    service_account: str | None = None

    def __post_init__(self) -> None:
        if self.service_account and not KUBERNETES_NAME.match(self.service_account):
            raise DeployError(
                f"service account {self.service_account!r} is not a Kubernetes service account name (lowercase "
                "letters, digits, '-' and '.'); Kubeflow Pipelines runs pods as one, e.g. 'pipeline-runner' "
                "(--service-account or $KFP_SERVICE_ACCOUNT; $VERTEX_SA_EMAIL is for Vertex AI only)"
            )


def client(settings: KubeflowSettings) -> Any:
    """A ``kfp.Client`` for the settings' host and namespace."""
    import kfp

    return kfp.Client(host=settings.host, **({"namespace": settings.namespace} if settings.namespace else {}))


def submit(
    package_path: str | os.PathLike[str], run_name: str, parameters: Mapping[str, Any], settings: KubeflowSettings
) -> str:
    """Start one run of the compiled package; return its run id."""
    read_pipeline_documents(package_path)
    result = client(settings).create_run_from_pipeline_package(
        os.fspath(package_path),
        arguments=dict(parameters),
        run_name=run_name,
        experiment_name=settings.experiment,
        namespace=settings.namespace,
        enable_caching=None,  # each task's own setting, chosen when compiling
        service_account=settings.service_account,
    )
    return result.run_id


def create_recurring_run(
    package_path: str | os.PathLike[str],
    job_name: str,
    parameters: Mapping[str, Any],
    settings: KubeflowSettings,
    cron: CronSchedule,
    *,
    max_concurrency: int = 1,
    catch_up: bool = False,
    enabled: bool = True,
) -> str:
    """Make ``job_name`` the one recurring run of the compiled package on ``cron``; return its id.

    Deploying the same recurring run again replaces it: the new one is created first (disabled
    from the start when not ``enabled``), then earlier ones of that name in the experiment are
    deleted, so a failed creation leaves them as they were.
    """
    read_pipeline_documents(package_path)
    kfp_client = client(settings)
    experiment = kfp_client.create_experiment(settings.experiment, namespace=settings.namespace)
    earlier = _recurring_runs_named(kfp_client, experiment.experiment_id, job_name)
    recurring = kfp_client.create_recurring_run(
        experiment_id=experiment.experiment_id,
        job_name=job_name,
        cron_expression=for_kfp(cron),
        max_concurrency=max_concurrency,
        no_catchup=not catch_up,
        params=dict(parameters),
        pipeline_package_path=os.fspath(package_path),
        enabled=enabled,
        enable_caching=None,  # each task's own setting, chosen when compiling
        service_account=settings.service_account,
    )
    for old in earlier:
        kfp_client.delete_recurring_run(old)
    return recurring.recurring_run_id


def _recurring_runs_named(kfp_client: Any, experiment_id: str, name: str) -> list[str]:
    """The ids of the experiment's recurring runs whose display name is ``name``, every page read."""
    name_filter = json.dumps({"predicates": [{"operation": "EQUALS", "key": "display_name", "string_value": name}]})
    ids, token = [], ""
    while True:
        page = kfp_client.list_recurring_runs(
            experiment_id=experiment_id, filter=name_filter, page_token=token, page_size=100
        )
        ids += [run.recurring_run_id for run in page.recurring_runs or [] if run.display_name == name]
        token = page.next_page_token
        if not token:
            return ids
