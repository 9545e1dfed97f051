"""The latent-level side of the package: level generators (the :class:`Generator` protocol and wrappers
for your own functions and torch modules), the field's measures and archive presets."""

from gym_mario_latent.latent.generators import (
    FunctionGenerator,
    Generator,
    ModuleGenerator,
    check_generated,
    check_latents,
)

__all__ = ["FunctionGenerator", "Generator", "ModuleGenerator", "check_generated", "check_latents"]
