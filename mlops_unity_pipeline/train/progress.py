"""Live progress of a training run: steps of max_steps, mean reward, elapsed time and ETA.

On a terminal it is a tqdm bar; elsewhere (CI, a pipeline's log) one line per mlagents
summary, so logs stay readable.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from .summaries import Summary


class TrainingProgress:
    """Fed with mlagents' summaries as they appear; shows how far the run is."""

    def __init__(self, behavior: str, max_steps: int, stream: TextIO | None = None) -> None:
        self.behavior = behavior
        self.max_steps = max_steps
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.bar = None
        if self.stream.isatty():
            from tqdm import tqdm  # imported for a terminal only: elsewhere the stage starts without it

            self.bar = tqdm(total=max_steps, desc=behavior, unit="step", file=self.stream, dynamic_ncols=True)

    def update(self, summary: Summary) -> None:
        reward = "n/a" if summary.mean_reward is None else f"{summary.mean_reward:.3f}"
        if self.bar is not None:
            self.bar.n = min(summary.step, self.max_steps)
            self.bar.set_postfix_str(f"mean reward {reward}")
            return
        elapsed = time.monotonic() - self.started
        fraction = min(summary.step / self.max_steps, 1.0) if self.max_steps else 1.0
        eta = elapsed * (1 - fraction) / fraction if fraction else float("nan")
        print(
            f"{self.behavior}: step {summary.step}/{self.max_steps} ({fraction:.0%}), mean reward {reward}, "
            f"elapsed {elapsed:.0f}s, ETA {eta:.0f}s",
            file=self.stream,
            flush=True,
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
