"""The training report: a reward-curve PNG and a self-contained HTML page embedding it.

The HTML needs no other file (the curve is a base64 data URI), so the pipeline can hand it to
the Vertex console as an HTML artifact and a person can open it from anywhere.
"""

from __future__ import annotations

import io
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


def plotting():
    """matplotlib's pyplot on the Agg backend (no display); imported on first use, as it takes a second."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def reward_curve_png(metrics: dict[str, Any], success: list[list[float]] | None) -> bytes:
    """Mean reward with a ±1 std band over steps, and the success rate when the task reports it."""
    plt = plotting()
    curve = metrics["reward_curve"]
    steps = [point["step"] for point in curve]
    means = [point["mean_reward"] for point in curve]
    stds = [point["std_reward"] or 0.0 for point in curve]
    figure, reward_axis = plt.subplots(figsize=(8, 4.5), dpi=100)
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
    reward_axis.set_title(f"{metrics['behavior_name']} ({metrics['trainer_type']})")
    reward_axis.grid(alpha=0.3)
    handles, labels = reward_axis.get_legend_handles_labels()
    if success:
        success_axis = reward_axis.twinx()
        success_axis.plot([p[0] for p in success], [p[1] for p in success], color="tab:green", label="success rate")
        success_axis.set_ylim(0, 1.05)
        success_axis.set_ylabel("success rate")
        more_handles, more_labels = success_axis.get_legend_handles_labels()
        handles, labels = handles + more_handles, labels + more_labels
    reward_axis.legend(handles, labels, loc="lower right")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def _format(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "n/a" if value is None else str(value)


def report_html(metrics: dict[str, Any], png: bytes) -> str:
    rows = [(label, _format(metrics.get(key))) for key, label in REPORT_FIELDS]
    return html_page(f"Training report: {metrics['behavior_name']}", png, "reward curve", rows)


def write_report(out: TrainLayout, metrics: dict[str, Any], success: list[list[float]] | None) -> tuple[Path, Path]:
    """Write ``reward_curve.png`` and ``report.html``; return their paths."""
    png = reward_curve_png(metrics, success)
    png_path, html_path = out.reward_curve_path, out.report_path
    png_path.write_bytes(png)
    write_text_atomic(html_path, report_html(metrics, png))
    return png_path, html_path
