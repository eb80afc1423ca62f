"""``TrainingJobResult``: what ``execute_training_job`` returns, readable when printed."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .layouts import RunLayout

SUCCEEDED = "succeeded"
FAILED = "failed"
CANCELLED = "cancelled"


@dataclass
class TrainingJobResult:
    """The outcome of one job: status, model URI, metrics, where everything is, time per stage.

    On failure ``failed_stage`` and ``error`` say what went wrong; artifacts written before
    the failure stay in ``run_dir``.
    """

    job_id: str
    status: str
    run_dir: Path
    model_uri: str | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    eval_metrics: dict[str, Any] = field(default_factory=dict)
    stage_durations_s: dict[str, float] = field(default_factory=dict)
    failed_stage: str | None = None
    error: str | None = None
    promoted: bool | None = None
    registration: dict[str, Any] = field(default_factory=dict)
    #: With several training seeds: every seed's selection results and which one was gated (seed_selection.json).
    seed_selection: dict[str, Any] = field(default_factory=dict)

    @property
    def succeeded(self) -> bool:
        return self.status == SUCCEEDED

    @property
    def layout(self) -> RunLayout:
        return RunLayout(self.run_dir)

    @property
    def generated_dir(self) -> Path:
        return self.layout.generated.root

    @property
    def build_dir(self) -> Path:
        return self.layout.build.root

    @property
    def training_dir(self) -> Path:
        return self.layout.training.root

    @property
    def evaluation_dir(self) -> Path:
        return self.layout.evaluation.root

    @property
    def metrics_path(self) -> Path:
        return self.layout.metrics_path

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["run_dir"] = str(self.run_dir)
        for name in ("generated_dir", "build_dir", "training_dir", "evaluation_dir", "metrics_path"):
            data[name] = str(getattr(self, name))
        return data

    def __str__(self) -> str:
        lines = [f"TrainingJobResult {self.job_id}: {self.status}"]
        if self.model_uri:
            lines.append(f"  model URI:     {self.model_uri}" + (" (champion)" if self.promoted else ""))
        if self.failed_stage:
            lines.append(f"  failed stage:  {self.failed_stage}")
            lines.append("  error:         " + (self.error or "").replace("\n", "\n                 "))
        for label, key in (("mean reward", "final_mean_reward"), ("steps", "steps"), ("steps/s", "steps_per_second")):
            if self.metrics.get(key) is not None:
                lines.append(f"  {label + ':':<14} {self.metrics[key]}")
        for label, key in (("eval reward", "mean_reward"), ("success rate", "success_rate")):
            if self.eval_metrics.get(key) is not None:
                lines.append(f"  {label + ':':<14} {self.eval_metrics[key]}")
        if self.stage_durations_s:
            timings = ", ".join(f"{stage} {seconds:.1f}s" for stage, seconds in self.stage_durations_s.items())
            lines.append(f"  stages:        {timings}")
        lines.append(f"  run dir:       {self.run_dir}")
        lines.append(f"  metrics:       {self.metrics_path}")
        return "\n".join(lines)
