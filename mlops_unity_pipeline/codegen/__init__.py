"""The codegen stage: asset spec + RL config → BehaviorSpec, Unity C#, trainer config, manifest."""

from .stage import CodegenResult, generate

__all__ = ["CodegenResult", "generate"]
