"""The Unity license never reaches unity-build.log, in any form the Editor might print it in.

The Editor is a stand-in script (no Unity Editor can be installed here) that prints the license
the ways real logs do: a serial lower-cased, the email URL-encoded in a licensing URL, the
password wrapped over two lines.
"""

from __future__ import annotations

import sys
from urllib.parse import quote

import pytest

from mlops_unity_pipeline.build import build
from mlops_unity_pipeline.build.license import UnityLicense, UnityLicenseError

SERIAL, EMAIL, PASSWORD = "SB-ABCD-EFGH-IJKL-5678", "ci+builder@example.com", "Correct Horse Battery 42!"

LEAKY_EDITOR = """#!{python}
import os, sys
from pathlib import Path
args = sys.argv[1:]
serial, email, password = (args[args.index(flag) + 1] for flag in ("-serial", "-username", "-password"))
print("Activating serial " + serial.lower())
print("POST https://license.unity3d.com/activate?user=" + {quote}(email, safe="") + "&ok=1")
print("password prefix " + password[:9])
print(password[9:] + " <- rest of the password")
print("SERIAL IN CAPS " + serial.upper())
path = Path(args[args.index("-mlopsBuildPath") + 1])
path.parent.mkdir(parents=True, exist_ok=True)
path.write_text("player")
"""


@pytest.fixture
def leaky_editor(tmp_path):
    path = tmp_path / "leaky-editor"
    path.write_text(LEAKY_EDITOR.format(python=sys.executable, quote="__import__('urllib.parse').parse.quote"))
    path.chmod(0o755)
    return path


def _project(root):
    (root / "Assets").mkdir(parents=True)
    (root / "ProjectSettings").mkdir()
    return root


@pytest.mark.parametrize("by", ["environment", "files"])
def test_no_form_of_the_license_reaches_the_build_log(by, generated, leaky_editor, tmp_path, monkeypatch):
    for name, value in (("UNITY_SERIAL", SERIAL), ("UNITY_EMAIL", EMAIL), ("UNITY_PASSWORD", PASSWORD)):
        if by == "files":
            secret = tmp_path / name.lower()
            secret.write_text(value + "\n")
            monkeypatch.setenv(f"{name}_FILE", str(secret))
        else:
            monkeypatch.setenv(name, value)
    out = tmp_path / "out"
    build(
        generated,
        out,
        backend="unity",
        unity_project=str(_project(tmp_path / "project")),
        unity_editor=str(leaky_editor),
        log=lambda _: None,
    )
    log = (out / "unity-build.log").read_text()
    flat = log.replace("\n", "").lower()
    for secret in (SERIAL, EMAIL, PASSWORD, quote(EMAIL, safe="")):
        assert secret.lower() not in flat, (secret, log)
    assert "Activating serial ***" in log and "user=***&ok=1" in log and "*** <- rest of the password" in log


def test_a_secret_file_that_cannot_be_read_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("UNITY_PASSWORD_FILE", str(tmp_path / "missing"))
    with pytest.raises(UnityLicenseError, match="UNITY_PASSWORD_FILE=.*missing: cannot read it"):
        UnityLicense.from_environment()


def test_redaction_of_a_stream_keeps_every_other_line():
    license_ = UnityLicense(None, SERIAL, EMAIL, PASSWORD)
    lines = ["first", "pw " + PASSWORD[:5], PASSWORD[5:] + " end", "last " + SERIAL.lower()]
    assert list(license_.redact_lines(lines)) == ["first", "pw *** end", "last ***"]
