"""A Unity project's version: a hash of its inputs' names and contents, for cached builds to key on.

A nightly run builds the project at the same URI every night; a build cached on the URI would
never see the project change. For a ``gs://`` project the hash is made of each input object's
name and checksum (MD5, or CRC32C for composite objects) as Cloud Storage reports them, so
nothing is downloaded; for a folder it is :func:`.cache.project_sha256` of its files.
"""

from __future__ import annotations

import hashlib

from .. import gcs
from ..errors import BuildConfigError
from .cache import PROJECT_INPUTS, project_sha256
from .unity_backend import resolve_project


def project_version(uri: str, project: str | None = None) -> str:
    """The version of the Unity project at ``uri`` (a folder or ``gs://bucket/path``); ``""`` for none."""
    if not uri:
        return ""
    if uri.startswith(gcs.GS_PREFIX):
        return _gcs_version(uri, project)
    return project_sha256(resolve_project(uri))


def _gcs_version(uri: str, project: str | None) -> str:
    bucket, prefix = gcs.split_gs_uri(uri, "unity_project_uri")
    storage = gcs.client(project)
    digest = hashlib.sha256()
    found = 0
    for top in PROJECT_INPUTS:
        folder = f"{prefix}/{top}/" if prefix else f"{top}/"
        for blob in sorted(storage.list_blobs(bucket, prefix=folder), key=lambda blob: blob.name):
            checksum = blob.md5_hash or blob.crc32c
            digest.update(blob.name[len(prefix) :].lstrip("/").encode() + b"\0" + str(checksum).encode() + b"\0")
            found += 1
    if not found:
        raise BuildConfigError(f"{uri} is not a Unity project: it has no objects under {', '.join(PROJECT_INPUTS)}")
    return digest.hexdigest()
