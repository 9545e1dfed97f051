"""Gymnasium environments: Super Mario Bros on the NES."""

from gym_mario_latent.envs.smb import SuperMarioBrosEnv

__all__ = ["SuperMarioBrosEnv"]
