"""The register component (see README.md beside it)."""

from .component import register

__all__ = ["register"]
