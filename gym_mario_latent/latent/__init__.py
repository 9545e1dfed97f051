"""The latent-level side of the package: level generators, the evaluator that plays their levels, the
latent envs, the field's measures, archive presets and elites files, importable from here:

>>> from gym_mario_latent.latent import LatentEvaluator, FunctionGenerator, make_archive, QDLogger

The generators are imported at once; the rest (which needs torch, gymnasium or the simulator bridge) on
first use, so ``import gym_mario_latent.latent`` stays light.
"""

from importlib import import_module
from typing import Any

from gym_mario_latent.latent.generators import (
    SHIPPED_GENERATORS,
    FunctionGenerator,
    Generator,
    ModuleGenerator,
    check_generated,
    check_latents,
    load_generator,
)

#: Names imported on first use, and the module of each.
_LAZY = {
    "LatentBatch": "evaluation",
    "LatentEvaluator": "evaluation",
    "evaluate_latents": "evaluation",
    "MarioLatentEnv": "env",
    "MarioLatentVectorEnv": "vector",
    "MEASURES": "qd_measures",
    "measure_bounds": "qd_measures",
    "REWARD_PRESETS": "rewards",
    "ARCHIVE_PRESETS": "archives",
    "ArchivePreset": "archives",
    "QDLogger": "archives",
    "archive_preset": "archives",
    "make_archive": "archives",
    "save_heatmap": "archives",
    "read_elites": "elites",
    "save_elites": "elites",
}

__all__ = [
    "SHIPPED_GENERATORS",
    "FunctionGenerator",
    "Generator",
    "ModuleGenerator",
    "check_generated",
    "check_latents",
    "load_generator",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    """The names of :data:`_LAZY`, imported from their module on first use."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
