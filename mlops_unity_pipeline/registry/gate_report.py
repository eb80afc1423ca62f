"""The quality gate's report: the two sides' per-episode distributions, the paired interval and the decision.

``quality_gate.png`` shows, on the left, the gate metric of every episode for the candidate and
the champion (the same episodes) and, on the right, the per-episode differences with the
bootstrap interval of their mean and the margin it had to clear. ``quality_gate.html`` embeds
the picture (a data URI, so the page stands alone) above the decision and its numbers, and,
when the candidate was chosen among training seeds, each seed's result and the choice.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np

from ..documents import write_text_atomic
from ..layouts import RegisterLayout
from ..observability.html_page import html_page
from .quality_gate import PAIRED_VALUES


def _per_episode(episodes: list[dict[str, Any]], metric: str) -> np.ndarray:
    return np.array([float(episode[PAIRED_VALUES.get(metric, "reward")]) for episode in episodes])


def gate_png(gate: dict[str, Any], candidate: dict[str, Any]) -> bytes:
    """Both distributions (and the paired differences, when the gate compared pairs) as a PNG."""
    from matplotlib.figure import Figure  # imported here: it takes a few tenths of a second

    metric = gate["metric"]
    ours = _per_episode(candidate.get("per_episode", []), metric)
    compared = candidate.get("champion_evaluation")
    theirs = _per_episode(compared["per_episode"], metric) if compared else None
    figure = Figure(figsize=(11 if theirs is not None else 6, 4), dpi=100)
    axes = figure.subplots(1, 2 if theirs is not None else 1, squeeze=False)
    values = ours if theirs is None else np.concatenate([ours, theirs])
    bins = np.histogram_bin_edges(values, bins=min(30, max(len(np.unique(values)), 2)))
    left = axes[0][0]
    left.hist(ours, bins=bins, histtype="step", linewidth=2, color="tab:blue", label=f"candidate ({len(ours)})")
    if theirs is not None:
        left.hist(
            theirs,
            bins=bins,
            histtype="step",
            linewidth=2,
            color="tab:orange",
            label=f"champion v{compared['version']} ({len(theirs)})",
        )
    left.set_xlabel(f"per-episode {PAIRED_VALUES.get(metric, 'reward')}")
    left.set_ylabel("episodes")
    left.set_title("the same episodes, both policies" if theirs is not None else "candidate's episodes")
    left.legend(loc="upper left")
    if theirs is not None:
        right = axes[0][1]
        right.hist(ours - theirs, bins=30, color="tab:gray", alpha=0.7, label="candidate - champion")
        paired = gate.get("paired")
        if paired:
            mean = paired["mean_difference"]
            right.axvspan(
                mean["low"],
                mean["high"],
                color="tab:green" if gate["promoted"] else "tab:red",
                alpha=0.3,
                label=f"{paired['confidence']:.0%} interval of the mean",
            )
            right.axvline(mean["estimate"], color="black", label="mean difference")
        right.axvline(gate["margin"], color="tab:purple", linestyle="--", label=f"margin {gate['margin']:g}")
        right.set_xlabel("paired difference per episode")
        right.set_title("promoted" if gate["promoted"] else "not promoted")
        right.legend(loc="upper left", fontsize="small")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def gate_html(gate: dict[str, Any], candidate: dict[str, Any], png: bytes) -> str:
    rows = [
        ("Decision", "promoted to champion" if gate["promoted"] else "not promoted"),
        ("Reason", gate["reason"]),
        ("Method", gate["method"]),
        ("Metric", gate["metric"]),
        ("Margin", f"{gate['margin']:g}"),
        ("Candidate", f"{gate['candidate']:.4g}"),
        (
            "Champion",
            "none" if gate["champion"] is None else f"{gate['champion']:.4g} (version {gate['champion_version']})",
        ),
    ]
    paired = gate.get("paired")
    if paired:
        for key, label in (
            ("mean_difference", "Mean difference"),
            ("iqm_difference", "IQM difference"),
            ("probability_of_improvement", "Probability of improvement"),
        ):
            value = paired[key]
            rows.append(
                (
                    f"{label} ({paired['confidence']:.0%} interval)",
                    f"{value['estimate']:+.4g} [{value['low']:+.4g}, {value['high']:+.4g}]",
                )
            )
        rows.append(
            (
                "Paired episodes, bootstrap resamples, seed",
                f"{paired['episodes']}, {paired['resamples']}, {paired['seed']}",
            )
        )
    for name, floor in gate.get("floors", {}).items():
        rows.append((f"Floor {name}", f"{floor['candidate']:.4g} (minimum {floor['minimum']:g})"))
    rows += _seed_rows(candidate.get("seed_selection"))
    title = f"Quality gate: {candidate['model_name']} ({candidate['job_id']})"
    return html_page(title, png, "per-episode distributions of the candidate and the champion", rows)


def _seed_rows(selection: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The training seeds the candidate was chosen from, each with its selection-episode metric."""
    if not selection:
        return []
    rows = [("Training seeds", selection["reason"])]
    for index, seed in enumerate(selection["seeds"]):
        value = (seed.get("metrics") or {}).get(selection["metric"])
        shown = "not evaluated" if value is None else f"{selection['metric']} {value:.4g}"
        rows.append(
            (
                f"Training seed {seed['training_seed']}" + (" (chosen)" if index == selection["chosen"] else ""),
                f"{shown} on the selection episodes",
            )
        )
    return rows


def write_gate_report(out_dir: str | Path, gate: dict[str, Any], candidate: dict[str, Any]) -> Path:
    """Write ``quality_gate.png`` and ``quality_gate.html`` for one registration; returns the HTML's path."""
    out = RegisterLayout(Path(out_dir))
    png = gate_png(gate, candidate)
    out.gate_png_path.write_bytes(png)
    path = out.gate_html_path
    write_text_atomic(path, gate_html(gate, candidate, png))
    return path
