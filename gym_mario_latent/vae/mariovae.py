"""MarioVAE's checkpoint files: the blog's ``VAEMario`` state dicts (``models/example.pt``) read safely
and converted to our safetensors checkpoints.

MarioVAE saves ``torch.save(vae.state_dict(), path)``: tensors named after its layers ``encoder``,
``enc_mu``, ``enc_var`` (the log-variance head) and ``decoder``, with the same MLP widths, tile
alphabet and one-hot layout as :class:`~gym_mario_latent.vae.model.MarioVAE`; only the two heads are
named differently (``enc_mu.0`` → ``enc_mu``, ``enc_var.0`` → ``enc_log_var``).
"""

from __future__ import annotations

import pickle
import re
import warnings
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import torch

from gym_mario_latent.errors import CheckpointError
from gym_mario_latent.levels import N_TILES, VAE_TILES
from gym_mario_latent.vae.checkpoint import check_weights, save_checkpoint
from gym_mario_latent.vae.data import WINDOW
from gym_mario_latent.vae.model import MarioVAE

#: MarioVAE's name prefix → ours, for the layers whose names differ.
RENAMED_PREFIXES = {"enc_mu.0.": "enc_mu.", "enc_var.0.": "enc_log_var."}
#: The largest latent size imported (MarioVAE's example has 2, MarioGAN's latent 32).
MAX_Z_DIM = 1024
#: Bytes a torch file may hold besides tensor data: its pickle (KBs for a state dict), version, byte order.
MAX_OTHER_RECORD_BYTES = 1 << 20
_CELLS = WINDOW * WINDOW


def _our_name(name: str) -> str:
    for theirs, ours in RENAMED_PREFIXES.items():
        if name.startswith(theirs):
            return ours + name.removeprefix(theirs)
    return name


def _largest_state_dict_bytes() -> int:
    """The tensor data of a MarioVAE of :data:`MAX_Z_DIM` latents in float64, the widest real dtype."""
    with torch.device("meta"):
        largest = MarioVAE(z_dim=MAX_Z_DIM)  # shapes without memory
    return sum(tensor.numel() for tensor in largest.state_dict().values()) * torch.float64.itemsize


def _check_size(path: Path) -> None:
    """Refuses a file holding more than a MarioVAE state dict can, before torch reads any of it.

    torch.load allocates the size a torch zip's directory lists for each record, however small the
    record is compressed, so the directory is checked as well as the file's size (which bounds torch's
    legacy format, read as stored).
    """
    most = _largest_state_dict_bytes()
    limit = f"a MarioVAE state dict of z_dim up to {MAX_Z_DIM} holds at most {most} bytes of it (float64)"
    size = path.stat().st_size
    if size > most + MAX_OTHER_RECORD_BYTES:
        raise CheckpointError(f"{path} is {size} bytes, more than a MarioVAE state dict: {limit}")
    if not zipfile.is_zipfile(path):
        return
    try:
        with zipfile.ZipFile(path) as archive:
            records = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise CheckpointError(f"{path} is not a torch checkpoint (a broken zip: {error})") from None
    tensor_bytes = other_bytes = 0
    for record in records:
        if re.fullmatch(r"[^/]+/data/[0-9]+", record.filename):  # what torch.save names tensor data
            tensor_bytes += record.file_size
            if tensor_bytes > most:
                raise CheckpointError(
                    f"{path}: record {record.filename} holds {record.file_size} bytes of tensor data "
                    f"({tensor_bytes} with the records before it), but {limit}"
                )
        else:
            other_bytes += record.file_size
            if other_bytes > MAX_OTHER_RECORD_BYTES:
                raise CheckpointError(
                    f"{path} holds {other_bytes} bytes in records other than tensor data (data/N), up to "
                    f"{record.filename}; a state dict's pickle and version records need at most "
                    f"{MAX_OTHER_RECORD_BYTES}"
                )


def _read_state_dict(path: Path) -> Mapping[str, Any]:
    """``torch.load(path, weights_only=True)`` on the CPU, with our errors, once its size is checked."""
    if not path.is_file():
        raise CheckpointError(f"MarioVAE checkpoint {path} does not exist")
    _check_size(path)
    try:
        with warnings.catch_warnings():  # sparse tensors are refused once loaded: their check is no news
            warnings.filterwarnings("ignore", "Validating sparse tensor invariants", UserWarning)
            state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # torch.load raises many kinds of error on a file that is not its own
        if isinstance(error, pickle.UnpicklingError) and "Unsupported global" in str(error):
            global_name = str(error).split("GLOBAL ", 1)[-1].split(" ", 1)[0]
            raise CheckpointError(
                f"{path} holds a pickled object ({global_name}), which weights-only loading refuses "
                f"to unpickle (a whole pickled model?); save the weights alone in MarioVAE with "
                f"torch.save(vae.state_dict(), path)"
            ) from None
        raise CheckpointError(f"{path} is not a torch checkpoint ({type(error).__name__})") from None
    if not isinstance(state, Mapping) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise CheckpointError(f"{path} is not a state dict (a mapping of names to tensors)")
    for key in state:
        if not isinstance(key, str):
            raise CheckpointError(f"{path} holds a key {key!r}, not a tensor name (a string)")
    return state


def _z_dim(state: Mapping[str, torch.Tensor], path: Path) -> int:
    """The latent size, read from the mean head; checks the input size is 11 tiles × 14 × 14."""
    try:
        mean_weight, first_weight = state["enc_mu.0.weight"], state["encoder.0.weight"]
    except KeyError as error:
        names = ", ".join(sorted(state)[:8]) or "none"
        raise CheckpointError(
            f"{path} is not a MarioVAE VAEMario state dict: no {error.args[0]!r} (tensors: {names})"
        ) from None
    for name, weight in (("encoder.0.weight", first_weight), ("enc_mu.0.weight", mean_weight)):
        if weight.dim() != 2:
            raise CheckpointError(
                f"{path}: tensor {name} has shape {tuple(weight.shape)}, not a layer's 2-D weight"
            )
    inputs = first_weight.shape[-1]
    if inputs != N_TILES * _CELLS:
        tiles = f"{inputs // _CELLS} tile kinds" if inputs % _CELLS == 0 else f"{inputs} inputs"
        raise CheckpointError(
            f"{path} was trained on {tiles}, not the {N_TILES} tiles ({' '.join(VAE_TILES)}) of "
            f"{WINDOW}x{WINDOW} segments ({N_TILES * _CELLS} inputs) that this package reads"
        )
    z_dim = int(mean_weight.shape[0])
    if not 1 <= z_dim <= MAX_Z_DIM:
        raise CheckpointError(f"{path} has z_dim {z_dim}: a MarioVAE has 1 to {MAX_Z_DIM} latents")
    return z_dim


def load_mariovae_state_dict(path: str | Path) -> MarioVAE:
    """A MarioVAE ``VAEMario`` state dict file (``.pt``) as a :class:`MarioVAE` in eval mode.

    The file is read with ``torch.load(..., weights_only=True)``: only tensors and plain containers
    are unpickled, never arbitrary objects, so an untrusted file cannot run code.

    Raises:
        CheckpointError: the file is missing, not a torch file, holds pickled objects, or its tensors
            do not fit the model (names, shapes, z_dim, the 11-tile alphabet, finite real weights), the
            problem named.
    """
    path = Path(path)
    state = _read_state_dict(path)
    check_weights(state, path)
    model = MarioVAE(z_dim=_z_dim(state, path))
    ours = {_our_name(name): tensor for name, tensor in state.items()}
    expected = model.state_dict()
    missing, unexpected = sorted(expected.keys() - ours.keys()), sorted(ours.keys() - expected.keys())
    if missing or unexpected:
        raise CheckpointError(
            f"{path} does not have MarioVAE's layers: missing {missing or 'nothing'}, "
            f"unexpected {unexpected or 'nothing'}"
        )
    for name, tensor in expected.items():
        if ours[name].shape != tensor.shape:
            raise CheckpointError(
                f"{path}: tensor {name} has shape {tuple(ours[name].shape)}, expected {tuple(tensor.shape)} "
                f"(z_dim {model.z_dim})"
            )
    model.load_state_dict({name: tensor.float() for name, tensor in ours.items()}, strict=True)
    return model.eval()


def import_mariovae(path: str | Path, out: str | Path) -> Path:
    """Converts a MarioVAE ``.pt`` state dict to our checkpoint ``out`` (``out.safetensors`` + ``.json``).

    Returns:
        The path of the weights written.

    Raises:
        CheckpointError: as :func:`load_mariovae_state_dict`.
    """
    model = load_mariovae_state_dict(path)
    config = {"imported_from": str(Path(path).resolve()), "source": "MarioVAE VAEMario state dict"}
    return save_checkpoint(model, out, config=config)
