"""The setup guide users write their code against, as the repository keeps it (docs/setup-guide.md)."""

from __future__ import annotations

from pathlib import Path

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "setup-guide.md"


def guide_block(heading: str) -> str:
    """The first python code block after ``heading`` in the setup guide."""
    text = GUIDE.read_text()
    after = text[text.index(heading) :]
    return after.split("```python\n", 1)[1].split("```", 1)[0]
