"""VAE checkpoints: weights in safetensors (no pickle) beside a JSON file of metadata.

A checkpoint ``NAME`` is the pair ``NAME.safetensors`` + ``NAME.json``. The JSON records what the
weights mean (tile alphabet, segment shape, z_dim, layer widths), how they were trained (config)
and how well (metrics), plus the SHA-256 of the weights file; loading refuses any mismatch.
"""

import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import safetensors.torch
import torch

from gym_mario_latent.errors import CheckpointError
from gym_mario_latent.files import check_file_format, check_output_file, output_file
from gym_mario_latent.levels import VAE_TILES
from gym_mario_latent.vae.model import DECODER_WIDTHS, ENCODER_WIDTHS, MarioVAE

FORMAT = "gym-mario-latent/mario-vae"
FORMAT_VERSION = 1


def checkpoint_paths(path: str | Path) -> tuple[Path, Path]:
    """(weights, metadata) paths of a checkpoint given as NAME, NAME.safetensors or NAME.json."""
    path = Path(path)
    if path.suffix in (".safetensors", ".json"):
        path = path.with_suffix("")
    return path.with_name(path.name + ".safetensors"), path.with_name(path.name + ".json")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def model_description(model: MarioVAE) -> dict[str, Any]:
    """What a set of weights means: the fields a checkpoint must match to be loaded."""
    return {
        "alphabet": VAE_TILES,
        "shape": [model.height, model.width],
        "z_dim": model.z_dim,
        "encoder_widths": list(ENCODER_WIDTHS),
        "decoder_widths": list(DECODER_WIDTHS),
        "activation": "tanh",
    }


def check_checkpoint_targets(path: str | Path) -> tuple[Path, Path]:
    """The checkpoint's (weights, metadata) paths, once both are checked writable (new paths or regular
    files): call it before hours of training, not after.

    Raises:
        OutputFileError: either path is a folder, a device or another file that is no regular file.
    """
    paths = checkpoint_paths(path)
    for target in paths:
        check_output_file(target)
    return paths


def write_checkpoint(
    model: torch.nn.Module,
    path: str | Path,
    format: str,
    description: dict[str, Any],
    config: dict[str, Any] | None = None,
    metrics: dict[str, Any] | None = None,
) -> Path:
    """Write ``model``'s state dict as safetensors and, as the JSON metadata, its ``description`` (what the
    weights mean), the training ``config`` and ``metrics``, the format, its version and the weights' hash;
    each file in one step (a failed write leaves both as they were). Returns the weights path. Shared by
    every model family.

    Raises:
        OutputFileError: either path is a folder, a device or another file that is no regular file
            (checked before writing either), or a write failed (a full disk).
    """
    weights_path, metadata_path = check_checkpoint_targets(path)
    tensors = {name: value.detach().cpu().contiguous() for name, value in model.state_dict().items()}
    weights = safetensors.torch.save(tensors, metadata={"format": format})
    metadata = {
        "format": format,
        "format_version": FORMAT_VERSION,
        **description,
        "config": config or {},
        "metrics": metrics or {},
        "weights_sha256": hashlib.sha256(weights).hexdigest(),
    }
    # both temporary files are written before either target is replaced
    with output_file(weights_path) as weights_file, output_file(metadata_path) as metadata_file:
        weights_file.write_bytes(weights)
        metadata_file.write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    return weights_path


def save_checkpoint(
    model: MarioVAE,
    path: str | Path,
    config: dict[str, Any] | None = None,
    metrics: dict[str, Any] | None = None,
) -> Path:
    """Write ``model``'s weights and metadata (see :func:`write_checkpoint`); returns the weights path."""
    return write_checkpoint(model, path, FORMAT, model_description(model), config, metrics)


def read_metadata(path: str | Path, format: str = FORMAT) -> dict[str, Any]:
    """The JSON metadata of a checkpoint (of the model family named by ``format``: a MarioVAE's by
    default).

    Raises:
        CheckpointError: the file is missing or unreadable (a folder, say), not UTF-8 JSON, nested
            deeper than Python parses, or not a checkpoint of that format.
    """
    _, metadata_path = checkpoint_paths(path)
    try:
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CheckpointError(f"checkpoint metadata {metadata_path} does not exist") from None
    except OSError as error:
        raise CheckpointError(f"cannot read checkpoint metadata {metadata_path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise CheckpointError(
            f"checkpoint metadata {metadata_path} is not JSON text: it is not UTF-8"
        ) from None
    except json.JSONDecodeError as error:
        raise CheckpointError(f"checkpoint metadata {metadata_path} is not JSON: {error}") from None
    except RecursionError:
        raise CheckpointError(f"checkpoint metadata {metadata_path} is nested too deeply to be one") from None
    what = f"a {format} checkpoint"
    return check_file_format(
        metadata, metadata_path, format=format, version=FORMAT_VERSION, what=what, error=CheckpointError
    )


def load_checkpoint(
    path: str | Path, z_dim: int | None = None, device: str | torch.device = "cpu"
) -> MarioVAE:
    """Load a checkpoint into a new :class:`MarioVAE` in eval mode.

    Everything is checked before the model is built: the metadata, the weights hash, and the tensor
    names and shapes in the safetensors header against a shape-only (meta device) model.

    Args:
        path: NAME, NAME.safetensors or NAME.json.
        z_dim: the latent size the caller expects (checked), or None to take the checkpoint's.
        device: where to put the model.

    Raises:
        CheckpointError: files missing or corrupt, or metadata that does not match the model
            (alphabet, shape, layer widths, z_dim, weights hash, tensor names or shapes).
    """
    _, metadata_path = checkpoint_paths(path)
    metadata = read_metadata(path)
    stored_z_dim = metadata.get("z_dim")
    if isinstance(stored_z_dim, bool) or not isinstance(stored_z_dim, int) or stored_z_dim < 1:
        raise CheckpointError(f"{metadata_path} does not describe a MarioVAE: z_dim {stored_z_dim!r}")
    if z_dim is not None and stored_z_dim != z_dim:
        raise CheckpointError(f"{metadata_path} holds a model with z_dim {stored_z_dim}, not {z_dim}")
    with torch.device("meta"):
        blueprint = MarioVAE(z_dim=stored_z_dim)  # shapes without memory
    expected = model_description(blueprint)
    for key, value in expected.items():
        if metadata.get(key) != value:
            raise CheckpointError(
                f"{metadata_path} does not match this MarioVAE: {key} is {metadata.get(key)!r}, "
                f"expected {value!r}"
            )
    model = load_weights(lambda: MarioVAE(z_dim=stored_z_dim), path, metadata, blueprint)
    return model.to(device).eval()


def load_weights(
    build: Callable[[], torch.nn.Module],
    path: str | Path,
    metadata: dict[str, Any],
    blueprint: torch.nn.Module,
) -> torch.nn.Module:
    """A model made by ``build()`` holding a checkpoint's weights. The weights are first checked
    against the metadata's hash and the tensor names and shapes of ``blueprint`` (a shape-only model
    of the same layout); only then is the model built, so a wrong size allocates nothing.

    Raises:
        CheckpointError: the weights are missing, corrupt, or not those the metadata describes.
    """
    weights_path, metadata_path = checkpoint_paths(path)
    if not weights_path.is_file():
        raise CheckpointError(f"checkpoint weights {weights_path} do not exist")
    if _sha256(weights_path) != metadata.get("weights_sha256"):
        raise CheckpointError(f"{weights_path} does not match the hash in {metadata_path}")
    _check_tensor_shapes(weights_path, blueprint)
    try:
        tensors = safetensors.torch.load_file(weights_path)
    except (RuntimeError, OSError, safetensors.SafetensorError) as error:
        raise CheckpointError(f"cannot load weights from {weights_path}: {error}") from None
    counters = frozenset(
        name for name, value in blueprint.state_dict().items() if not value.is_floating_point()
    )
    check_weights(tensors, weights_path, counters)
    model = build()
    model.load_state_dict(tensors, strict=True)
    return model


def check_weights(
    tensors: Mapping[str, torch.Tensor], source: str | Path, counters: frozenset[str] = frozenset()
) -> None:
    """Raises ``CheckpointError`` naming the first tensor that is not dense real numbers in memory, all
    finite as float32 (the model's dtype): a NaN weight would decode every latent to the same level.
    The tensors named in ``counters`` are integer buffers (batch norm's ``num_batches_tracked``).
    """
    for name, tensor in tensors.items():
        if tensor.layout != torch.strided or tensor.is_meta:
            kind = "a meta tensor (no data)" if tensor.is_meta else f"a {tensor.layout} tensor"
            raise CheckpointError(f"{source}: tensor {name} is {kind}, not the dense weights a model needs")
        if name in counters and not tensor.is_floating_point() and not tensor.is_complex():
            continue
        if not tensor.is_floating_point():
            raise CheckpointError(
                f"{source}: tensor {name} is {str(tensor.dtype).removeprefix('torch.')}, not the real "
                f"floating-point weights a model needs"
            )
        # in float64, as every floating dtype converts to it (isfinite does not take the 8-bit ones)
        if not torch.isfinite(tensor.double()).all():
            raise CheckpointError(f"{source}: tensor {name} holds NaN or infinite values")
        if not torch.isfinite(tensor.float()).all():
            raise CheckpointError(f"{source}: tensor {name} holds values beyond float32's range")


def _check_tensor_shapes(weights_path: Path, blueprint: torch.nn.Module) -> None:
    """Raises ``CheckpointError`` unless the safetensors header lists `blueprint`'s tensors and shapes."""
    try:
        with safetensors.safe_open(weights_path, framework="pt") as weights:
            stored = {name: tuple(weights.get_slice(name).get_shape()) for name in weights.keys()}  # noqa: SIM118
    except (OSError, safetensors.SafetensorError) as error:
        raise CheckpointError(f"cannot read weights from {weights_path}: {error}") from None
    wanted = {name: tuple(tensor.shape) for name, tensor in blueprint.state_dict().items()}
    for name in sorted(stored.keys() | wanted.keys()):
        if stored.get(name) != wanted.get(name):
            raise CheckpointError(
                f"{weights_path} does not match the metadata: tensor {name} has shape "
                f"{stored.get(name, 'none (missing)')}, the model needs {wanted.get(name, 'none')}"
            )
