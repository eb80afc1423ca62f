"""The training report: a reward-curve PNG and a self-contained HTML page embedding it.

The HTML needs no other file (the curve is a base64 data URI), so the pipeline can hand it to
the Vertex console as an HTML artifact and a person can open it from anywhere.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..documents import write_text_atomic
from ..layouts import TrainLayout
from ..observability.html_page import html_page

REPORT_FIELDS = (
    ("behavior_name", "Behavior"),
    ("trainer_type", "Trainer"),
    ("device", "Device"),
    ("steps", "Steps"),
    ("max_steps", "Max steps"),
    ("episodes", "Episodes"),
    ("final_mean_reward", "Final mean reward"),
    ("final_std_reward", "Final reward std"),
    ("best_mean_reward", "Best mean reward"),
    ("best_step", "Best at step"),
    ("final_success_rate", "Final success rate"),
    ("wall_time_s", "Wall time (s)"),
    ("steps_per_second", "Steps per second"),
    ("attempts", "Attempts (resumes + 1)"),
)


@dataclass(frozen=True)
class RewardCurve:
    """What the reward-curve figure shows; the figure is drawn from it alone."""

    behavior_name: str
    trainer_type: str
    #: ``metrics.json``'s ``reward_curve``: ``{"step", "mean_reward", "std_reward"}`` per summary.
    points: list[dict[str, Any]]
    #: The success rate's ``[step, value]`` points, when the task reports it.
    success: list[list[float]] | None

    @classmethod
    def of(cls, metrics: dict[str, Any], success: list[list[float]] | None) -> RewardCurve:
        """The curve of a run's metrics and its success-rate scalars."""
        return cls(metrics["behavior_name"], metrics["trainer_type"], metrics["reward_curve"], success)


def reward_curve_png(curve: RewardCurve) -> bytes:
    """Mean reward with a ±1 std band over steps, and the success rate when the task reports it.

    Drawn on a :class:`~matplotlib.figure.Figure` of its own (matplotlib imported on first use:
    it takes a few tenths of a second), not through pyplot: no global state, so a figure can be
    drawn in any thread.
    """
    from matplotlib.figure import Figure

    steps = [point["step"] for point in curve.points]
    means = [point["mean_reward"] for point in curve.points]
    stds = [point["std_reward"] or 0.0 for point in curve.points]
    figure = Figure(figsize=(8, 4.5), dpi=100)
    reward_axis = figure.subplots()
    reward_axis.plot(steps, means, color="tab:blue", marker="o", markersize=3, label="mean reward")
    reward_axis.fill_between(
        steps,
        [m - s for m, s in zip(means, stds)],
        [m + s for m, s in zip(means, stds)],
        color="tab:blue",
        alpha=0.2,
        label="±1 std",
    )
    reward_axis.set_xlabel("step")
    reward_axis.set_ylabel("cumulative reward per episode")
    reward_axis.set_title(f"{curve.behavior_name} ({curve.trainer_type})")
    reward_axis.grid(alpha=0.3)
    handles, labels = reward_axis.get_legend_handles_labels()
    if curve.success:
        success_axis = reward_axis.twinx()
        success_axis.plot(
            [p[0] for p in curve.success], [p[1] for p in curve.success], color="tab:green", label="success rate"
        )
        success_axis.set_ylim(0, 1.05)
        success_axis.set_ylabel("success rate")
        more_handles, more_labels = success_axis.get_legend_handles_labels()
        handles, labels = handles + more_handles, labels + more_labels
    reward_axis.legend(handles, labels, loc="lower right")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _format(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "n/a" if value is None else str(value)


def report_html(metrics: dict[str, Any], png: bytes) -> str:
    rows = [(label, _format(metrics.get(key))) for key, label in REPORT_FIELDS]
    return html_page(f"Training report: {metrics['behavior_name']}", png, "reward curve", rows)


def write_report(out: TrainLayout, metrics: dict[str, Any], png: bytes) -> tuple[Path, Path]:
    """Write ``reward_curve.png`` (``png``, from :func:`reward_curve_png`) and ``report.html``; return their paths."""
    png_path, html_path = out.reward_curve_path, out.report_path
    png_path.write_bytes(png)
    write_text_atomic(html_path, report_html(metrics, png))
    return png_path, html_path
