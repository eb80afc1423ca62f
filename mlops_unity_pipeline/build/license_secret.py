"""The Unity license read from Google Cloud Secret Manager, where Vertex AI tasks keep their secrets.

Vertex AI Pipelines sets no secret environment variables, so the build task reads the license
itself from a secret version (``projects/P/secrets/S/versions/V``; ``latest`` allowed) with the
task's service account, which needs ``roles/secretmanager.secretAccessor`` on it. The secret
holds either the ``.ulf`` license file itself, or a JSON object with the environment's names:
``{"UNITY_LICENSE": ...}`` or ``{"UNITY_SERIAL": ..., "UNITY_EMAIL": ..., "UNITY_PASSWORD": ...}``.
Only the secret's name is ever printed, never its payload.
"""

from __future__ import annotations

import json
import re

from ..google_endpoints import SECRET_MANAGER, from_environment
from .license import LICENSE_VAR, SERIAL_VARS, UnityLicense, UnityLicenseError

SECRET_VERSION = re.compile(r"^projects/[^/]+/(locations/[^/]+/)?secrets/[^/]+/versions/[^/]+$")


def license_from_secret(version_name: str) -> UnityLicense:
    """Read and parse the secret version ``version_name``; errors name the secret, never its content."""
    if not SECRET_VERSION.match(version_name):
        raise UnityLicenseError(
            f"unity_license_secret {version_name!r} is not a secret version; expected "
            "projects/PROJECT/secrets/NAME/versions/VERSION (VERSION may be 'latest')"
        )
    from google.api_core import exceptions
    from google.cloud import secretmanager

    endpoint = from_environment(SECRET_MANAGER)
    client = (
        secretmanager.SecretManagerServiceClient(client_options=endpoint.client_options, transport=endpoint.transport)
        if endpoint
        else secretmanager.SecretManagerServiceClient()
    )
    try:
        response = client.access_secret_version(name=version_name)
    except exceptions.GoogleAPICallError as exc:
        raise UnityLicenseError(f"cannot read the Unity license secret {version_name}: {exc.message}") from None
    return parse_license(response.payload.data.decode("utf-8"), version_name)


def parse_license(payload: str, source: str) -> UnityLicense:
    """A license file's text, or a JSON object of ``UNITY_*`` values, as a :class:`UnityLicense`."""
    text = payload.strip()
    if not text.startswith("{"):
        return UnityLicense(license_file=payload)
    try:
        values = json.loads(text)
    except json.JSONDecodeError:
        raise UnityLicenseError(f"the Unity license secret {source} starts like JSON but is not JSON") from None
    known = {LICENSE_VAR, *SERIAL_VARS}
    if not isinstance(values, dict) or not values or set(values) - known:
        raise UnityLicenseError(
            f"the Unity license secret {source} must be a license file or a JSON object with "
            f"{LICENSE_VAR}, or with {', '.join(SERIAL_VARS)}; it has keys {sorted(values) if isinstance(values, dict) else '-'}"
        )
    return UnityLicense.from_environment({key: str(value) for key, value in values.items()})
