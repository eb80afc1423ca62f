"""Fixtures of the local pipeline tests: the images, built once for every test that runs them."""

from __future__ import annotations

import pytest

from .test_docker_run import _make, _tail, docker_client, on_ci


@pytest.fixture(scope="session")
def local_images() -> str:
    """A Docker client whose engine holds the pipeline, trainer and serving images (``make images-local``).

    Built once per session: a second ``make images-local`` finds every layer cached but still
    takes seconds to go through them. Skipped, saying why, where no Docker engine answers, except
    on CI (``CI`` set), where that is a failure.
    """
    client, reason = docker_client()
    if client is None:
        if on_ci():
            pytest.fail(f"Docker is not available on CI, where .ci/run installs and starts it: {reason}")
        pytest.skip(f"Docker is not available: {reason}")
    images = _make(client, "images-local", timeout=3000)
    assert images.returncode == 0, _tail(images)
    return client
