"""gym-mario-latent: Super Mario Bros for Gymnasium, and latent-space Mario level generation.

Importing the package registers every environment ID with Gymnasium::

    import gymnasium as gym

    import gym_mario_latent

    env = gym.make("SuperMarioBros-1-1-v0")
"""

import re
import warnings

import gymnasium as gym

from gym_mario_latent.registration import all_env_ids, register_all

__version__ = "0.1.0"

register_all()

# In our IDs the version number is the ROM mode, not a revision, so Gymnasium's "v0 is out of date,
# v3 exists" warning is wrong for them. It is raised inside the user's own ``gym.make`` call, so
# only a process-wide filter can reach it; the pattern names exactly our IDs (from the ID table), so
# every other deprecation warning still shows.
_OUR_IDS = "|".join(re.escape(spec.env_id) for spec in all_env_ids())
warnings.filterwarnings(
    "ignore", message=rf".*The environment ({_OUR_IDS}) is out of date", category=DeprecationWarning
)

# The old gym-super-mario-bros alias: ``gym_mario_latent.make(id)`` is ``gymnasium.make(id)``.
make = gym.make

__all__ = ["__version__", "make"]
