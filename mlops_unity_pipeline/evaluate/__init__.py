"""The evaluate stage: run an ONNX policy for N seeded episodes and report reward, success and length.

Only the report format is imported eagerly; running a policy needs onnxruntime, which
:mod:`.stage` imports.
"""

from .report import Episode, EvaluationReport, EvaluationReportError, read_report

__all__ = ["Episode", "EvaluationReport", "EvaluationReportError", "read_report"]
