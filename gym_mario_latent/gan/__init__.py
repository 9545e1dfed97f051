"""A MarioGAN-style DCGAN of 14×28 level segments: the published layout, its data, WGAN training,
checkpoints, the shipped weights, and import of MarioGAN / MarioGAN-LSI generators.

>>> from gym_mario_latent.gan import load_pretrained_gan
>>> gan = load_pretrained_gan()  # or load_pretrained_gan("pretrained")
>>> import numpy as np
>>> levels = gan.generate(np.random.default_rng(0).standard_normal((4, 32)))  # tile ids (4, 14, 28)
>>> from gym_mario_latent.gan import import_mariogan
>>> import_mariogan("netG_epoch_4999_7684.pth", "checkpoints/lsi")  # ids in the mario-ai alphabet
"""

from gym_mario_latent.gan.checkpoint import load_gan_checkpoint, read_gan_metadata, save_gan_checkpoint
from gym_mario_latent.gan.data import gan_windows, gan_windows_description, padded_onehot
from gym_mario_latent.gan.mariogan import (
    MARIOGAN_LSI_TILES,
    PUBLISHED_CROPS,
    import_mariogan,
    load_mariogan_state_dict,
    mariogan_from_state_dict,
    read_tile_index,
)
from gym_mario_latent.gan.model import IMAGE_SIZE, LEVEL_SHAPE, Z_DIM, Critic, MarioGAN
from gym_mario_latent.gan.pretrained import (
    PRETRAINED_GANS,
    load_gan,
    load_pretrained_gan,
    pretrained_gan_metadata,
    pretrained_gan_path,
    resolve_gan_checkpoint,
)
from gym_mario_latent.gan.train import GANTrainConfig, GANTrainResult, tile_frequencies, train_gan

#: The shipped generator by the short name ``gan.load_pretrained()``.
load_pretrained = load_pretrained_gan

__all__ = [
    "IMAGE_SIZE",
    "LEVEL_SHAPE",
    "MARIOGAN_LSI_TILES",
    "PRETRAINED_GANS",
    "PUBLISHED_CROPS",
    "Z_DIM",
    "Critic",
    "GANTrainConfig",
    "GANTrainResult",
    "MarioGAN",
    "gan_windows",
    "gan_windows_description",
    "import_mariogan",
    "load_gan",
    "load_gan_checkpoint",
    "load_mariogan_state_dict",
    "load_pretrained",
    "load_pretrained_gan",
    "mariogan_from_state_dict",
    "padded_onehot",
    "pretrained_gan_metadata",
    "pretrained_gan_path",
    "read_gan_metadata",
    "read_tile_index",
    "resolve_gan_checkpoint",
    "save_gan_checkpoint",
    "tile_frequencies",
    "train_gan",
]
