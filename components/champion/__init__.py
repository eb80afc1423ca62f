"""The champion component (see README.md beside it)."""

from .component import champion

__all__ = ["champion"]
