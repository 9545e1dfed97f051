"""The Mario VAE: a categorical VAE of 14×14 level segments, its data, training and weights.

>>> from gym_mario_latent.vae import load_pretrained
>>> model = load_pretrained()
>>> levels = model.sample(4)  # tile ids, shape (4, 14, 14)
>>> from gym_mario_latent.vae import import_mariovae
>>> import_mariovae("models/example.pt", "checkpoints/example")  # a MarioVAE state dict, read safely
"""

from gym_mario_latent.vae.checkpoint import load_checkpoint, read_metadata, save_checkpoint
from gym_mario_latent.vae.data import (
    WINDOW,
    level_windows,
    load_vglc_level,
    load_vglc_levels,
    train_test_split,
    vglc_level_names,
    vglc_windows,
    vglc_windows_description,
)
from gym_mario_latent.vae.mariovae import import_mariovae, load_mariovae_state_dict
from gym_mario_latent.vae.model import MarioVAE, VAEMario
from gym_mario_latent.vae.pictures import (
    latent_grid_image,
    latent_grid_points,
    reconstructions_image,
    sample_levels,
    samples_image,
)
from gym_mario_latent.vae.pretrained import (
    PRETRAINED,
    load_pretrained,
    load_vae,
    pretrained_metadata,
    pretrained_path,
    resolve_checkpoint,
)
from gym_mario_latent.vae.train import TrainConfig, TrainResult, train

__all__ = [
    "PRETRAINED",
    "WINDOW",
    "MarioVAE",
    "TrainConfig",
    "TrainResult",
    "VAEMario",
    "import_mariovae",
    "latent_grid_image",
    "latent_grid_points",
    "level_windows",
    "load_checkpoint",
    "load_mariovae_state_dict",
    "load_pretrained",
    "load_vae",
    "load_vglc_level",
    "load_vglc_levels",
    "pretrained_metadata",
    "pretrained_path",
    "read_metadata",
    "reconstructions_image",
    "resolve_checkpoint",
    "sample_levels",
    "samples_image",
    "save_checkpoint",
    "train",
    "train_test_split",
    "vglc_level_names",
    "vglc_windows",
    "vglc_windows_description",
]
