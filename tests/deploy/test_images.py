"""Image names: one place, retagged at compile time, and nothing unknown slips through."""

from __future__ import annotations

import pytest

from mlops_unity_pipeline.deploy.images import DEFAULT_IMAGES, ROLES, ImageSet, default_ref, parse_aliases, retag
from mlops_unity_pipeline.errors import DeployError


def test_references_are_registry_role_and_tag() -> None:
    images = ImageSet("europe-west4-docker.pkg.dev/p/repo", "abc123")
    assert images.ref("trainer") == "europe-west4-docker.pkg.dev/p/repo/trainer:abc123"
    assert default_ref("pipeline") == DEFAULT_IMAGES.ref("pipeline")


def test_environment_fills_what_flags_leave_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMAGE_REGISTRY", "env.example/r")
    monkeypatch.setenv("IMAGE_TAG", "from-env")
    assert ImageSet.from_env(tag="from-flag") == ImageSet("env.example/r", "from-flag")
    monkeypatch.delenv("IMAGE_REGISTRY")
    monkeypatch.delenv("IMAGE_TAG")
    assert ImageSet.from_env() == DEFAULT_IMAGES


@pytest.mark.parametrize(("registry", "tag"), [("", "1"), ("reg/", "1"), ("reg", "a:b"), ("reg", "with space")])
def test_malformed_registries_and_tags_are_refused(registry: str, tag: str) -> None:
    with pytest.raises(DeployError):
        ImageSet(registry, tag)


def test_unknown_roles_are_refused() -> None:
    with pytest.raises(DeployError, match="known: " + ", ".join(ROLES)):
        DEFAULT_IMAGES.ref("gpu-thing")


def test_retag_replaces_declared_images_and_refuses_others() -> None:
    spec = {
        "deploymentSpec": {
            "executors": {
                "exec-a": {"container": {"image": default_ref("pipeline")}},
                "exec-b": {"importer": {"artifactUri": {"constant": "gs://x"}}},
            }
        }
    }
    retag(spec, ImageSet("r.example", "t"))
    assert spec["deploymentSpec"]["executors"]["exec-a"]["container"]["image"] == "r.example/pipeline:t"
    foreign = {"deploymentSpec": {"executors": {"exec-c": {"container": {"image": "python:3.11"}}}}}
    with pytest.raises(DeployError, match="exec-c"):
        retag(foreign, DEFAULT_IMAGES)


def test_an_alias_runs_one_role_in_another_roles_image() -> None:
    images = ImageSet("r.example", "t", parse_aliases(["unity-builder=pipeline"]))
    assert images.ref("unity-builder") == "r.example/pipeline:t"
    assert images.ref("trainer") == "r.example/trainer:t"
    spec = {"deploymentSpec": {"executors": {"exec-build": {"container": {"image": default_ref("unity-builder")}}}}}
    assert (
        retag(spec, images)["deploymentSpec"]["executors"]["exec-build"]["container"]["image"] == "r.example/pipeline:t"
    )


@pytest.mark.parametrize(
    ("assignments", "message"),
    [
        (["unity-builder"], "is not ROLE=ROLE"),
        (["unity-builder=gpu"], "unknown image role 'gpu'"),
        (["unity-builder=pipeline", "pipeline=trainer"], "pipeline is itself an alias"),
    ],
)
def test_bad_aliases_are_refused(assignments: list[str], message: str) -> None:
    with pytest.raises(DeployError, match=message):
        ImageSet(aliases=parse_aliases(assignments))
