"""``python -m mlops_unity_pipeline``: one subcommand per stage, plus the set-up helpers.

Each subcommand is a thin wrapper over a library function, in a module of this package per
family of subcommands (:mod:`.program` lists them). Errors the project raises on purpose
(:class:`MLOpsError`) and file-system errors (an unwritable folder, a file where a folder should
be: the path and what to do) are printed as one clear message with exit status 2; no traceback
reaches the user. Anything else is a bug, reported in one line with exit status 70
(``MLOPS_DEBUG=1`` shows its traceback).
"""

from .program import build_parser, main, run

__all__ = ["build_parser", "main", "run"]
