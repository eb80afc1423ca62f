"""The plan-seeds component (see README.md beside it)."""

from .component import plan_seeds

__all__ = ["plan_seeds"]
