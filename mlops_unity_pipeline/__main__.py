"""Entry point for ``python -m mlops_unity_pipeline``."""

from .cli import run

run()
