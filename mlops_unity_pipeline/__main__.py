"""Entry point for ``python -m mlops_unity_pipeline``."""

import sys

from .cli import main

sys.exit(main())
