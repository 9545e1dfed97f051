"""The generator the explorer shows: a VAE checkpoint by name or path, its hash, and decoding latents."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from gym_mario_latent.errors import CheckpointError, ExplorerError
from gym_mario_latent.vae import MarioVAE, load_vae, read_metadata, resolve_checkpoint


@dataclass
class ExplorerGenerator:
    """A loaded generator: what the page is told about it, and ``decode``.

    Attributes:
        name: the name or path it was given as.
        model: the VAE.
        sha256: the SHA-256 of its weights (from its checkpoint's metadata): the playability cache's key.
    """

    name: str
    model: MarioVAE
    sha256: str
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def z_dim(self) -> int:
        """Latent size."""
        return self.model.z_dim

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns) of a segment."""
        return self.model.height, self.model.width

    def decode(self, z: np.ndarray) -> np.ndarray:
        """Tile ids (n, rows, columns) of latents (n, z_dim): the most likely tile of every cell."""
        with self._lock, torch.no_grad():
            return self.model.decode_levels(torch.from_numpy(np.asarray(z, dtype=np.float32))).cpu().numpy()


def load_generator(name: str | Path | None) -> ExplorerGenerator:
    """The VAE `name` (a shipped name such as ``pretrained-32``, or a checkpoint path; None: ``pretrained``).

    Raises:
        ExplorerError: no such checkpoint, a broken one, or a latent of fewer than 2 dimensions (a map
            needs two).
    """
    try:
        path = resolve_checkpoint(name)
        model = load_vae(path)
        sha256 = read_metadata(path)["weights_sha256"]
    except (CheckpointError, ValueError) as error:
        raise ExplorerError(f"cannot load the generator {name!r}: {error}") from None
    if model.z_dim < 2:
        raise ExplorerError(f"the generator {name!r} has z_dim {model.z_dim}: the explorer needs at least 2")
    return ExplorerGenerator(str(name or "pretrained"), model.eval(), sha256)
