"""The evaluate stage: run an ONNX policy for N seeded episodes and report reward, success and length.

The report it writes is :mod:`mlops_unity_pipeline.evaluation_report`, a module of its own below
the stages that read it (training, seed selection, the registry). Running a policy needs
onnxruntime, which :mod:`.stage` imports; importing this package imports nothing.
"""
