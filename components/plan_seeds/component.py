"""An asset's training seeds as a Python component: its codegen folder and a count in, the seeds loop's items out.

A Python component in the pipeline image (which holds kfp and the library), not a container
component like the stages: the list must be the component's return value, ``Output``, because
``kfp.local`` (2.17) iterates a ``ParallelFor`` over another task's output only by that name, and a
container component cannot name an output so. The function only calls the library.
"""

from kfp import dsl
from kfp.dsl import Artifact, Input

from mlops_unity_pipeline.deploy.images import PIPELINE, default_ref


@dsl.component(base_image=default_ref(PIPELINE), install_kfp_package=False)
def plan_seeds(generated: Input[Artifact], count: int) -> list:
    """``count`` training seeds of the asset in ``generated`` as ``{"index", "seed", "asset_id"}`` items,
    mlagents' seeds counting up from its trainer config's (``mlops_unity_pipeline.seeds.plan``)."""
    from mlops_unity_pipeline.seeds.plan import seed_plan

    return seed_plan(generated.path, count)
