"""Command-line entry points: ``gym-mario-latent`` and ``gym_super_mario_bros``."""
