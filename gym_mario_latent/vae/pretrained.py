"""The pretrained MarioVAEs shipped inside the package, by name, each trained by ``vae train``.

- ``"pretrained"`` (also ``"pretrained-2"``): z_dim 2, small enough that a grid covers its latent space.
- ``"pretrained-32"``: z_dim 32, the latent size of MarioGAN and MarioGAN-LSI, a space worth searching.
"""

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import torch

from gym_mario_latent.errors import CheckpointError
from gym_mario_latent.vae.checkpoint import checkpoint_paths, load_checkpoint, read_metadata
from gym_mario_latent.vae.model import MarioVAE

#: Name → checkpoint file stem (in ``gym_mario_latent/vae/weights``).
PRETRAINED = {
    "pretrained": "mario_vae_z2",
    "pretrained-2": "mario_vae_z2",
    "pretrained-32": "mario_vae_z32",
}
DEFAULT_PRETRAINED = "pretrained"


def shipped_path(name: str, shipped: dict[str, str], package: str, what: str) -> Path:
    """Path (without suffix) of the shipped checkpoint ``name`` of a model family: its file stem in
    ``shipped``, in ``package``'s ``weights`` folder."""
    if name not in shipped:
        raise ValueError(f"no pretrained {what} named {name!r}: the package ships {', '.join(shipped)}")
    return Path(str(resources.files(package) / "weights" / shipped[name]))


def pretrained_path(name: str = DEFAULT_PRETRAINED) -> Path:
    """Path (without suffix) of a shipped checkpoint: ``.safetensors`` weights + ``.json``."""
    return shipped_path(name, PRETRAINED, "gym_mario_latent.vae", "VAE")


def pretrained_metadata(name: str = DEFAULT_PRETRAINED) -> dict[str, Any]:
    """Metadata of a shipped checkpoint: config, metrics, alphabet, shape, z_dim."""
    return read_metadata(pretrained_path(name))


def load_pretrained(name: str = DEFAULT_PRETRAINED, device: str | torch.device = "cpu") -> MarioVAE:
    """A shipped MarioVAE in eval mode; reads package files only (no network, no pickle)."""
    return load_checkpoint(pretrained_path(name), device=device)


def resolve_shipped_or_path(
    checkpoint: str | Path | None, shipped: dict[str, str], default: str, path_of: Callable[[str], Path]
) -> Path:
    """The checkpoint path of a shipped name (a key of ``shipped``, found with ``path_of``), of a path,
    or of None (``default``). A bare name that is neither raises ``CheckpointError``."""
    if checkpoint is None or (isinstance(checkpoint, str) and checkpoint in shipped):
        return path_of(checkpoint or default)
    path = Path(checkpoint)
    _, metadata = checkpoint_paths(path)
    if isinstance(checkpoint, str) and len(path.parts) == 1 and not metadata.exists():
        raise CheckpointError(
            f"no checkpoint {checkpoint!r}: not a shipped model ({', '.join(shipped)}), "
            f"and no file {metadata}"
        )
    return path


def resolve_checkpoint(checkpoint: str | Path | None = None) -> Path:
    """The checkpoint path of a shipped name (see :data:`PRETRAINED`), of a path, or of None (the default)."""
    return resolve_shipped_or_path(checkpoint, PRETRAINED, DEFAULT_PRETRAINED, pretrained_path)


def load_vae(checkpoint: str | Path | MarioVAE | None = None, device: str | torch.device = "cpu") -> MarioVAE:
    """A MarioVAE from a shipped name or a checkpoint path (see :func:`resolve_checkpoint`), or a model."""
    if isinstance(checkpoint, MarioVAE):
        return checkpoint
    return load_checkpoint(resolve_checkpoint(checkpoint), device=device)
