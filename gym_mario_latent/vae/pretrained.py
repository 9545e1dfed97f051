"""The pretrained MarioVAE shipped inside the package (z_dim 2, trained by ``vae train``)."""

from importlib import resources
from pathlib import Path
from typing import Any

import torch

from gym_mario_latent.vae.checkpoint import load_checkpoint, read_metadata
from gym_mario_latent.vae.model import MarioVAE

PRETRAINED_NAME = "mario_vae_z2"


def pretrained_path() -> Path:
    """Path (without suffix) of the shipped checkpoint: ``.safetensors`` weights + ``.json``."""
    return Path(str(resources.files("gym_mario_latent.vae") / "weights" / PRETRAINED_NAME))


def pretrained_metadata() -> dict[str, Any]:
    """Metadata of the shipped checkpoint: config, metrics, alphabet, shape, z_dim."""
    return read_metadata(pretrained_path())


def load_pretrained(device: str | torch.device = "cpu") -> MarioVAE:
    """The shipped MarioVAE in eval mode; reads package files only (no network, no pickle)."""
    return load_checkpoint(pretrained_path(), device=device)
