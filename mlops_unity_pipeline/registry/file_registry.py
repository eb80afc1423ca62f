"""The default model registry: a plain directory tree that several processes can share safely.

Layout::

    <root>/<model_name>/
        versions/<n>/model.onnx       the policy
        versions/<n>/behavior.json    the BehaviorSpec it was trained for (player.json: the behaviour a
                                      player the pipeline did not generate declared at the handshake)
        versions/<n>/metadata.json    job, hashes, configs, metrics, lineage, quality-gate decision
        aliases.json                  {"aliases": {"champion": 3, ...}, "history": [...]}
        .lock                         the model's file lock
        .incoming/<host>.<pid>.<hex>/ a version still being written; never listed

The root is ``$MLOPS_REGISTRY_DIR``, else ``$XDG_DATA_HOME/unity-mlops/registry``, else
``~/.local/share/unity-mlops/registry``.

Why this is safe: a version is written in full under ``.incoming/`` (files fsynced), then made
visible by one ``rename`` into ``versions/<n>``, so a crash never leaves a version that looks
complete. The version number is chosen, and the rename and alias update are done, while
holding an ``flock`` on ``.lock``; the kernel releases it if its holder dies, so concurrent
registrations never share or skip a number and a killed writer never blocks the others.
Leftovers of killed writers on this host are removed by the next registration.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from filelock import FileLock

from ..codegen.manifest import sha256_file
from ..documents import read_document, write_document
from ..errors import RegistryError, SpecValidationError
from ..evaluation_report import ChampionModel
from ..layouts import ModelLayout
from .candidate import Candidate, check_model_name, utc_now
from .model_registry import LATEST, Draft, ModelRegistry, check_alias
from .quality_gate import CHAMPION_ALIAS, Champion, GateDecision
from .registration import Registration

ENV_VAR_REGISTRY = "MLOPS_REGISTRY_DIR"
ALIASES_FILE = "aliases.json"
VERSIONS_DIR = "versions"
INCOMING_DIR = ".incoming"
LOCK_FILE = ".lock"
#: Fields every version's metadata.json has; listing and the quality gate read them.
REQUIRED_METADATA = ("files", "evaluation_metrics", "created_at")


def default_root() -> Path:
    """``$MLOPS_REGISTRY_DIR``, else ``$XDG_DATA_HOME/unity-mlops/registry``, else ``~/.local/share/...``."""
    if os.environ.get(ENV_VAR_REGISTRY):
        return registry_root(os.environ[ENV_VAR_REGISTRY])
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return registry_root(Path(base) / "unity-mlops" / "registry")


def registry_root(path: str | os.PathLike[str]) -> Path:
    """``path`` made absolute (``~`` expanded) once, where it comes in: version URIs and later stages need it."""
    return Path(path).expanduser().absolute()


@dataclass(frozen=True)
class ModelVersion:
    """One registered version as stored: where it lives, its metadata, the aliases pointing at it."""

    model_name: str
    version: int
    path: Path
    metadata: dict[str, Any]
    aliases: tuple[str, ...]

    @property
    def uri(self) -> str:
        return self.path.as_uri()

    @property
    def reference(self) -> str:
        """``NAME@VERSION``, the form the control plane uses for a model version."""
        return f"{self.model_name}@{self.version}"

    @property
    def model_path(self) -> Path:
        return self.path / ModelLayout.MODEL

    def to_dict(self) -> dict[str, Any]:
        return {
            "model_name": self.model_name,
            "version": self.version,
            "reference": self.reference,
            "uri": self.uri,
            "aliases": list(self.aliases),
            "metadata": self.metadata,
        }


class FileRegistry(ModelRegistry):
    """Register, list, look up and promote model versions under one root directory."""

    title = "the file registry"
    approves = True

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = registry_root(root) if root is not None else default_root()

    @contextlib.contextmanager
    def _draft(self, candidate: Candidate) -> Iterator[Draft]:
        """Copy the files into a staging folder, then hold the model's lock while the gate decides and the version is stored."""
        model_dir = self._model_dir(candidate.model_name)
        staging = model_dir / INCOMING_DIR / f"{socket.gethostname()}.{os.getpid()}.{secrets.token_hex(8)}"
        staging.mkdir(parents=True)
        try:
            files = {
                ModelLayout.MODEL: _copy_synced(candidate.model_path, staging / ModelLayout.MODEL),
                candidate.behavior_path.name: _copy_synced(
                    candidate.behavior_path, staging / candidate.behavior_path.name
                ),
            }
            if files[ModelLayout.MODEL] != candidate.model_sha256:
                raise RegistryError(
                    f"{candidate.model_path} changed since it was evaluated (sha256 {files[ModelLayout.MODEL]}, "
                    f"evaluated {candidate.model_sha256}); evaluate it again"
                )
            with self._locked(model_dir):
                _remove_dead_writers(model_dir / INCOMING_DIR)
                version = max(self._version_numbers(model_dir), default=0) + 1
                state = self._read_aliases(model_dir)
                champion = self._champion(model_dir, state["aliases"].get(CHAMPION_ALIAS))
                yield _FileDraft(self, model_dir, staging, version, state, champion, files)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    def champion_model(self, model_name: str, into: Path) -> ChampionModel | None:
        """The champion's own ``model.onnx`` in the registry (``into`` is not needed: the file is local)."""
        version = self.champion(model_name)
        return None if version is None else ChampionModel(str(version.version), version.model_path)

    def champion(self, model_name: str) -> ModelVersion | None:
        """The version the ``champion`` alias points at, or ``None`` when the model has none (yet)."""
        model_dir = self._model_dir(model_name)
        aliases = self._read_aliases(model_dir)["aliases"]
        number = aliases.get(CHAMPION_ALIAS)
        return None if number is None else self._load(model_dir, number, aliases)

    def models(self) -> list[str]:
        """Names of the models with at least one version, sorted."""
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_dir() and self._version_numbers(p))

    def versions(self, model_name: str) -> list[ModelVersion]:
        """Every complete version of a model, oldest first."""
        model_dir = self._model_dir(model_name)
        aliases = self._read_aliases(model_dir)["aliases"]
        return [self._load(model_dir, number, aliases) for number in sorted(self._version_numbers(model_dir))]

    def get(self, model_name: str, ref: str | int = LATEST) -> ModelVersion:
        """A version by number, alias (``champion``, a user alias) or ``latest``."""
        model_dir = self._model_dir(model_name)
        numbers = self._version_numbers(model_dir)
        if not numbers:
            raise RegistryError(f"model {model_name!r} has no versions in {self.root}")
        aliases = self._read_aliases(model_dir)["aliases"]
        number = self._resolve(model_name, str(ref), numbers, aliases)
        return self._load(model_dir, number, aliases)

    def promote(self, model_name: str, ref: str | int, alias: str = CHAMPION_ALIAS, reason: str = "") -> ModelVersion:
        """Point ``alias`` (``champion`` by default) at a version, by hand; the move is kept in the history."""
        check_alias(alias, allow_champion=True)
        model_dir = self._model_dir(model_name)
        with self._locked(model_dir):
            numbers = self._version_numbers(model_dir)
            if not numbers:
                raise RegistryError(f"model {model_name!r} has no versions in {self.root}")
            state = self._read_aliases(model_dir)
            number = self._resolve(model_name, str(ref), numbers, state["aliases"])
            self._move_aliases(model_dir, state, number, [(alias, reason or "promoted by hand")])
        return self.get(model_name, number)

    def alias_history(self, model_name: str) -> list[dict[str, Any]]:
        """Every alias move of a model, oldest first."""
        return self._read_aliases(self._model_dir(model_name))["history"]

    def verify(self, model_name: str) -> list[str]:
        """Problems found by re-hashing every version's files against its metadata; empty when intact."""
        problems = []
        for version in self.versions(model_name):
            for name, expected in version.metadata["files"].items():
                path = version.path / name
                actual = sha256_file(path) if path.is_file() else "missing"
                if actual != expected:
                    problems.append(f"{version.reference}: {name} is {actual}, metadata says {expected}")
        return problems

    # -- internals -------------------------------------------------------------------------

    def _model_dir(self, model_name: str) -> Path:
        return self.root / check_model_name(model_name)

    @contextlib.contextmanager
    def _locked(self, model_dir: Path) -> Iterator[None]:
        model_dir.mkdir(parents=True, exist_ok=True)
        with FileLock(str(model_dir / LOCK_FILE)):
            yield

    @staticmethod
    def _version_numbers(model_dir: Path) -> list[int]:
        versions = model_dir / VERSIONS_DIR
        if not versions.is_dir():
            return []
        return [int(p.name) for p in versions.iterdir() if p.name.isdigit() and p.is_dir()]

    @staticmethod
    def _read_metadata(model_dir: Path, number: int) -> dict[str, Any]:
        path = model_dir / VERSIONS_DIR / str(number) / ModelLayout.METADATA
        metadata = _read_registry_file(path)
        missing = [key for key in REQUIRED_METADATA if key not in metadata]
        if (
            missing
            or not isinstance(metadata.get("files"), dict)
            or not isinstance(metadata.get("evaluation_metrics"), dict)
        ):
            raise RegistryError(
                f"{path} is damaged: {', '.join(missing) or 'files or evaluation_metrics'} missing or malformed; "
                "restore it from a backup, or remove the version folder"
            )
        return metadata

    def _champion(self, model_dir: Path, number: int | None) -> Champion | None:
        if number is None:
            return None
        metadata = self._read_metadata(model_dir, number)
        return Champion(str(number), metadata["evaluation_metrics"], metadata["files"][ModelLayout.MODEL])

    @staticmethod
    def _read_aliases(model_dir: Path) -> dict[str, Any]:
        path = model_dir / ALIASES_FILE
        if not path.is_file():
            return {"aliases": {}, "history": []}
        state = _read_registry_file(path)
        aliases, history = state.get("aliases"), state.get("history")
        if (
            not isinstance(aliases, dict)
            or not isinstance(history, list)
            or not all(isinstance(name, str) and type(number) is int for name, number in aliases.items())
        ):
            raise RegistryError(
                f'{path} is damaged: expected {{"aliases": {{"champion": 3, ...}}, "history": [...]}}; '
                "restore it from a backup, or remove it (every alias is then unset)"
            )
        return state

    def _load(self, model_dir: Path, number: int, aliases: dict[str, int]) -> ModelVersion:
        names = tuple(sorted(alias for alias, target in aliases.items() if target == number))
        return ModelVersion(
            model_dir.name,
            number,
            model_dir / VERSIONS_DIR / str(number),
            self._read_metadata(model_dir, number),
            names,
        )

    @staticmethod
    def _resolve(model_name: str, ref: str, numbers: list[int], aliases: dict[str, int]) -> int:
        if ref == LATEST:
            return max(numbers)
        if ref.isdigit() and int(ref) in numbers:
            return int(ref)
        if ref in aliases:
            return aliases[ref]
        raise RegistryError(
            f"model {model_name!r} has no version {ref!r}; versions: {', '.join(map(str, sorted(numbers)))}; "
            f"aliases: {', '.join(sorted(aliases)) or 'none'}; or '{LATEST}'"
        )

    @staticmethod
    def _move_aliases(model_dir: Path, state: dict[str, Any], version: int, moves: list[tuple[str, str]]) -> None:
        """Point each alias at ``version`` (an alias names one version at a time) and log the move."""
        for alias, reason in moves:
            previous = state["aliases"].get(alias)
            state["history"].append(
                {"alias": alias, "version": version, "previous": previous, "at": utc_now(), "reason": reason}
            )
            state["aliases"][alias] = version
        state["aliases"] = dict(sorted(state["aliases"].items()))
        write_document(model_dir / ALIASES_FILE, state)


class _FileDraft(Draft):
    """A version staged under ``.incoming/``, stored by one rename into ``versions/<n>`` under the model's lock."""

    def __init__(
        self,
        registry: FileRegistry,
        model_dir: Path,
        staging: Path,
        version: int,
        state: dict[str, Any],
        champion: Champion | None,
        files: dict[str, str],
    ) -> None:
        self.registry, self.model_dir, self.staging, self.version, self.state = (
            registry,
            model_dir,
            staging,
            version,
            state,
        )
        self.champion, self.files, self.metadata = champion, files, {"version": version}

    def store(
        self, metadata: dict[str, Any], decision: GateDecision, aliases: tuple[str, ...], promote: bool
    ) -> Registration:
        _write_synced(self.staging / ModelLayout.METADATA, metadata)
        target = self.model_dir / VERSIONS_DIR / str(self.version)
        target.parent.mkdir(exist_ok=True)
        os.rename(self.staging, target)
        _fsync_dir(target.parent)
        moves = [(alias, "requested at registration") for alias in aliases]
        if promote:
            moves.append((CHAMPION_ALIAS, f"quality gate: {decision.reason}"))
        self.registry._move_aliases(self.model_dir, self.state, self.version, moves)
        version = self.registry.get(self.model_dir.name, self.version)
        return Registration(
            backend="file",
            model_name=version.model_name,
            version=str(version.version),
            uri=version.uri,
            reference=version.reference,
            aliases=version.aliases,
            quality_gate=version.metadata["quality_gate"],
            artifact_uri=version.uri,
        )


def _read_registry_file(path: Path) -> dict[str, Any]:
    """A registry JSON file that must hold an object; anything else is a :class:`RegistryError` naming it."""
    try:
        document = read_document(path)
    except SpecValidationError as exc:
        raise RegistryError(f"{path} is damaged ({exc.problems[0].message}); restore it from a backup") from None
    if not isinstance(document, dict):
        raise RegistryError(
            f"{path} is damaged: it holds a {type(document).__name__}, not an object; restore it from a backup"
        )
    return document


def _copy_synced(source: Path, target: Path) -> str:
    """Copy a file, fsync it and return its sha256, in one pass over the bytes."""
    digest = hashlib.sha256()
    with source.open("rb") as reader, target.open("wb") as writer:
        for chunk in iter(lambda: reader.read(1 << 20), b""):
            digest.update(chunk)
            writer.write(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    return digest.hexdigest()


def _write_synced(path: Path, data: Any) -> None:
    """``write_document`` fsyncs the file; the folder entry is fsynced here."""
    write_document(path, data)
    _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_dead_writers(incoming: Path) -> None:
    """Delete staging folders whose writer was a process on this host that no longer runs."""
    if not incoming.is_dir():
        return
    host = socket.gethostname()
    for entry in incoming.iterdir():
        owner_host, _, pid = entry.name.rpartition(".")[0].rpartition(".")
        if owner_host == host and pid.isdigit() and not _pid_alive(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
