"""What the pipeline keeps under its pipeline root besides the platform's own run folders.

``checkpoints/<run id>/<asset id>/`` is where the train task trains, so that every attempt of
it in a run (a retry after a lost machine) finds the last checkpoint again.
"""

CHECKPOINTS = "checkpoints"
