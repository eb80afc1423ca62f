"""What the pipeline keeps under its pipeline root besides the platform's own run folders.

``checkpoints/<run id>/<asset id>/`` is where the train task trains, so that every attempt of
it in a run (a retry after a lost machine) finds the last checkpoint again. With several training
seeds, the first seed trains there and seed ``k`` in ``<asset id>.seed-<k>`` beside it (a pipeline
asset id holds no ``.``, so no other asset's folder can have that name).
"""

CHECKPOINTS = "checkpoints"


def checkpoints_uri(pipeline_root: str, run_id: str, asset_id: str, seed_index: int = 0) -> str:
    """Where the train task of ``asset_id`` (its training seed ``seed_index``) in run ``run_id`` keeps its checkpoints."""
    folder = asset_id if seed_index == 0 else f"{asset_id}.seed-{seed_index}"
    return f"{pipeline_root.rstrip('/')}/{CHECKPOINTS}/{run_id}/{folder}"
