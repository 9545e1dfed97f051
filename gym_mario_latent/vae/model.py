"""MarioVAE: a categorical variational autoencoder of 14×14 Mario level segments.

Encoder and decoder are MLPs with tanh (2156→512→256→128→z and z→256→512→2156, where 2156 = 11
tiles × 14 × 14). The posterior q(z|x) and the prior p(z) are ``torch.distributions.Normal``; the
likelihood p(x|z) is a ``Categorical`` over the 11 tiles of every cell. Training maximises the ELBO.
"""

import itertools
from collections.abc import Sequence
from typing import ClassVar

import numpy as np
import torch
from torch import Tensor, nn
from torch.distributions import Categorical, Normal, kl_divergence

from gym_mario_latent.errors import LevelFormatError
from gym_mario_latent.levels import N_TILES, ids_to_onehot
from gym_mario_latent.levels.convert import refuse_distribution
from gym_mario_latent.vae.data import WINDOW

ENCODER_WIDTHS = (512, 256, 128)
DECODER_WIDTHS = (256, 512)


def _mlp(widths: list[int]) -> nn.Sequential:
    """Linear layers of the given widths with tanh between them (none after the last)."""
    layers: list[nn.Module] = []
    for index, (width_in, width_out) in enumerate(itertools.pairwise(widths)):
        if index:
            layers.append(nn.Tanh())
        layers.append(nn.Linear(width_in, width_out))
    return nn.Sequential(*layers)


class MarioVAE(nn.Module):
    """Categorical VAE of (14, 14) level segments in the VAE tile alphabet.

    Levels go in as tile ids (batch, 14, 14) of an integer dtype, or one-hot (batch, 11, 14, 14);
    the model moves them to its own device. Every method is batched. The model is a
    :class:`~gym_mario_latent.latent.Generator` (``z_dim``, ``shape``, ``alphabet``, ``generate``).

    Args:
        z_dim: size of the latent space.
        height, width: segment size in tiles.
        n_tiles: number of tile kinds.
    """

    alphabet: ClassVar[str] = "vglc"  # its tile ids are the VAE's

    def __init__(
        self, z_dim: int = 2, height: int = WINDOW, width: int = WINDOW, n_tiles: int = N_TILES
    ) -> None:
        super().__init__()
        if z_dim < 1:
            raise ValueError(f"z_dim must be at least 1; got {z_dim}")
        self.z_dim, self.height, self.width, self.n_tiles = z_dim, height, width, n_tiles
        self.input_dim = n_tiles * height * width
        self.encoder = nn.Sequential(*_mlp([self.input_dim, *ENCODER_WIDTHS]), nn.Tanh())
        self.enc_mu = nn.Linear(ENCODER_WIDTHS[-1], z_dim)
        self.enc_log_var = nn.Linear(ENCODER_WIDTHS[-1], z_dim)
        self.decoder = _mlp([z_dim, *DECODER_WIDTHS, self.input_dim])
        self.register_buffer("prior_loc", torch.zeros(z_dim), persistent=False)
        self.register_buffer("prior_scale", torch.ones(z_dim), persistent=False)

    @property
    def device(self) -> torch.device:
        """The device the weights live on."""
        return self.prior_loc.device

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns) of a decoded level."""
        return (self.height, self.width)

    @property
    def prior(self) -> Normal:
        """p(z): a standard Normal over the latent space."""
        return Normal(self.prior_loc, self.prior_scale)

    @property
    def p_z(self) -> Normal:
        """The prior p(z), by MarioVAE's name (same as :attr:`prior`)."""
        return self.prior

    def _onehot(self, levels: Tensor) -> Tensor:
        """Tile ids or one-hot levels → flat one-hot (batch, input_dim) on the model's device."""
        refuse_distribution(levels)
        levels = torch.as_tensor(levels, device=self.device)
        if not levels.is_floating_point():
            levels = ids_to_onehot(levels)
        expected = (self.n_tiles, self.height, self.width)
        if levels.dim() != 4 or tuple(levels.shape[1:]) != expected:
            raise LevelFormatError(
                f"expected levels of shape (batch, {self.height}, {self.width}) as tile ids or "
                f"(batch, {', '.join(map(str, expected))}) one-hot; got {tuple(levels.shape)}"
            )
        return levels.reshape(len(levels), self.input_dim)

    def _tile_ids(self, levels: Tensor) -> Tensor:
        levels = torch.as_tensor(levels, device=self.device)
        return levels.argmax(dim=1) if levels.is_floating_point() else levels.long()

    def encode(self, levels: Tensor) -> Normal:
        """q(z|x) for a batch of levels: a Normal with batch shape (batch, z_dim)."""
        hidden = self.encoder(self._onehot(levels))
        log_var = self.enc_log_var(hidden)
        return Normal(self.enc_mu(hidden), torch.exp(0.5 * log_var))

    def decode(self, z: Tensor) -> Categorical:
        """p(x|z) for a batch of latents (batch, z_dim): a Categorical over tiles per cell.

        Its batch shape is (batch, height, width); ``.logits`` has a last axis of n_tiles.
        """
        return Categorical(logits=self._decoder_logits(z))

    def _decoder_logits(self, z: Tensor) -> Tensor:
        """The decoder's unnormalised logits (batch, height, width, n_tiles)."""
        z = torch.as_tensor(z, dtype=torch.float32, device=self.device)
        if z.dim() != 2 or z.shape[1] != self.z_dim:
            raise ValueError(f"expected latents of shape (batch, {self.z_dim}); got {tuple(z.shape)}")
        return self.decoder(z).reshape(len(z), self.height, self.width, self.n_tiles)

    def decode_levels(
        self, z: Tensor, sample: bool = False, generators: Sequence[torch.Generator] | None = None
    ) -> Tensor:
        """Tile ids (batch, height, width), int64, for each latent: the most likely tile of every cell,
        or with ``sample=True`` tiles drawn from p(x|z).

        Sampling draws the latent of row ``i`` with ``generators[i]`` (one ``torch.Generator`` per row,
        on the model's device; ``None``: torch's global generator), so a row's draw depends only on its
        own generator, whatever else is in the batch.
        """
        logits = self._decoder_logits(z)  # argmax and Gumbel-max need no normalisation
        if not sample:
            return logits.argmax(dim=-1)
        if generators is not None and len(generators) != len(logits):
            raise ValueError(f"expected one generator per latent ({len(logits)}); got {len(generators)}")
        uniform = torch.stack(
            [
                torch.rand(row.shape, generator=generator, device=self.device)
                for row, generator in zip(logits, generators or [None] * len(logits), strict=True)
            ]
        )
        # Gumbel-max: argmax(logits + Gumbel noise) is a draw from Categorical(logits)
        gumbel = -torch.log(-torch.log(uniform.clamp(min=torch.finfo(uniform.dtype).tiny)))
        return (logits + gumbel).argmax(dim=-1)

    def generate(self, z: np.ndarray) -> np.ndarray:
        """The Generator protocol: the most likely level (tile ids, int64) of each latent in a NumPy
        batch (n, z_dim), decoded without gradients."""
        with torch.no_grad():
            return self.decode_levels(torch.as_tensor(np.asarray(z))).cpu().numpy()

    def forward(self, levels: Tensor) -> tuple[Normal, Categorical]:
        """q(z|x), and p(x|z) at a reparameterised sample z ~ q(z|x)."""
        q_z_given_x = self.encode(levels)
        return q_z_given_x, self.decode(q_z_given_x.rsample())

    def elbo(self, levels: Tensor, q_z_given_x: Normal, p_x_given_z: Categorical) -> Tensor:
        """ELBO per level, in nats: log p(x|z) summed over cells minus KL(q(z|x) ‖ p(z))."""
        log_likelihood = p_x_given_z.log_prob(self._tile_ids(levels)).sum(dim=(1, 2))
        kl = kl_divergence(q_z_given_x, self.prior).sum(dim=1)
        return log_likelihood - kl

    def loss(self, levels: Tensor) -> Tensor:
        """Negative ELBO averaged over the batch (one reparameterised sample per level)."""
        q_z_given_x, p_x_given_z = self(levels)
        return -self.elbo(levels, q_z_given_x, p_x_given_z).mean()

    def reconstruct(self, levels: Tensor) -> Tensor:
        """Encode to the posterior mean and decode the most likely level: tile ids (batch, h, w)."""
        return self.decode_levels(self.encode(levels).mean)

    def sample(self, n: int, generator: torch.Generator | None = None) -> Tensor:
        """Decode ``n`` latents drawn from the prior: tile ids (n, height, width).

        Pass a ``torch.Generator`` (on the model's device) for reproducible samples.
        """
        z = torch.randn(n, self.z_dim, generator=generator, device=self.device)
        return self.decode_levels(z)


#: MarioVAE's name for the model class (the blog's ``VAEMario``).
VAEMario = MarioVAE
