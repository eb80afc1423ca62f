"""The pipeline DAGs, one module per pipeline, each a function named ``pipeline``."""
