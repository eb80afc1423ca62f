"""The train component (see README.md beside it)."""

from .component import train

__all__ = ["train"]
