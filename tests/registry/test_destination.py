"""Which registry the register command chooses, and the choice it refuses."""

from __future__ import annotations

import pytest

from mlops_unity_pipeline.registry import (
    RegistryError,
    choose_destination,
    job_id_from_run_name,
    pipeline_job_id,
    registered_model_name,
)


def test_a_vertex_project_wins_and_empty_settings_count_as_unset(tmp_path):
    chosen = choose_destination(
        vertex_project="my-project",
        vertex_region="",
        staging_bucket="gs://b/x",
        serving_image="",
        experiment="",
        tensorboard="",
        registry_dir="/registry",
        out=tmp_path,
        registry_in_output=True,
    )
    assert chosen.registry_dir is None and chosen.warning is None
    assert (chosen.vertex.project, chosen.vertex.region, chosen.vertex.staging_bucket) == (
        "my-project",
        "us-central1",
        "gs://b/x",
    )
    assert (chosen.vertex.serving_image, chosen.vertex.experiment, chosen.vertex.tensorboard) == (None, None, None)


def test_on_vertex_ai_the_staging_bucket_defaults_to_the_pipeline_roots():
    """Vertex AI mounts the pipeline root's bucket at /gcs/BUCKET; the task's output lives there."""
    chosen = choose_destination(
        vertex_project="my-project", staging_bucket="", out="/gcs/pipeline-bucket/root/123/register/registration"
    )
    assert chosen.vertex.staging_bucket == "gs://pipeline-bucket"


def test_a_vertex_project_without_any_bucket_is_refused(tmp_path):
    with pytest.raises(RegistryError, match="needs a staging bucket"):
        choose_destination(vertex_project="my-project", out=tmp_path)


def test_the_file_registry_inside_the_output_is_refused_on_object_storage():
    with pytest.raises(RegistryError) as error:
        choose_destination(out="/gcs/pipeline-bucket/root/123/register/registration", registry_in_output=True)
    message = str(error.value)
    assert "stored at gs://pipeline-bucket/root/123/register/registration" in message
    assert "every version would become champion" in message and "compile.py --project" in message


def test_the_file_registry_inside_the_output_is_allowed_here_and_said_loudly(tmp_path):
    chosen = choose_destination(
        vertex_project="", registry_dir="", out=tmp_path / "registration", registry_in_output=True
    )
    assert chosen.vertex is None and chosen.registry_dir == tmp_path / "registration" / "registry"
    assert (
        chosen.warning.startswith("warning: no vertex_project and no registry_dir")
        and "starts empty on every run" in chosen.warning
    )


def test_without_anything_the_default_file_registry_is_used(tmp_path):
    assert choose_destination(out=tmp_path) == choose_destination()
    assert choose_destination().registry_dir is None and choose_destination().vertex is None


def test_one_rule_names_the_registered_model():
    """A prefix (a pipeline's model_name) makes one model per asset; a local run defaults to the behaviour's name."""
    assert registered_model_name("reach-001", prefix="walkers", behavior_name="Reacher") == "walkers-reach-001"
    assert registered_model_name("reach-001", behavior_name="Reacher") == "Reacher"
    with pytest.raises(RegistryError, match="needs the asset id"):
        registered_model_name(None, prefix="walkers")


def test_a_pipeline_job_id_names_the_run_and_the_asset():
    assert (
        pipeline_job_id("nightly run/for-loop-2-iteration-0", "reach-001")
        == "nightly_run_for-loop-2-iteration-0-reach-001"
    )
    assert pipeline_job_id("run-7") == "run-7"


@pytest.mark.parametrize(
    ("run_name", "job_id"),
    [
        ("nightly run/for-loop-2-iteration-0-reach-001", "nightly_run_for-loop-2-iteration-0-reach-001"),
        ("unity-mlops-training-20261130221500-test-001", "unity-mlops-training-20261130221500-test-001"),
    ],
)
def test_a_run_name_becomes_a_job_id(run_name, job_id):
    assert job_id_from_run_name(run_name) == job_id


def test_a_run_name_that_cannot_be_a_job_id_is_refused():
    with pytest.raises(RegistryError, match="job id '_x' is not allowed"):
        job_id_from_run_name("/x")
