"""Level generators: anything that turns a batch of latents into a batch of levels.

A :class:`Generator` has a latent size ``z_dim``, the level ``shape`` it makes (rows, columns), the
``alphabet`` its tile ids are in (``"vglc"``: the VAE tile ids of :mod:`gym_mario_latent.levels`;
``"mario-ai"``: the Mario AI Framework's characters, see
:data:`~gym_mario_latent.levels.GENERATOR_ALPHABETS`) and ``generate(z)``, which takes a NumPy
array (n, z_dim) and returns int64 tile ids (n, rows, columns). The package's models are
generators as they are (:class:`~gym_mario_latent.vae.MarioVAE`,
:class:`~gym_mario_latent.gan.MarioGAN`); wrap your own function or torch module:

>>> import numpy as np
>>> from gym_mario_latent.latent import FunctionGenerator, Generator, ModuleGenerator
>>> def flat_ground(z):  # (n, 8) -> (n, 14, 28) VAE tile ids: sky, and ground where z[:, 0] > -1
...     levels = np.full((len(z), 14, 28), 2)  # 2 is "-", empty
...     levels[:, -2:, :] = np.where(z[:, :1] > -1, 0, 2)[:, :, None]  # 0 is "X", ground
...     return levels
>>> flat = FunctionGenerator(flat_ground, z_dim=8, shape=(14, 28))
>>> isinstance(flat, Generator), flat.generate(np.zeros((3, 8))).shape
(True, (3, 14, 28))
>>> # a torch module mapping (n, z_dim) to tile scores (n, tiles, rows, columns) or ids (n, rows, columns):
>>> # ModuleGenerator(my_module, z_dim=32, shape=(14, 28)).generate(z)
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from gym_mario_latent.errors import LevelFormatError
from gym_mario_latent.levels import GENERATOR_ALPHABETS, alphabet_ids_to_vae_ids, check_ids

if TYPE_CHECKING:
    import torch

    from gym_mario_latent.vae import MarioVAE

#: The shipped generators by name (``generator="gan"``): the model family and its shipped checkpoint.
SHIPPED_GENERATORS = {
    "vae": ("vae", "pretrained"),
    "vae-32": ("vae", "pretrained-32"),
    "gan": ("gan", "pretrained"),
}


@runtime_checkable
class Generator(Protocol):
    """Latents (n, z_dim) → levels (n, rows, columns) of tile ids in ``alphabet``."""

    @property
    def z_dim(self) -> int:
        """Latent size."""
        ...

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns) of every level made."""
        ...

    @property
    def alphabet(self) -> str:
        """``"vglc"`` or ``"mario-ai"``: what the ids stand for."""
        ...

    def generate(self, z: np.ndarray) -> np.ndarray:
        """Tile ids (n, rows, columns), int64, for latents (n, z_dim)."""
        ...


def check_latents(z: Any, z_dim: int) -> np.ndarray:
    """Latents as a float32 NumPy array (n, z_dim), or a ``ValueError`` naming the wrong shape."""
    z = np.asarray(z, dtype=np.float32)
    if z.ndim != 2 or z.shape[1] != z_dim:
        raise ValueError(f"expected latents of shape (n, {z_dim}); got {z.shape}")
    return z


def check_generated(levels: Any, generator: Generator, n: int) -> np.ndarray:
    """``levels`` as int64 ids after checking they are ``n`` levels of ``generator``'s shape and
    alphabet; a ``LevelFormatError`` names what is wrong."""
    ids = check_ids(levels, ndim=3, n_tiles=len(GENERATOR_ALPHABETS[generator.alphabet]))
    if ids.shape != (n, *generator.shape):
        raise LevelFormatError(
            f"the generator made levels of shape {ids.shape}; it promised {(n, *generator.shape)}"
        )
    return ids


def load_generator(
    generator: Generator | str | Path | None = None,
    checkpoint: str | Path | MarioVAE | None = None,
    device: str | torch.device = "cpu",
) -> Generator:
    """The generator named by the latent envs' and the evaluator's ``generator=`` / ``checkpoint=``.

    Args:
        generator: a :class:`Generator` (a model, a :class:`FunctionGenerator`, your own object), a shipped
            name (``"vae"``: the 2-d VAE, ``"vae-32"``, ``"gan"``: the 32-d DCGAN; see
            :data:`SHIPPED_GENERATORS`, or a shipped VAE's checkpoint name), or a checkpoint path: a GAN's
            (``gan train`` / ``gan import``) or a VAE's (see :func:`generator_checkpoint`).
        checkpoint: the VAE shortcut: a shipped VAE name (``"pretrained"``, ``"pretrained-32"``), a VAE
            checkpoint path or a :class:`~gym_mario_latent.vae.MarioVAE`. Neither given: the 2-d VAE.
        device: where a model loaded here runs.

    Raises:
        ValueError: both ``generator`` and ``checkpoint`` given. TypeError: a ``generator`` that is none of
            the above, or an object that misses part of the protocol (named).
        CheckpointError: a name or path that is no checkpoint.
    """
    if generator is not None and checkpoint is not None:
        raise ValueError("give generator= or checkpoint= (the VAE shortcut), not both")
    if generator is None:
        from gym_mario_latent.vae import load_vae

        return load_vae(checkpoint, device=device).eval()
    if isinstance(generator, str | Path):
        family, path = generator_checkpoint(generator)
        if family == "vae":
            from gym_mario_latent.vae import load_vae

            return load_vae(path, device=device).eval()
        from gym_mario_latent.gan import load_gan

        return load_gan(path, device=device).eval()
    missing = [name for name in ("z_dim", "shape", "alphabet", "generate") if not hasattr(generator, name)]
    if missing:
        raise TypeError(
            f"generator {generator!r} is not a Generator: it has no {', '.join(missing)} (expected a shipped "
            f"name {tuple(SHIPPED_GENERATORS)}, a GAN checkpoint path, or an object with z_dim, shape, "
            "alphabet and generate(z); see gym_mario_latent.latent.generators)"
        )
    _check_promises(generator.z_dim, generator.shape, generator.alphabet)
    return generator


def generator_checkpoint(name: str | Path) -> tuple[str, Path]:
    """The model family (``"vae"`` or ``"gan"``) and checkpoint path of a generator named by a string: a
    shipped name (:data:`SHIPPED_GENERATORS`, or a shipped VAE's checkpoint name such as ``"pretrained-32"``)
    or a checkpoint path (a VAE's if its metadata says so, else read as a GAN's).

    Raises:
        CheckpointError: a bare name that is no shipped model and no checkpoint.
    """
    from gym_mario_latent.errors import CheckpointError
    from gym_mario_latent.gan import resolve_gan_checkpoint
    from gym_mario_latent.vae import PRETRAINED, read_metadata, resolve_checkpoint

    if isinstance(name, str) and name in SHIPPED_GENERATORS:
        family, shipped = SHIPPED_GENERATORS[name]
        return family, (resolve_checkpoint if family == "vae" else resolve_gan_checkpoint)(shipped)
    if isinstance(name, str) and name in PRETRAINED:
        return "vae", resolve_checkpoint(name)
    try:
        read_metadata(name)  # a VAE checkpoint's metadata, or CheckpointError
    except CheckpointError:
        return "gan", resolve_gan_checkpoint(name)
    return "vae", resolve_checkpoint(name)


def checkpoint_weights_sha256(name: str | Path) -> str:
    """The SHA-256 of the weights of the generator checkpoint named as :func:`generator_checkpoint` takes
    (from its metadata, which loading checks against the weights)."""
    from gym_mario_latent.gan.checkpoint import FORMAT as GAN_FORMAT
    from gym_mario_latent.vae import read_metadata
    from gym_mario_latent.vae.checkpoint import FORMAT as VAE_FORMAT

    family, path = generator_checkpoint(name)
    return read_metadata(path, format=VAE_FORMAT if family == "vae" else GAN_FORMAT)["weights_sha256"]


def generate_scenes(generator: Generator, z: np.ndarray, scene_segments: int = 1) -> np.ndarray:
    """Scenes (n, rows, k × columns), tile ids of the generator's alphabet, of latents (n, k × z_dim):
    each latent's k blocks decoded in one call of ``generator`` and joined left to right (k =
    ``scene_segments``); :func:`vae_ids` converts them to VAE tile ids."""
    z = np.ascontiguousarray(z, dtype=np.float32)
    flat = z.reshape(len(z) * scene_segments, -1)
    return join_segments(generator.generate(flat), generator, len(z), scene_segments)


def join_segments(levels: Any, generator: Generator, n: int, scene_segments: int) -> np.ndarray:
    """``n * k`` segments of ``generator`` (checked, see :func:`check_generated`) as ``n`` scenes in its
    alphabet, every k consecutive segments side by side (k = ``scene_segments``)."""
    k, (rows, columns) = scene_segments, generator.shape
    levels = check_generated(levels, generator, n * k)
    return levels.reshape(n, k, rows, columns).transpose(0, 2, 1, 3).reshape(n, rows, k * columns)


def vae_ids(levels: np.ndarray, alphabet: str) -> np.ndarray:
    """A batch of levels (n, rows, columns) of a generator alphabet as VAE tile ids, converted by
    :func:`~gym_mario_latent.levels.alphabet_ids_to_vae_ids` (Mario AI tiles read as the VAE tile nearest
    them: every enemy a goomba, every solid block ground)."""
    if alphabet == "vglc":
        return levels
    return np.stack([alphabet_ids_to_vae_ids(level, alphabet) for level in levels])


def _check_promises(z_dim: Any, shape: Any, alphabet: Any) -> None:
    """Raises ``ValueError`` unless z_dim ≥ 1, shape is (rows, columns) ≥ 1 and alphabet is known."""
    good_shape = isinstance(shape, tuple | list) and len(shape) == 2
    good_shape = good_shape and all(isinstance(n, int | np.integer) and n >= 1 for n in shape)
    if isinstance(z_dim, bool) or not isinstance(z_dim, int | np.integer) or z_dim < 1 or not good_shape:
        raise ValueError(f"need z_dim ≥ 1 and a (rows, columns) shape; got z_dim {z_dim!r}, shape {shape!r}")
    if alphabet not in GENERATOR_ALPHABETS:
        raise ValueError(f"unknown alphabet {alphabet!r}: expected one of {tuple(GENERATOR_ALPHABETS)}")


class _Wrapped:
    """What the wrappers share: the promised z_dim, shape and alphabet, checked on the way in and out."""

    def __init__(self, z_dim: int, shape: tuple[int, int], alphabet: str) -> None:
        _check_promises(z_dim, shape, alphabet)
        self.z_dim, self.shape, self.alphabet = z_dim, (int(shape[0]), int(shape[1])), alphabet

    def _make(self, z: np.ndarray) -> Any:
        raise NotImplementedError

    def generate(self, z: np.ndarray) -> np.ndarray:
        """Tile ids (n, rows, columns), int64, for latents (n, z_dim)."""
        z = check_latents(z, self.z_dim)
        return check_generated(self._make(z), self, len(z))


class FunctionGenerator(_Wrapped):
    """A plain function ``fn(z) -> tile ids`` as a :class:`Generator`.

    Args:
        fn: takes float32 latents (n, z_dim), returns tile ids (n, rows, columns) (array-like).
        z_dim, shape: the latent size it takes and the level shape it makes (checked on each call).
        alphabet: what its ids stand for (``"vglc"``: VAE tile ids, or ``"mario-ai"``).
    """

    def __init__(
        self, fn: Callable[[np.ndarray], Any], z_dim: int, shape: tuple[int, int], alphabet: str = "vglc"
    ) -> None:
        super().__init__(z_dim, shape, alphabet)
        self.fn = fn

    def _make(self, z: np.ndarray) -> Any:
        return self.fn(z)


class ModuleGenerator(_Wrapped):
    """A torch module as a :class:`Generator`, run without gradients in eval mode.

    The module takes latents (n, z_dim) on its device and returns either tile scores
    (n, tiles, rows, columns), a floating tensor whose argmax over the tile axis is the level, or
    integer tile ids (n, rows, columns).
    """

    def __init__(self, module: Any, z_dim: int, shape: tuple[int, int], alphabet: str = "vglc") -> None:
        super().__init__(z_dim, shape, alphabet)
        self.module = module

    def _make(self, z: np.ndarray) -> Any:
        import torch

        parameter = next(self.module.parameters(), None)
        device = parameter.device if parameter is not None else "cpu"
        with torch.no_grad():
            out = self.module.eval()(torch.as_tensor(z, device=device))
        if out.is_floating_point():
            if out.dim() != 4:
                raise LevelFormatError(
                    f"a module's tile scores need shape (n, tiles, rows, columns); got {tuple(out.shape)}"
                )
            out = out.argmax(dim=1)
        return out.cpu().numpy()
