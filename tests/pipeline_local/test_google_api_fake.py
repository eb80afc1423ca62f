"""The local Google API fakes the Vertex AI run uses, checked against the real client libraries.

The Vertex AI pipeline's documented parameters build with the stand-in, which reads no Unity
license, so the Secret Manager fake is not reached there; here the build stage's own reader
(:func:`license_from_secret`) and the real SecretManagerServiceClient reach it over HTTP through
``SECRET_MANAGER_API_ENDPOINT``. Fake: only Secret Manager itself.
"""

from __future__ import annotations

import json

import pytest
from google.auth.credentials import AnonymousCredentials
from google_api_fake.secret_manager import FakeSecretManager, secret_manager_routes
from google_api_fake.server import FakeGoogleApis

from mlops_unity_pipeline.build.license import UnityLicenseError
from mlops_unity_pipeline.build.license_secret import license_from_secret
from mlops_unity_pipeline.google_endpoints import SECRET_MANAGER

SECRET = "projects/unity-mlops-test/secrets/unity-license"
SERIAL = {"UNITY_SERIAL": "SB-XXXX-XXXX", "UNITY_EMAIL": "ci@example.com", "UNITY_PASSWORD": "pw"}


@pytest.fixture
def secret_manager(monkeypatch):
    import google.auth

    service = FakeSecretManager({SECRET: [b"old", json.dumps(SERIAL).encode()]})
    monkeypatch.setattr(google.auth, "default", lambda *args, **kwargs: (AnonymousCredentials(), "unity-mlops-test"))
    with FakeGoogleApis([(secret_manager_routes(), service)]) as server:
        monkeypatch.setenv(SECRET_MANAGER, server.endpoint)
        yield server


def test_the_license_is_read_from_the_latest_secret_version(secret_manager):
    license = license_from_secret(f"{SECRET}/versions/latest")
    assert (license.serial, license.email, license.password) == tuple(SERIAL.values())
    (request,) = secret_manager.requests("AccessSecretVersion")
    assert request.name == f"{SECRET}/versions/latest"


def test_a_missing_version_is_the_services_not_found(secret_manager):
    with pytest.raises(UnityLicenseError, match=f"cannot read the Unity license secret {SECRET}/versions/7"):
        license_from_secret(f"{SECRET}/versions/7")
