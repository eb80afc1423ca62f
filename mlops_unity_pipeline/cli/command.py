"""What a subcommand is: its name and help, how it adds its arguments, and the function that runs it."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    """One subcommand of ``python -m mlops_unity_pipeline``; ``handler`` returns the exit status."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    handler: Callable[[argparse.Namespace], int]
    #: End the process as soon as the command has returned, its output flushed, without the
    #: interpreter's teardown (freeing every object of every library it loaded: a tenth of a second
    #: after a stage that loaded matplotlib and onnx), as mypy does. Only for a command whose work is
    #: all written and closed when it returns, with no thread of its own left running.
    quick_exit: bool = False
