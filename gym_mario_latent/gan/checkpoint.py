"""GAN checkpoints: the generator's weights in safetensors (no pickle) beside a JSON file of metadata.

The same pair as the VAE's (``NAME.safetensors`` + ``NAME.json``, see
:mod:`gym_mario_latent.vae.checkpoint`): the JSON says what the weights mean (latent size, the
tile of each output channel and the alphabet of the ids, the square and the level cut from it,
the layer widths), how they were trained (config) and how well (metrics), with the weights' hash;
loading refuses any mismatch. Only the generator is kept: the critic is a training aid.
"""

from pathlib import Path
from typing import Any

import torch

from gym_mario_latent.errors import CheckpointError
from gym_mario_latent.gan.model import MarioGAN
from gym_mario_latent.vae.checkpoint import load_weights, read_metadata, write_checkpoint

FORMAT = "gym-mario-latent/mario-gan"


def model_description(model: MarioGAN) -> dict[str, Any]:
    """What a set of generator weights means: the fields a checkpoint records and is checked by."""
    return {
        "kind": model.kind,
        "z_dim": model.z_dim,
        "tiles": model.tiles,
        "alphabet": model.alphabet,
        "image_size": model.image_size,
        "shape": list(model.shape),
        "features": model.features,
    }


def save_gan_checkpoint(
    model: MarioGAN,
    path: str | Path,
    config: dict[str, Any] | None = None,
    metrics: dict[str, Any] | None = None,
) -> Path:
    """Write the generator's weights and metadata; returns the weights path."""
    return write_checkpoint(model, path, FORMAT, model_description(model), config, metrics)


def read_gan_metadata(path: str | Path) -> dict[str, Any]:
    """The JSON metadata of a GAN checkpoint (``CheckpointError`` if it is none)."""
    return read_metadata(path, format=FORMAT)


def _blueprint_arguments(metadata: dict[str, Any], where: str) -> dict[str, Any]:
    """MarioGAN's constructor arguments from checked metadata."""
    try:
        arguments = {
            "z_dim": metadata["z_dim"],
            "tiles": metadata["tiles"],
            "alphabet": metadata["alphabet"],
            "image_size": metadata["image_size"],
            "shape": tuple(metadata["shape"]),
            "features": metadata["features"],
        }
        with torch.device("meta"):
            blueprint = MarioGAN(**arguments)  # checks every field; shapes without memory
    except (KeyError, TypeError, ValueError) as error:
        raise CheckpointError(f"{where} does not describe a MarioGAN: {error}") from None
    if model_description(blueprint) != {key: metadata.get(key) for key in model_description(blueprint)}:
        raise CheckpointError(f"{where} does not describe a MarioGAN of kind {blueprint.kind}")
    return arguments


def load_gan_checkpoint(path: str | Path, device: str | torch.device = "cpu") -> MarioGAN:
    """Load a GAN checkpoint into a new :class:`MarioGAN` in eval mode, after checking the metadata,
    the weights' hash and every tensor's name and shape.

    Raises:
        CheckpointError: files missing or corrupt, or weights that do not match the metadata.
    """
    metadata = read_gan_metadata(path)
    arguments = _blueprint_arguments(metadata, str(path))
    with torch.device("meta"):
        blueprint = MarioGAN(**arguments)
    model = load_weights(lambda: MarioGAN(**arguments), path, metadata, blueprint)
    return model.to(device).eval()
