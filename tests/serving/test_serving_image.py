"""containers/serving/Dockerfile: lint-clean, and consistent with what the register stage tells Vertex AI.

Building the image is the image pipeline's job; here the Dockerfile is linted with hadolint and
its defaults are compared with the container spec uploaded to the Model Registry.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from mlops_unity_pipeline.registry import vertex_registry
from mlops_unity_pipeline.serving import server

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO_ROOT / "containers" / "serving" / "Dockerfile"


def test_hadolint_finds_nothing():
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    result = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_defaults_match_the_uploaded_container_spec():
    text = DOCKERFILE.read_text()
    instructions = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    env = dict(re.findall(r"\b(AIP_[A-Z_]+)=(\S+)", instructions))
    assert env == {
        "AIP_HTTP_PORT": str(vertex_registry.SERVING_PORT),
        "AIP_HEALTH_ROUTE": vertex_registry.HEALTH_ROUTE,
        "AIP_PREDICT_ROUTE": vertex_registry.PREDICT_ROUTE,
    }
    assert (server.DEFAULT_PORT, server.DEFAULT_HEALTH_ROUTE, server.DEFAULT_PREDICT_ROUTE) == (
        vertex_registry.SERVING_PORT,
        vertex_registry.HEALTH_ROUTE,
        vertex_registry.PREDICT_ROUTE,
    )
    assert f"EXPOSE {vertex_registry.SERVING_PORT}" in text
    assert 'CMD ["python", "-m", "mlops_unity_pipeline", "serve"]' in text
