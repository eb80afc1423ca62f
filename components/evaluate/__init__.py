"""The evaluate component (see README.md beside it)."""

from .component import evaluate

__all__ = ["evaluate"]
