"""A MarioGAN-style DCGAN: the generator and critic layouts of MarioGAN and MarioGAN-LSI.

The layout is the published one (DagstuhlGAN's ``DCGAN_G`` / ``DCGAN_D``, reused by MarioGAN-LSI
and DSAGE): a latent z of size ``z_dim`` goes through a 4×4 transposed convolution to
``ngf · image_size / 8`` channels, then stride-2 transposed convolutions that halve the channels
and double the size (batch norm and ReLU after each), to a last one that writes one score map per
tile at ``image_size``×``image_size``, through a ReLU. A level is the top-left ``shape`` corner of
that square (MarioGAN: 14 rows × 28 columns of a 32×32 square; MarioGAN-LSI: 16 × 56 of 64×64),
its tile at each cell the channel with the highest score. Layer names are the published ones, so
a published state dict loads as it is (see :mod:`gym_mario_latent.gan.mariogan`).

The critic mirrors it: stride-2 convolutions (leaky ReLU, batch norm after all but the first)
from the tile maps down to 4×4, and a last 4×4 convolution to one score per level.
"""

from collections import OrderedDict
from typing import ClassVar

import numpy as np
import torch
from torch import Tensor, nn

from gym_mario_latent.errors import LevelFormatError
from gym_mario_latent.levels import GENERATOR_ALPHABETS, VAE_TILES

Z_DIM = 32  # MarioGAN's and MarioGAN-LSI's latent size
FEATURES = 64  # ngf / ndf: channels of the widest-resolution hidden layer
IMAGE_SIZE = 32  # the square the generator writes (MarioGAN's)
LEVEL_SHAPE = (14, 28)  # the part of it that is the level (MarioGAN's crop): rows, columns


def generator_layers(
    z_dim: int, n_tiles: int, image_size: int = IMAGE_SIZE, features: int = FEATURES
) -> list[tuple[str, nn.Module]]:
    """The published generator's layers, by their published names."""
    if image_size < 16 or image_size & (image_size - 1):
        raise ValueError(f"image_size must be a power of two of at least 16; got {image_size}")
    channels = features * image_size // 8
    layers: list[tuple[str, nn.Module]] = [
        (f"initial:{z_dim}-{channels}:convt", nn.ConvTranspose2d(z_dim, channels, 4, 1, 0, bias=False)),
        (f"initial:{channels}:batchnorm", nn.BatchNorm2d(channels)),
        (f"initial:{channels}:relu", nn.ReLU()),
    ]
    size = 4
    while size < image_size // 2:
        half = channels // 2
        layers += [
            (f"pyramid:{channels}-{half}:convt", nn.ConvTranspose2d(channels, half, 4, 2, 1, bias=False)),
            (f"pyramid:{half}:batchnorm", nn.BatchNorm2d(half)),
            (f"pyramid:{half}:relu", nn.ReLU()),
        ]
        channels, size = half, size * 2
    layers += [
        (f"final:{channels}-{n_tiles}:convt", nn.ConvTranspose2d(channels, n_tiles, 4, 2, 1, bias=False)),
        (f"final:{n_tiles}:relu", nn.ReLU()),
    ]
    return layers


def critic_layers(
    n_tiles: int, image_size: int = IMAGE_SIZE, features: int = FEATURES
) -> list[tuple[str, nn.Module]]:
    """The published critic's (``DCGAN_D``'s) layers, by their published names."""
    layers: list[tuple[str, nn.Module]] = [
        (f"initial:conv:{n_tiles}-{features}", nn.Conv2d(n_tiles, features, 4, 2, 1, bias=False)),
        (f"initial:relu:{features}", nn.LeakyReLU(0.2)),
    ]
    channels, size = features, image_size // 2
    while size > 4:
        double = channels * 2
        layers += [
            (f"pyramid:{channels}-{double}:conv", nn.Conv2d(channels, double, 4, 2, 1, bias=False)),
            (f"pyramid:{double}:batchnorm", nn.BatchNorm2d(double)),
            (f"pyramid:{double}:relu", nn.LeakyReLU(0.2)),
        ]
        channels, size = double, size // 2
    layers.append((f"final:{channels}-1:conv", nn.Conv2d(channels, 1, 4, 1, 0, bias=False)))
    return layers


def init_weights(module: nn.Module) -> None:
    """DCGAN's initialisation: convolutions N(0, 0.02), batch-norm scales N(1, 0.02), shifts 0."""
    if isinstance(module, nn.Conv2d | nn.ConvTranspose2d):
        nn.init.normal_(module.weight, 0.0, 0.02)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


class MarioGAN(nn.Module):
    """The DCGAN generator: latents (n, z_dim) → levels (n, rows, columns) of tile ids.

    A :class:`~gym_mario_latent.latent.Generator`: ``generate`` takes a NumPy batch of latents and
    returns the tile ids of ``alphabet``. Output channel ``i`` is the tile ``tiles[i]``; the ids are
    those tiles' places in :data:`~gym_mario_latent.levels.GENERATOR_ALPHABETS` ``[alphabet]``.
    Batch norm uses its running statistics in eval mode, so a level depends on its latent only.

    Args:
        z_dim: latent size.
        tiles: the tile of each output channel, as characters of ``alphabet``.
        alphabet: ``"vglc"`` (the VAE tile ids) or ``"mario-ai"``.
        image_size: side of the square the layers write.
        shape: (rows, columns) of the level cut from the square's top-left corner.
        features: channels of the last hidden layer (ngf).
    """

    kind: ClassVar[str] = "dcgan"

    def __init__(
        self,
        z_dim: int = Z_DIM,
        tiles: str = VAE_TILES,
        alphabet: str = "vglc",
        image_size: int = IMAGE_SIZE,
        shape: tuple[int, int] = LEVEL_SHAPE,
        features: int = FEATURES,
    ) -> None:
        super().__init__()
        if z_dim < 1:
            raise ValueError(f"z_dim must be at least 1; got {z_dim}")
        if alphabet not in GENERATOR_ALPHABETS:
            raise ValueError(f"unknown alphabet {alphabet!r}: expected one of {tuple(GENERATOR_ALPHABETS)}")
        unknown = sorted(set(tiles) - set(GENERATOR_ALPHABETS[alphabet]))
        if unknown or len(set(tiles)) != len(tiles):
            raise ValueError(f"tiles {tiles!r} must be distinct characters of the {alphabet} alphabet")
        rows, columns = shape
        if not (0 < rows <= image_size and 0 < columns <= image_size):
            raise ValueError(f"shape {shape} does not fit in the {image_size}x{image_size} square")
        self.z_dim, self.tiles, self.alphabet = z_dim, tiles, alphabet
        self.image_size, self.shape, self.features = image_size, (rows, columns), features
        self.main = nn.Sequential(OrderedDict(generator_layers(z_dim, len(tiles), image_size, features)))
        channel_ids = [GENERATOR_ALPHABETS[alphabet].index(tile) for tile in tiles]
        self.register_buffer("channel_ids", torch.tensor(channel_ids), persistent=False)

    @property
    def device(self) -> torch.device:
        """The device the weights live on."""
        return self.channel_ids.device

    def forward(self, z: Tensor) -> Tensor:
        """Tile scores (n, len(tiles), image_size, image_size) for latents (n, z_dim)."""
        z = torch.as_tensor(z, dtype=torch.float32, device=self.device)
        if z.dim() != 2 or z.shape[1] != self.z_dim:
            raise LevelFormatError(f"expected latents of shape (n, {self.z_dim}); got {tuple(z.shape)}")
        return self.main(z[:, :, None, None])

    def crop(self, scores: Tensor) -> Tensor:
        """The level part of the generator's square: (..., rows, columns)."""
        return scores[..., : self.shape[0], : self.shape[1]]

    def decode_levels(self, z: Tensor) -> Tensor:
        """Tile ids (n, rows, columns), int64, of ``alphabet`` for latents (n, z_dim)."""
        channels = self.crop(self(z)).argmax(dim=1)  # ties (all-zero ReLU scores) go to the first
        return self.channel_ids[channels]

    def generate(self, z: np.ndarray) -> np.ndarray:
        """The Generator protocol: tile ids (n, rows, columns) for a NumPy batch of latents."""
        with torch.no_grad():
            return self.eval().decode_levels(torch.as_tensor(np.asarray(z))).cpu().numpy()

    def sample(self, n: int, generator: torch.Generator | None = None) -> Tensor:
        """Levels of ``n`` latents drawn from N(0, I) (with ``generator`` for reproducible draws)."""
        return self.decode_levels(torch.randn(n, self.z_dim, generator=generator, device=self.device))


class Critic(nn.Module):
    """The WGAN critic: tile maps (n, n_tiles, image_size, image_size) → one score per level (n,)."""

    def __init__(self, n_tiles: int, image_size: int = IMAGE_SIZE, features: int = FEATURES) -> None:
        super().__init__()
        self.main = nn.Sequential(OrderedDict(critic_layers(n_tiles, image_size, features)))

    def forward(self, levels: Tensor) -> Tensor:
        return self.main(levels).reshape(len(levels))
