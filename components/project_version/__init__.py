"""The project_version component (see README.md beside it)."""

from .component import project_version

__all__ = ["project_version"]
