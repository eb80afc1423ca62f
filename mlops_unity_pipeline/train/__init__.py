"""The training stage: mlagents-learn against a build, with resume, metrics and a report."""

from .stage import TrainingError, TrainResult, train

__all__ = ["TrainResult", "TrainingError", "train"]
