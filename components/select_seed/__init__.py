"""The select-seed component (see README.md beside it)."""

from .component import select_seed

__all__ = ["select_seed"]
