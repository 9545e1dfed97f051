"""The GAN's training data: 14×28 windows of the VGLC levels, as one-hot tile maps padded to the
generator's square with empty space (as MarioGAN pads its levels)."""

import numpy as np

from gym_mario_latent.gan.model import IMAGE_SIZE, LEVEL_SHAPE
from gym_mario_latent.levels import EMPTY_ID, N_TILES
from gym_mario_latent.vae.data import vglc_windows, vglc_windows_description


def gan_windows(stride: int = 1, shape: tuple[int, int] = LEVEL_SHAPE) -> np.ndarray:
    """Every ``shape`` window of the shipped VGLC levels: tile ids (n, rows, columns)."""
    return vglc_windows(shape[0], stride, width=shape[1])


def gan_windows_description(stride: int = 1, shape: tuple[int, int] = LEVEL_SHAPE) -> str:
    """What :func:`gan_windows` holds, in words (recorded in checkpoints)."""
    return vglc_windows_description(shape[0], stride, width=shape[1])


def padded_onehot(windows: np.ndarray, image_size: int = IMAGE_SIZE) -> np.ndarray:
    """Tile ids (n, rows, columns) → one-hot (n, N_TILES, image_size, image_size) float32, the
    windows in the top-left corner and empty space around them."""
    n, rows, columns = windows.shape
    padded = np.full((n, image_size, image_size), EMPTY_ID, dtype=np.int64)
    padded[:, :rows, :columns] = windows
    return np.moveaxis(np.eye(N_TILES, dtype=np.float32)[padded], -1, 1).copy()
