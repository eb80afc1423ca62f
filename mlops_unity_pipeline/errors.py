"""Every error the project reports on purpose, in one hierarchy.

Each derives from :class:`MLOpsError`, so the command line prints it as one clear message
(``error: ...``, exit status 2) instead of a traceback, and a caller can catch the whole family
or one kind of it. The kinds follow the product: inputs, the trainer environment, Cloud Storage,
each stage, jobs and schedules, pipelines on a platform, the control plane, serving and the
stand-in player.
The modules that raise an error import it from here.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass


class MLOpsError(Exception):
    """Base class of every error the project reports to its users."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is, what was given, what is allowed."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class SpecValidationError(MLOpsError, ValueError):
    """An input document broke its schema; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem], source: str | None = None) -> None:
        self.problems = list(problems)
        self.source = source
        where = f" in {source}" if source else ""
        lines = [f"invalid input{where} ({len(self.problems)} problem(s)):"]
        lines += [f"  - {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))


# -- inputs: documents, folders and options the user gave -------------------------------------


class BehaviorFileError(MLOpsError):
    """A ``behavior.json`` that is missing, malformed or of another format version."""


class GeneratedOutputError(MLOpsError):
    """The ``--generated`` folder is not a complete codegen output."""


class OutputFolderError(MLOpsError):
    """An output folder that the stage cannot use without destroying files it does not own."""


class DeadlineError(MLOpsError):
    """A time limit that is not a positive number of seconds."""


# -- the trainer environment and the players it drives ----------------------------------------


class TrainerEnvError(MLOpsError):
    """The trainer environment is missing and cannot be built here."""


class PortReservationError(MLOpsError):
    """No block of free ports could be reserved for the players of a run."""


class PlayerSpecError(MLOpsError):
    """The player could not be read, or a trainer config or policy does not fit it."""


# -- Cloud Storage, read and written by the build, the Vertex registry and serving -------------


class CloudStorageError(MLOpsError):
    """A ``gs://`` URI, bucket or set of credentials that Cloud Storage cannot be used with."""


# -- the stages --------------------------------------------------------------------------------


class BuildConfigError(MLOpsError):
    """The build was asked for in a way that cannot work: an unknown backend, a folder that is no Unity project."""


class UnityLicenseError(MLOpsError):
    """The license settings are incomplete."""


class UnityBuildError(MLOpsError):
    """Unity did not produce a player; the message quotes the log lines that say why."""


class UnityEditorMissing(UnityBuildError):
    """No Unity Editor or build command is configured, or the configured one does not exist."""


class DemonstrationError(MLOpsError):
    """Demonstrations that cannot be used for this behaviour."""


class TrainingError(MLOpsError):
    """mlagents-learn failed, or what it produced does not fit the behaviour."""


class PolicyMismatchError(MLOpsError):
    """The ONNX policy does not fit the BehaviorSpec (or is not an ML-Agents policy at all)."""


class EvaluationError(MLOpsError):
    """The evaluation could not run: bad arguments, a build without its info, a failed player."""


class EvaluationReportError(MLOpsError):
    """An evaluation folder without a readable report of this format."""


class SeedSelectionError(MLOpsError):
    """The seeds cannot be compared, or a selection does not fit the evaluation that relies on it."""


class RegistryError(MLOpsError):
    """A registration, look-up or promotion that cannot be done as asked."""


class VertexRegistryError(RegistryError):
    """Vertex AI is configured but the registration failed; the model stays in the local artifacts."""


class ExecutorOutputError(MLOpsError):
    """An executor output could not be formed: a value JSON cannot carry, or a bad path."""


# -- jobs, schedules and their notifications ---------------------------------------------------


class JobAlreadyRunningError(MLOpsError):
    """Another process or task is running a job with the same job_id."""


class JobAlreadySucceededError(MLOpsError):
    """The job_id already has a successful run; running it again would overwrite that record."""


class SchedulerError(MLOpsError):
    """A schedule cannot be added, removed or run as asked."""


class WebhookError(MLOpsError):
    """The receiver did not accept a delivery: no answer, or not a 2xx one, after the retries."""


# -- pipelines on Kubeflow Pipelines and Vertex AI ---------------------------------------------


class DeployError(MLOpsError):
    """A pipeline could not be compiled, submitted or scheduled as asked; the message says why."""


class CronError(DeployError, ValueError):
    """A cron expression or time zone that a pipeline scheduler cannot take."""


# -- the control plane: fix the bundle or a tool's input, repair the log, or wait for a human ---


class BundleError(SpecValidationError):
    """The bundle or one of its action schemas is missing or invalid; the runtime refuses to start."""


class ToolInputError(SpecValidationError):
    """A tool call named an unknown action or carried a payload its schema rejects."""


class EventLogError(MLOpsError):
    """The event log cannot be appended to safely (its last complete line is unreadable)."""


class ApprovalError(MLOpsError):
    """An approval was refused: unknown transition, no approval needed, or an approver not allowed."""


class ApprovalTimeout(MLOpsError, TimeoutError):
    """No approval was recorded before the caller's deadline."""


# -- serving -----------------------------------------------------------------------------------


class ServingConfigError(MLOpsError):
    """The serving environment is incomplete or malformed: no model location, no model there, a bad port."""


class BadRequest(MLOpsError):
    """A prediction request that does not follow the protocol."""


# -- the stand-in player -----------------------------------------------------------------------


class WorldSpecError(MLOpsError):
    """The BehaviorSpec asks for something the simulation cannot reproduce."""


class ProtocolError(MLOpsError):
    """The trainer sent something a Unity player would not accept."""


#: What to do about a file-system error, by its errno; the message names the path too.
_OS_ERROR_ADVICE = {
    errno.ENOENT: "does not exist; check the path",
    errno.EACCES: "permission denied; make it accessible to this user or choose another path",
    errno.EPERM: "operation not permitted; make it accessible to this user or choose another path",
    errno.EROFS: "is on a read-only file system; choose a writable path",
    errno.ENOTDIR: "a file stands where a folder is expected; give a folder (or a new path)",
    errno.EISDIR: "is a folder where a file is expected; give a file",
    errno.EEXIST: "already exists; remove it or choose another path",
    errno.ENOSPC: "no space left on the device; free some space or choose another path",
    errno.ENAMETOOLONG: "the name is too long; choose a shorter path",
}


def describe_os_error(exc: OSError) -> str:
    """One line for a file-system error: the path(s), what went wrong and what to do."""
    paths = " -> ".join(str(name) for name in (exc.filename, exc.filename2) if name is not None)
    code = exc.errno or 0
    if code == errno.EEXIST and exc.filename is not None and os.path.isfile(exc.filename):
        code = errno.ENOTDIR  # mkdir(exist_ok=True) met a file: the folder cannot be made there
    advice = _OS_ERROR_ADVICE.get(code, exc.strerror or str(exc))
    return f"{paths}: {advice}" if paths else f"{advice} ({exc})"
