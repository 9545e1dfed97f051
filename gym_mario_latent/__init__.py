"""gym-mario-latent: Super Mario Bros for Gymnasium, and latent-space Mario level generation.

Importing the package registers every environment ID with Gymnasium::

    import warnings

import gymnasium as gym
    import gym_mario_latent

    env = gym.make("SuperMarioBros-1-1-v0")
"""

import warnings

import gymnasium as gym

from gym_mario_latent.registration import register_all

__version__ = "0.1.0"

register_all()

# In our IDs the version number is the ROM mode, not a revision: v0 is not "out of date" when v3 exists.
warnings.filterwarnings(
    "ignore",
    message=r".*The environment SuperMarioBros.* is out of date",
    category=DeprecationWarning,
)

# The old gym-super-mario-bros alias: ``gym_mario_latent.make(id)`` is ``gymnasium.make(id)``.
make = gym.make

__all__ = ["__version__", "make"]
