"""The codegen component (see README.md beside it)."""

from .component import codegen

__all__ = ["codegen"]
