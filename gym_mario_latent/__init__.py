"""gym-mario-latent: Super Mario Bros for Gymnasium, and latent-space Mario level generation.

Importing the package registers every environment ID with Gymnasium::

    import gymnasium as gym

    import gym_mario_latent

    env = gym.make("SuperMarioBros-1-1-v0")
"""

import warnings

import gymnasium as gym

from gym_mario_latent.registration import register_all

__version__ = "0.1.0"

register_all()

# In our IDs the version number is the ROM mode, not a revision, so Gymnasium's "v0 is out of date,
# v3 exists" warning is wrong for them. It is raised inside the user's own ``gym.make`` call, so
# only a process-wide filter can reach it; the pattern matches that warning for our ID families
# (SuperMarioBros, SuperMarioBros2, SuperMarioBrosRandomStages, with or without NoFrameskip and a
# stage) and nothing else, so every other deprecation warning still shows.
_OUR_IDS = r"SuperMarioBros(2|RandomStages)?(NoFrameskip)?(-[1-8]-[1-4])?-v[0-3]"
warnings.filterwarnings(
    "ignore", message=rf".*The environment {_OUR_IDS} is out of date", category=DeprecationWarning
)

# The old gym-super-mario-bros alias: ``gym_mario_latent.make(id)`` is ``gymnasium.make(id)``.
make = gym.make

__all__ = ["__version__", "make"]
