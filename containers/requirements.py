"""Print the library's requirements as pyproject.toml declares them, one per line: its core
dependencies and those of the extras named on the command line.

    python3 containers/requirements.py pipeline > /tmp/requirements.txt

The pipeline and serving images install these in a layer of their own before the library's code
is copied in, so a change to the code rebuilds only the layer that installs the library itself
(``pip install --no-deps .``), in seconds, and a change to pyproject.toml reinstalls them all.
"""

from __future__ import annotations

import sys
from pathlib import Path

import tomllib


def requirements(pyproject: Path, extras: list[str]) -> list[str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    unknown = sorted(set(extras) - set(project["optional-dependencies"]))
    if unknown:
        raise SystemExit(f"{pyproject} declares no extra {', '.join(unknown)}")
    return [
        *project["dependencies"],
        *(dependency for extra in extras for dependency in project["optional-dependencies"][extra]),
    ]


if __name__ == "__main__":
    print("\n".join(requirements(Path("pyproject.toml"), sys.argv[1:])))
