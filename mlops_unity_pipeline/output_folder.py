"""Output folders a stage owns: only a folder the stage made (or an empty one) is ever cleared.

A stage that replaces the content of its ``--out`` folder (build, train) first claims it: a new
or empty folder gets an owner file naming the stage; a folder that already holds the stage's
owner file, or the file the stage always writes there (its signature, for folders made before
owner files existed), is the stage's own. Any other non-empty folder is refused, so ``--out .``
in a source tree can never delete the user's files.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import OutputFolderError

OWNER_FILE = ".unity-mlops-stage"


def claim_output_folder(path: str | os.PathLike[str], stage: str, signature: str) -> Path:
    """Make ``path`` the ``stage``'s output folder, or refuse a folder holding someone else's files.

    ``signature`` is the file the stage always leaves in its folder (``build_info.json``), which
    marks folders it made before owner files existed.
    """
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise OutputFolderError(f"{folder} is a file; the {stage} stage's --out must be a folder (a new one is made)")
    owner_file = folder / OWNER_FILE
    if owner_file.is_file():
        owner = owner_file.read_text(encoding="utf-8").strip()
        if owner != stage:
            raise OutputFolderError(
                f"{folder} is the output folder of the {owner} stage, not of {stage}; give {stage} its own --out folder"
            )
        return folder
    if folder.is_dir() and any(folder.iterdir()) and not (folder / signature).is_file():
        raise OutputFolderError(
            f"{folder} is not empty and was not made by the {stage} stage; its content would be replaced. "
            f"Give --out a new or empty folder (nothing was changed)"
        )
    folder.mkdir(parents=True, exist_ok=True)
    owner_file.write_text(stage + "\n", encoding="utf-8")
    return folder
