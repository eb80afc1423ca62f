"""What the train stage does while mlagents-learn runs, so that little is left once it exits.

Everything runs in one thread of the stage's, at two moments where a core of a small machine is
idle (on two cores, CPU taken while mlagents-learn trains is time taken from its players):

- as mlagents-learn starts: it imports torch for about a second on one core, and the stage
  imports what checking the policy (onnx) and drawing the report (matplotlib) need;
- when the behaviour's final policy has been copied (``Copied ... to <run>/<behavior>.onnx.``),
  training is over: mlagents-learn closes its players, writes its timers and takes about half a
  second more to exit. The stage draws the reward curve in that time, from what the log and
  TensorBoard hold then (:meth:`WorkAhead.see` follows the output line by line).

The drawing is used only if the finished run's curve is the one drawn (:meth:`reward_curve_png`),
so a run that wrote more after that line never gets a stale figure.
"""

from __future__ import annotations

import importlib
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ..behavior.stats import SUCCESS_RATE
from .metrics import reward_curve
from .report import RewardCurve, reward_curve_png
from .summaries import copied_final_policy, parse_summaries
from .tensorboard_scalars import read_scalars


class WorkAhead:
    """The stage's work ahead for one mlagents-learn run of ``behavior``; :meth:`close` it after the run."""

    def __init__(self, behavior: str, trainer_type: str, log_path: Path, scalars_dir: Path) -> None:
        self._behavior = behavior
        self._trainer_type = trainer_type
        self._log_path = log_path
        self._scalars_dir = scalars_dir
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="train-stage-ahead")
        self._drawing: Future[tuple[RewardCurve, bytes]] | None = None

    def close(self) -> None:
        """Wait for the work under way; drop what has not started."""
        self._worker.shutdown(wait=True, cancel_futures=True)

    def started(self) -> None:
        """mlagents-learn has been started: import what follows training."""
        self._worker.submit(_import_what_follows)

    def see(self, line: str) -> None:
        """Draw the reward curve if ``line`` of mlagents-learn's output says that training is over."""
        if self._drawing is None and copied_final_policy(line, self._behavior):
            self._drawing = self._worker.submit(self._draw)

    def reward_curve_png(self, curve: RewardCurve) -> bytes:
        """The figure of ``curve``: the one drawn ahead if it shows this curve, else drawn now."""
        if self._drawing is not None:
            try:
                drawn, png = self._drawing.result()
            except Exception:  # noqa: BLE001 (a drawing ahead that failed is drawn again here, where its error shows)
                drawn, png = None, b""
            if drawn == curve:
                return png
        return reward_curve_png(curve)

    def _draw(self) -> tuple[RewardCurve, bytes]:
        summaries = parse_summaries(self._log_path.read_text(errors="replace"), self._behavior)
        success = read_scalars(self._scalars_dir).get(SUCCESS_RATE)
        curve = RewardCurve(self._behavior, self._trainer_type, reward_curve(summaries), success)
        return curve, reward_curve_png(curve)


#: What drawing the report (:func:`.report.reward_curve_png`) and checking the policy
#: (:func:`~..onnx_policy.check_policy`) import on first use.
_IMPORTED_AFTER_TRAINING = ("matplotlib.figure", "matplotlib.backends.backend_agg", "onnx")


def _import_what_follows() -> None:
    for module in _IMPORTED_AFTER_TRAINING:
        importlib.import_module(module)
