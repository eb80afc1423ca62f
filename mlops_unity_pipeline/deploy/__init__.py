"""Compiling, submitting and scheduling the training pipeline on Vertex AI and Kubeflow Pipelines.

Unlike the library core, modules here may import kfp and google-cloud-aiplatform (each does so
where it needs them); nothing in the stages imports this package.
"""
