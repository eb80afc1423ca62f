"""The build component (see README.md beside it)."""

from .component import build

__all__ = ["build"]
