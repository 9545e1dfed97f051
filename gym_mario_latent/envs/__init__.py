"""Gymnasium environments: Super Mario Bros on the NES."""

from gym_mario_latent.envs.smb import SuperMarioBrosEnv
from gym_mario_latent.envs.snapshots import LaneSnapshot, MarioSnapshot

__all__ = ["LaneSnapshot", "MarioSnapshot", "SuperMarioBrosEnv"]
