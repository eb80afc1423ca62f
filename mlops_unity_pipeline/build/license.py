"""The Unity license a headless build activates with, and keeping it out of every log.

Either ``UNITY_LICENSE`` (the content of a ``.ulf`` file, installed where the Editor looks on
Linux) or ``UNITY_SERIAL`` + ``UNITY_EMAIL`` + ``UNITY_PASSWORD`` (passed as ``-serial``,
``-username``, ``-password``). Each may instead be read from a file named by ``<VAR>_FILE``
(``UNITY_PASSWORD_FILE=/run/secrets/unity-password``, a mounted Kubernetes or Docker secret), so
the value need not be in any environment. The values are secrets: :meth:`UnityLicense.redact`
removes them, in any letter case, URL-encoded or broken over two lines, from any text before it
is written, printed or raised.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, quote_plus

from ..errors import UnityLicenseError

SERIAL_VARS = ("UNITY_SERIAL", "UNITY_EMAIL", "UNITY_PASSWORD")
LICENSE_VAR = "UNITY_LICENSE"
#: ``UNITY_PASSWORD_FILE`` names a file holding ``UNITY_PASSWORD``'s value (likewise for each variable).
FILE_SUFFIX = "_FILE"
REDACTED = "***"
#: Shorter strings are too likely to occur by chance to be redacted safely; a real secret is longer.
MIN_SECRET_LENGTH = 4


@dataclass(frozen=True)
class UnityLicense:
    license_file: str | None = None
    serial: str | None = None
    email: str | None = None
    password: str | None = field(default=None, repr=False)

    def __repr__(self) -> str:  # never show the values, even in a traceback
        kind = "license file" if self.license_file else "serial" if self.serial else "none"
        return f"UnityLicense({kind})"

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> UnityLicense:
        environ = dict(os.environ if environ is None else environ)
        for name in (*SERIAL_VARS, LICENSE_VAR):
            _read_secret_file(environ, name)
        serial = [environ.get(name) or None for name in SERIAL_VARS]
        if any(serial) and not all(serial):
            missing = [name for name, value in zip(SERIAL_VARS, serial) if not value]
            raise UnityLicenseError(
                f"a serial license needs all of {', '.join(SERIAL_VARS)}; {', '.join(missing)} not set"
            )
        return cls(environ.get(LICENSE_VAR) or None, *serial)

    def editor_arguments(self) -> list[str]:
        """Command-line activation for a serial license (a license file needs none)."""
        if self.serial and not self.license_file:
            return ["-serial", self.serial, "-username", self.email or "", "-password", self.password or ""]
        return []

    def install(self, data_home: Path | None = None) -> Path | None:
        """Write ``UNITY_LICENSE`` to ``$XDG_DATA_HOME/unity3d/Unity/Unity_lic.ulf`` (``~/.local/share``)."""
        if not self.license_file:
            return None
        base = data_home or Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
        path = base / "unity3d" / "Unity" / "Unity_lic.ulf"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.license_file, encoding="utf-8")
        path.chmod(0o600)
        return path

    def secrets(self) -> list[str]:
        values = [self.serial, self.password, self.email, self.license_file]
        if self.license_file:
            values += [line.strip() for line in self.license_file.splitlines()]
        found = {value for value in values if value and len(value) >= MIN_SECRET_LENGTH}
        return sorted(found, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """``text`` without any secret: in any letter case, URL-encoded, or broken over a line end."""
        for pattern in self._patterns():
            text = pattern.sub(REDACTED, text)
        return text

    def redact_lines(self, lines: Iterable[str]) -> Iterator[str]:
        """Redact a stream of lines (without line ends), catching a secret split over two consecutive lines."""
        pending: str | None = None
        for line in lines:
            if pending is None:
                pending = line
                continue
            *done, pending = self.redact(pending + "\n" + line).split("\n")
            yield from done
        if pending is not None:
            yield self.redact(pending)

    def _patterns(self) -> list[re.Pattern[str]]:
        forms = {form for secret in self.secrets() for form in (secret, quote(secret, safe=""), quote_plus(secret))}
        # Each character may be followed by a line break: a secret wrapped or split over two lines.
        return [
            re.compile(r"(?:\r?\n)?".join(re.escape(char) for char in form), re.IGNORECASE)
            for form in sorted(forms, key=len, reverse=True)
        ]


def _read_secret_file(environ: dict[str, str], name: str) -> None:
    """Fill ``name`` from the file ``<name>_FILE`` names, unless ``name`` itself is set."""
    path = environ.get(f"{name}{FILE_SUFFIX}")
    if not path or environ.get(name):
        return
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UnityLicenseError(f"{name}{FILE_SUFFIX}={path}: cannot read it ({exc.strerror})") from None
    environ[name] = text if name == LICENSE_VAR else text.strip()  # a .ulf keeps its lines; a password its spaces
