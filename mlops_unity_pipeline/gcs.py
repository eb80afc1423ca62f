"""Cloud Storage transfers for the Vertex registry, the serving image and project versions (``gs://`` URIs).

``google.cloud.storage`` is imported when a function runs, not when this module is imported,
so the library core keeps working where google-cloud is not installed (the trainer
environment). ``STORAGE_EMULATOR_HOST`` points the client at a local emulator, as the
client library itself defines.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import CloudStorageError

GS_PREFIX = "gs://"


def split_gs_uri(uri: str, what: str = "Cloud Storage URI") -> tuple[str, str]:
    """``gs://bucket/some/prefix`` → ``("bucket", "some/prefix")``; anything else is an error."""
    if not isinstance(uri, str) or not uri.startswith(GS_PREFIX) or not uri[len(GS_PREFIX) :].split("/")[0]:
        raise CloudStorageError(f"{what} {uri!r} is not allowed; expected gs://BUCKET[/PREFIX]")
    bucket, _, prefix = uri[len(GS_PREFIX) :].partition("/")
    return bucket, prefix.strip("/")


def client(project: str | None, credentials: Any = None) -> Any:
    """A storage client; missing credentials become a :class:`CloudStorageError` that says how to fix it."""
    from google.auth.exceptions import GoogleAuthError
    from google.cloud import storage

    try:
        return storage.Client(project=project, credentials=credentials)
    except GoogleAuthError as exc:
        raise CloudStorageError(
            f"no usable Google Cloud credentials for Cloud Storage ({exc}); set GOOGLE_APPLICATION_CREDENTIALS "
            "or run 'gcloud auth application-default login'"
        ) from None


def require_bucket(storage_client: Any, bucket: str) -> Any:
    """The bucket, checked to exist before anything is written to it."""
    found = storage_client.lookup_bucket(bucket)
    if found is None:
        raise CloudStorageError(f"staging bucket gs://{bucket} does not exist or is not visible to these credentials")
    return found


def upload_file(bucket: Any, local: Path, blob_name: str) -> str:
    bucket.blob(blob_name).upload_from_filename(str(local))
    return f"{GS_PREFIX}{bucket.name}/{blob_name}"


def upload_json(bucket: Any, data: Any, blob_name: str) -> str:
    return upload_text(bucket, json.dumps(data, indent=2, ensure_ascii=True) + "\n", blob_name, "application/json")


def upload_text(bucket: Any, text: str, blob_name: str, content_type: str = "text/plain") -> str:
    bucket.blob(blob_name).upload_from_string(text, content_type=content_type)
    return f"{GS_PREFIX}{bucket.name}/{blob_name}"


def read_json(storage_client: Any, uri: str) -> Any:
    bucket, name = split_gs_uri(uri)
    return json.loads(storage_client.bucket(bucket).blob(name).download_as_bytes())


def download_file(storage_client: Any, uri: str, target: Path) -> Path:
    """Copy the object at ``uri`` to the file ``target``; returns ``target``."""
    bucket, name = split_gs_uri(uri)
    target.parent.mkdir(parents=True, exist_ok=True)
    storage_client.bucket(bucket).blob(name).download_to_filename(str(target))
    return target


def download_prefix(storage_client: Any, uri: str, target: Path) -> list[Path]:
    """Copy every object under ``uri`` into ``target`` (keeping relative paths); returns the local files."""
    bucket, prefix = split_gs_uri(uri)
    written = []
    for blob in storage_client.list_blobs(bucket, prefix=f"{prefix}/" if prefix else None):
        relative = blob.name[len(prefix) :].lstrip("/") if prefix else blob.name
        if not relative or relative.endswith("/"):
            continue
        local = target / relative
        local.parent.mkdir(parents=True, exist_ok=True)
        blob.download_to_filename(str(local))
        written.append(local)
    return written
