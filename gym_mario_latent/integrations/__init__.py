"""Adapters to other RL libraries (optional extras)."""
