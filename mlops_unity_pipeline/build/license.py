"""The Unity license a headless build activates with, and keeping it out of every log.

Either ``UNITY_LICENSE`` (the content of a ``.ulf`` file, installed where the Editor looks on
Linux) or ``UNITY_SERIAL`` + ``UNITY_EMAIL`` + ``UNITY_PASSWORD`` (passed as ``-serial``,
``-username``, ``-password``). The values are secrets: :meth:`UnityLicense.redact` removes them
from any text before it is written, printed or raised.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import MLOpsError

SERIAL_VARS = ("UNITY_SERIAL", "UNITY_EMAIL", "UNITY_PASSWORD")
LICENSE_VAR = "UNITY_LICENSE"
REDACTED = "***"
#: Shorter strings are too likely to occur by chance to be redacted safely; a real secret is longer.
MIN_SECRET_LENGTH = 4


class UnityLicenseError(MLOpsError):
    """The license settings are incomplete."""


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
        for secret in self.secrets():
            text = text.replace(secret, REDACTED)
        return text
