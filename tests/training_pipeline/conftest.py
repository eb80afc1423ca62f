"""The compiled pipelines these tests read."""

from tests.compiled_pipelines import asset_spec_dict, compiled  # noqa: F401 (fixtures)
