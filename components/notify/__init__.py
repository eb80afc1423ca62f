"""The notify component (see README.md beside it)."""

from .component import notify

__all__ = ["notify"]
