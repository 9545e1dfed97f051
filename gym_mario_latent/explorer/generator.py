"""The generator the explorer shows: any of the latent toolkit's generators (a shipped name or a checkpoint
path), k of its segments side by side as one scene, its hash, and decoding latents."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from gym_mario_latent.errors import CheckpointError, ExplorerError
from gym_mario_latent.latent import generators
from gym_mario_latent.latent.generators import Generator, checkpoint_weights_sha256, generate_scenes, vae_ids

#: The generator shown when none is named: the 2-d VAE.
DEFAULT_GENERATOR = "pretrained"


@dataclass
class ExplorerGenerator:
    """A loaded generator: what the page is told about it, and ``decode``.

    Attributes:
        name: the name or path it was given as.
        model: the toolkit's generator (a VAE, the GAN, ...) of one segment.
        sha256: the playability cache's key: its weights' SHA-256 (from its checkpoint's metadata), mixed
            with ``scene_segments`` when a scene is more than one segment.
        scene_segments: k, the segments side by side in what one latent makes.
    """

    name: str
    model: Generator
    sha256: str
    scene_segments: int = 1
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def z_dim(self) -> int:
        """Latent size: k × the generator's."""
        return self.scene_segments * int(self.model.z_dim)

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns) of what a latent makes: k segments side by side."""
        rows, columns = self.model.shape
        return int(rows), self.scene_segments * int(columns)

    def decode(self, z: np.ndarray) -> np.ndarray:
        """VAE tile ids (n, rows, columns) of latents (n, z_dim): the most likely tile of every cell."""
        with self._lock, torch.no_grad():
            scenes = generate_scenes(self.model, np.asarray(z, dtype=np.float32), self.scene_segments)
        return vae_ids(scenes, self.model.alphabet)


def load_generator(name: str | Path | None, scene_segments: int = 1) -> ExplorerGenerator:
    """The generator `name` (a shipped name: ``pretrained``, ``pretrained-32``, ``vae``, ``vae-32``, ``gan``;
    or a VAE or GAN checkpoint path; None: ``pretrained``), `scene_segments` of its segments a latent.

    Raises:
        ExplorerError: no such checkpoint, a broken one, or a latent of fewer than 2 dimensions (a map
            needs two).
    """
    name = DEFAULT_GENERATOR if name is None else str(name)
    try:
        model = generators.load_generator(name)
        sha256 = checkpoint_weights_sha256(name)
    except (CheckpointError, ValueError) as error:
        raise ExplorerError(f"cannot load the generator {name!r}: {error}") from None
    if scene_segments > 1:
        sha256 = hashlib.sha256(f"{sha256} scene_segments={scene_segments}".encode()).hexdigest()
    generator = ExplorerGenerator(name, model, sha256, scene_segments)
    if generator.z_dim < 2:
        raise ExplorerError(
            f"the generator {name!r} has z_dim {generator.z_dim}: the explorer needs at least 2"
        )
    return generator
