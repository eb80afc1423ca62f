"""Service-account credentials for a fake Google API: a fresh RSA key, its token endpoint on 127.0.0.1.

Client libraries load it through ``GOOGLE_APPLICATION_CREDENTIALS`` as they would a real key;
GAPIC clients sign their own JWTs with it, and anything that asks for an OAuth token asks the
fake's ``/token``, never Google.
"""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def service_account_file(path: Path, project: str, token_uri: str) -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    path.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": project,
                "private_key_id": "fake-key",
                "private_key": pem.decode(),
                "client_email": f"pipelines@{project}.iam.gserviceaccount.com",
                "client_id": "1",
                "token_uri": token_uri,
            }
        )
    )
    return path
