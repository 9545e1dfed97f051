"""The pretrained MarioGAN shipped inside the package, by name, trained by ``gan train``.

- ``"pretrained"``: z_dim 32, 14×28 levels in the VAE tile alphabet, trained on the VGLC levels
  (its config and metrics are in ``weights/mario_gan_z32.json``).
"""

from pathlib import Path
from typing import Any

import torch

from gym_mario_latent.gan.checkpoint import load_gan_checkpoint, read_gan_metadata
from gym_mario_latent.gan.model import MarioGAN
from gym_mario_latent.vae.pretrained import resolve_shipped_or_path, shipped_path

#: Name → checkpoint file stem (in ``gym_mario_latent/gan/weights``).
PRETRAINED_GANS = {"pretrained": "mario_gan_z32"}
DEFAULT_PRETRAINED_GAN = "pretrained"


def pretrained_gan_path(name: str = DEFAULT_PRETRAINED_GAN) -> Path:
    """Path (without suffix) of a shipped GAN checkpoint: ``.safetensors`` weights + ``.json``."""
    return shipped_path(name, PRETRAINED_GANS, "gym_mario_latent.gan", "GAN")


def pretrained_gan_metadata(name: str = DEFAULT_PRETRAINED_GAN) -> dict[str, Any]:
    """Metadata of a shipped GAN checkpoint: config, metrics, tiles, alphabet, shape, z_dim."""
    return read_gan_metadata(pretrained_gan_path(name))


def load_pretrained_gan(name: str = DEFAULT_PRETRAINED_GAN, device: str | torch.device = "cpu") -> MarioGAN:
    """A shipped MarioGAN generator in eval mode; reads package files only (no network, no pickle)."""
    return load_gan_checkpoint(pretrained_gan_path(name), device=device)


def resolve_gan_checkpoint(checkpoint: str | Path | None = None) -> Path:
    """The checkpoint path of a shipped name (see :data:`PRETRAINED_GANS`), of a path, or of None."""
    return resolve_shipped_or_path(checkpoint, PRETRAINED_GANS, DEFAULT_PRETRAINED_GAN, pretrained_gan_path)


def load_gan(checkpoint: str | Path | MarioGAN | None = None, device: str | torch.device = "cpu") -> MarioGAN:
    """A MarioGAN from a shipped name, a checkpoint path (see :func:`resolve_gan_checkpoint`), or a model."""
    if isinstance(checkpoint, MarioGAN):
        return checkpoint
    return load_gan_checkpoint(resolve_gan_checkpoint(checkpoint), device=device)
