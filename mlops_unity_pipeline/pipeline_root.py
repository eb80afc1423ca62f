"""What the pipeline keeps under its pipeline root besides the platform's own run folders.

``checkpoints/<run id>/<asset id>/`` is where the train task trains, so that every attempt of
it in a run (a retry after a lost machine) finds the last checkpoint again.
"""

CHECKPOINTS = "checkpoints"


def checkpoints_uri(pipeline_root: str, run_id: str, asset_id: str) -> str:
    """Where the train task of ``asset_id`` in run ``run_id`` keeps its checkpoints."""
    return f"{pipeline_root.rstrip('/')}/{CHECKPOINTS}/{run_id}/{asset_id}"
