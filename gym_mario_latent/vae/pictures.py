"""Pictures of what a MarioVAE has learnt: a grid over its latent space, and random samples."""

import math

import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFont

from gym_mario_latent.levels import render_grid
from gym_mario_latent.vae.model import MarioVAE

LABEL_MARGIN = 40  # pixels left of and below the grid for axis labels
LABEL_FONT_SIZE = 13


def latent_grid_points(z_dim: int, size: int = 10, bound: float = 3.0, seed: int = 0) -> np.ndarray:
    """Latents on a ``size``×``size`` regular grid over [-bound, bound]², row-major, top row first.

    For z_dim 2 these are the grid points themselves (z1 left→right, z2 bottom→top). For larger
    z_dim the grid lies in a random 2-D plane through the origin, spanned by two orthonormal
    directions drawn with ``seed``. Returns shape (size * size, z_dim), float32.
    """
    if size < 1 or not (math.isfinite(bound) and bound > 0):
        raise ValueError(f"need size ≥ 1 and a finite bound > 0; got size {size}, bound {bound}")
    steps = np.linspace(-bound, bound, size)
    z1, z2 = np.meshgrid(steps, steps[::-1])  # top row of the picture = largest z2
    plane = np.stack([z1.ravel(), z2.ravel()], axis=1)
    if z_dim == 1:
        return plane[:, :1].astype(np.float32)
    if z_dim == 2:
        return plane.astype(np.float32)
    directions, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((z_dim, 2)))
    return (plane @ directions.T).astype(np.float32)


def _decode(model: MarioVAE, z: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return model.eval().decode_levels(torch.from_numpy(z)).cpu().numpy()


def latent_grid_image(
    model: MarioVAE,
    size: int = 10,
    bound: float = 3.0,
    seed: int = 0,
    tile_size: int = 8,
    labels: bool = True,
) -> Image.Image:
    """Decoded levels on a regular grid over the latent space (see :func:`latent_grid_points`).

    Args:
        model: the VAE.
        size: levels per side of the grid.
        bound: the grid spans [-bound, bound] on each axis.
        seed: picks the 2-D plane when z_dim > 2.
        tile_size: pixels per tile.
        labels: write the axis values along the left and bottom edges.
    """
    levels = _decode(model, latent_grid_points(model.z_dim, size, bound, seed))
    grid = render_grid(levels, columns=size, tile_size=tile_size)
    if not labels:
        return grid
    picture = Image.new("RGB", (grid.width + LABEL_MARGIN, grid.height + LABEL_MARGIN), "white")
    picture.paste(grid, (LABEL_MARGIN, 0))
    draw = ImageDraw.Draw(picture)
    font = ImageFont.load_default(LABEL_FONT_SIZE)
    cell = (grid.width - 2) / size
    names = ("z1", "z2") if model.z_dim == 2 else ("u", "v")
    for index, value in enumerate(np.linspace(-bound, bound, size)):
        centre, text = 2 + cell * (index + 0.5), f"{value:.1f}"
        draw.text((LABEL_MARGIN + centre, grid.height + 5), text, "black", font, anchor="mt")
        draw.text((LABEL_MARGIN - 5, grid.height - centre), text, "black", font, anchor="rm")
    draw.text((picture.width - 4, picture.height - 4), names[0], "black", font, anchor="rd")
    draw.text((4, 4), names[1], "black", font, anchor="la")
    return picture


def sample_levels(model: MarioVAE, n: int = 16, seed: int = 0) -> np.ndarray:
    """``n`` levels decoded from prior latents drawn with ``seed``: tile ids (n, 14, 14). Any model
    with the same ``sample(n, generator)`` works (a :class:`~gym_mario_latent.gan.MarioGAN` too)."""
    if n < 1:
        raise ValueError(f"n must be at least 1; got {n}")
    generator = torch.Generator(device=model.device).manual_seed(seed)
    with torch.no_grad():
        return model.eval().sample(n, generator=generator).cpu().numpy()


def samples_image(
    model: MarioVAE, n: int = 16, seed: int = 0, columns: int | None = None, tile_size: int = 16
) -> Image.Image:
    """A picture of :func:`sample_levels` in a grid."""
    return render_grid(sample_levels(model, n, seed), columns=columns, tile_size=tile_size)


def reconstructions_image(model: MarioVAE, levels: np.ndarray, tile_size: int = 16) -> Image.Image:
    """Levels (n, 14, 14) in the top row and the model's reconstructions of them below."""
    with torch.no_grad():
        rebuilt = model.eval().reconstruct(torch.from_numpy(np.asarray(levels))).cpu().numpy()
    return render_grid(np.concatenate([levels, rebuilt]), columns=len(levels), tile_size=tile_size)
