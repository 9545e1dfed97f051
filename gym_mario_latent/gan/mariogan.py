"""Reading generators trained by MarioGAN / MarioGAN-LSI (a ``netG_*.pth`` state dict), safely.

The file is read with ``torch.load(..., weights_only=True)``, so no pickled code can run. Its
tensor names and shapes must be those of the published generator layout
(:func:`~gym_mario_latent.gan.model.generator_layers`): the latent size, the square and the
number of tiles are read from the names (``main.initial:{z_dim}-{channels}:convt.weight``,
``main.final:{features}-{tiles}:convt.weight``), and then every tensor is checked. Old files
without batch norm's ``num_batches_tracked`` counters are accepted (the counters are unused).

Their output channels are tiles of the Mario AI Framework's alphabet, in the order of the
project's ``index2str.json``; MarioGAN-LSI's 17 tiles (:data:`MARIOGAN_LSI_TILES`) are the
default. The imported generator keeps those channels and writes ids of the ``mario-ai``
alphabet (:data:`~gym_mario_latent.levels.GENERATOR_ALPHABETS`), so its levels play in the
simulator as the Mario AI Framework's level text (``Simulator(alphabet="mario-ai")``). Read as
VAE tiles (:func:`~gym_mario_latent.levels.alphabet_ids_to_vae_ids`): ``X # * %`` → ``X`` (ground,
stairs, cannon, platform), ``S`` → ``S``, ``@`` → ``?``, ``!`` → ``Q``, ``g k r y`` → ``E``
(every enemy), ``t`` → pipe pieces, ``o`` → ``o``, and ``- M F |`` → ``-``.

The level is the square's top-left corner: 16 rows × 56 columns of MarioGAN-LSI's 64×64, 14 × 28
of MarioGAN's 32×32 (:data:`PUBLISHED_CROPS`). Batch norm runs on its stored running statistics,
as DSAGE runs the LSI generator; MarioGAN-LSI's own scripts left it in training mode, where each
level also depends on the others in its batch.
"""

import json
import pickle
import re
import zipfile
from pathlib import Path
from typing import Any

import torch

from gym_mario_latent.errors import CheckpointError
from gym_mario_latent.gan.checkpoint import save_gan_checkpoint
from gym_mario_latent.gan.model import MarioGAN

#: MarioGAN-LSI's tiles in output-channel order (its ``GANTrain/index2str.json``).
MARIOGAN_LSI_TILES = "-*ygkrtS!@XF#M%o|"
#: The level cut from the generator's square, by the square's side: (rows, columns).
PUBLISHED_CROPS = {32: (14, 28), 64: (16, 56)}

_INITIAL = re.compile(r"main\.initial:(\d+)-(\d+):convt\.weight")
_FINAL = re.compile(r"main\.final:(\d+)-(\d+):convt\.weight")


def load_mariogan_state_dict(path: str | Path) -> dict[str, torch.Tensor]:
    """The tensors of a MarioGAN ``.pth`` file, read without unpickling code.

    Raises:
        CheckpointError: a missing or unreadable file, or one that is not a state dict of tensors.
    """
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise CheckpointError(f"MarioGAN state dict {path} does not exist") from None
    except IsADirectoryError:
        raise CheckpointError(f"{path} is a folder, not a MarioGAN state dict") from None
    except OSError as error:
        raise CheckpointError(f"cannot read {path}: {error.strerror or error}") from None
    except (pickle.UnpicklingError, RuntimeError, EOFError, zipfile.BadZipFile, ValueError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise CheckpointError(f"{path} is not a torch state dict that loads safely: {first_line}") from None
    if not isinstance(state, dict) or not all(isinstance(value, torch.Tensor) for value in state.values()):
        raise CheckpointError(f"{path} does not hold a state dict (a mapping of names to tensors)")
    return state


def _layout(state: dict[str, torch.Tensor], where: str) -> tuple[int, int, int, int]:
    """(z_dim, image_size, features, n_tiles) read from the layer names of a generator state dict."""
    initial = [match for name in state if (match := _INITIAL.fullmatch(name))]
    final = [match for name in state if (match := _FINAL.fullmatch(name))]
    if len(initial) != 1 or len(final) != 1:
        raise CheckpointError(
            f"{where} is not a MarioGAN generator: no main.initial:<z>-<c>:convt and "
            "main.final:<c>-<tiles>:convt weights (a critic, or another model?)"
        )
    z_dim, channels = int(initial[0][1]), int(initial[0][2])
    features, n_tiles = int(final[0][1]), int(final[0][2])
    if features < 1 or channels % features or (channels // features) & (channels // features - 1):
        raise CheckpointError(
            f"{where} has {channels} initial and {features} final channels: not the published layout"
        )
    return z_dim, channels // features * 8, features, n_tiles


def read_tile_index(path: str | Path) -> str:
    """The tiles of a MarioGAN ``index2str.json`` (``{"0": "-", "1": "X", ...}``) in channel order."""
    try:
        index = json.loads(Path(path).read_text(encoding="utf-8"))
        tiles = "".join(index[str(channel)] for channel in range(len(index)))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AttributeError) as error:
        raise CheckpointError(f"{path} is not a MarioGAN index2str.json: {error}") from None
    if len(tiles) != len(index):
        raise CheckpointError(f"{path} maps a channel to something other than one tile character")
    return tiles


def mariogan_from_state_dict(
    state: dict[str, torch.Tensor], tiles: str | None = None, where: str = "the state dict"
) -> MarioGAN:
    """A MarioGAN (eval mode, ``mario-ai`` ids) holding a published generator's weights.

    Args:
        state: the generator's state dict.
        tiles: the tile of each output channel (default: MarioGAN-LSI's 17 tiles).
        where: names the source in error messages.

    Raises:
        CheckpointError: names or shapes that are not the published layout, a square with no
            published crop, or tiles that do not match the output channels.
    """
    z_dim, image_size, features, n_tiles = _layout(state, where)
    tiles = MARIOGAN_LSI_TILES if tiles is None else tiles
    if len(tiles) != n_tiles:
        raise CheckpointError(
            f"{where} writes {n_tiles} tiles, but the tile index lists {len(tiles)} ({tiles})"
        )
    if image_size not in PUBLISHED_CROPS:
        raise CheckpointError(
            f"{where} writes a {image_size}x{image_size} square; the published ones are "
            f"{', '.join(f'{size}x{size}' for size in PUBLISHED_CROPS)}"
        )
    arguments = (z_dim, tiles, "mario-ai", image_size, PUBLISHED_CROPS[image_size], features)
    try:
        with torch.device("meta"):
            blueprint = MarioGAN(*arguments)  # shapes without memory, until they are checked
    except ValueError as error:
        raise CheckpointError(f"{where}: {error}") from None
    wanted = {name: tuple(tensor.shape) for name, tensor in blueprint.state_dict().items()}
    given = {name: tuple(tensor.shape) for name, tensor in state.items()}
    optional = {name for name in wanted if name.endswith(".num_batches_tracked")}
    for name in sorted(wanted.keys() | given.keys()):
        if given.get(name) != wanted.get(name) and not (name in optional and name not in given):
            raise CheckpointError(
                f"{where} is not the published generator layout: tensor {name} has shape "
                f"{given.get(name, 'none (missing)')}, the layout needs {wanted.get(name, 'none')}"
            )
    model = MarioGAN(*arguments)
    model.load_state_dict({**model.state_dict(), **state}, strict=True)
    return model.eval()


def import_mariogan(path: str | Path, out: str | Path, index: str | Path | None = None) -> Path:
    """Convert a MarioGAN / MarioGAN-LSI generator ``.pth`` to this package's checkpoint ``out``.

    Args:
        path: the state dict file (``torch.save(netG.state_dict(), path)``).
        out: checkpoint path without suffix.
        index: the project's ``index2str.json`` (default: MarioGAN-LSI's 17 tiles).

    Returns:
        The weights path written (``out.safetensors``, beside ``out.json``).
    """
    tiles = read_tile_index(index) if index is not None else None
    model = mariogan_from_state_dict(load_mariogan_state_dict(path), tiles, str(path))
    config: dict[str, Any] = {
        "imported_from": Path(path).name,
        "tile_index": str(index) if index else "MarioGAN-LSI",
    }
    return save_gan_checkpoint(model, out, config=config)
