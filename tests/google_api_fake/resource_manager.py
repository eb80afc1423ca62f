"""Resource Manager's Projects answered in memory: a project's number by its id.

aiplatform asks for it when a run's pipeline root is on a bucket that already exists, to check
that the bucket belongs to the run's project (``PipelineJob.submit`` compares it with the
bucket's ``projectNumber``). aiplatform makes that client itself, with no endpoint setting, so a
test points it here with :func:`projects_client_at`.
"""

from __future__ import annotations

import functools

import pytest
from google.api_core import exceptions as api_exceptions
from google.cloud import resourcemanager
from google.cloud.resourcemanager_v3.services.projects.transports.rest_base import _BaseProjectsRestTransport
from google.cloud.resourcemanager_v3.types import projects

from .routes import Route, routes_of


def resource_manager_routes() -> list[Route]:
    return routes_of(_BaseProjectsRestTransport, [projects])


def projects_client_at(monkeypatch: pytest.MonkeyPatch, endpoint: str) -> None:
    """Every ``ProjectsClient`` made while the test runs talks REST to ``endpoint``."""
    client = functools.partial(
        resourcemanager.ProjectsClient, transport="rest", client_options={"api_endpoint": endpoint}
    )
    monkeypatch.setattr(resourcemanager, "ProjectsClient", client)


class FakeResourceManager:
    """Projects as ``{project id: project number}``."""

    def __init__(self, numbers: dict[str, str]) -> None:
        self.numbers = numbers

    def get_project(self, request: projects.GetProjectRequest) -> projects.Project:
        project_id = request.name.removeprefix("projects/")
        if project_id not in self.numbers:
            raise api_exceptions.PermissionDenied(f"Permission denied on resource project {project_id}.")
        return projects.Project(name=f"projects/{self.numbers[project_id]}", project_id=project_id)
