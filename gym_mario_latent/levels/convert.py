"""Conversions between the forms a level takes: text rows, tile-id arrays, one-hot arrays/tensors,
the Mario AI Framework's level text and MarioVAE's int-list string.

A level is a 2-D grid (rows × columns, any size); a batch adds leading axes. Tile ids follow
:data:`~gym_mario_latent.levels.alphabet.VAE_TILES`. One-hot levels put the tile axis third from
last: ``(..., N_TILES, rows, columns)``, as MarioVAE does. Functions given a ``torch.Tensor``
return a tensor; given anything else they return a NumPy array.
"""

import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from gym_mario_latent.errors import LevelFormatError
from gym_mario_latent.levels.alphabet import (
    GENERATOR_ALPHABETS,
    MARIO_AI_TO_VAE,
    N_TILES,
    PIPE_TILES,
    TILE_IDS,
    VAE_TILES,
    VAE_TO_MARIO_AI,
)

_VAE_CHARS = np.array(list(VAE_TILES))
_MARIO_AI_CHARS = np.array([VAE_TO_MARIO_AI[char] for char in VAE_TILES])


def _position(index: Sequence[int]) -> str:
    """'level 3, row 2, column 5' for an index into a level or a batch of levels."""
    *batch, row, column = (int(i) for i in index)
    where = f"row {row}, column {column}"
    if batch:
        where = f"level {batch[0] if len(batch) == 1 else tuple(batch)}, {where}"
    return where


def _is_tensor(value: Any) -> bool:
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(value, torch.Tensor)


def refuse_distribution(value: Any) -> None:
    """Raises a clear error for a ``torch.distributions`` object (what ``MarioVAE.decode`` returns)
    passed where a level is expected.

    Raises:
        LevelFormatError: `value` is a distribution; the message says how to get tile ids from it.
    """
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(value, torch.distributions.Distribution):
        raise LevelFormatError(
            f"expected a level, got a {type(value).__name__} distribution (what the VAE's decode "
            "returns): call `.probs.argmax(-1)` on it for the most likely tile ids"
        )


def level_rows(level: str | Sequence[str]) -> list[str]:
    """Split level text into rows (newline-separated or already a list), checking it is rectangular.

    Raises:
        LevelFormatError: empty level, or a row whose length differs from the first row's.
    """
    rows = level.splitlines() if isinstance(level, str) else [str(row) for row in level]
    while rows and rows[-1] == "":
        rows.pop()
    if not rows or not rows[0]:
        raise LevelFormatError("empty level: expected rows of tile characters")
    for row_index, row in enumerate(rows):
        if len(row) != len(rows[0]):
            raise LevelFormatError(
                f"ragged level: row {row_index} has {len(row)} columns, row 0 has {len(rows[0])}"
            )
    return rows


def check_rows(level: str | Sequence[str], characters: Iterable[str], what: str = "tile") -> list[str]:
    """:func:`level_rows`, also checking that every character is one of `characters`.

    Args:
        level: level text, or its rows.
        characters: the characters allowed (a string, or a mapping whose keys they are).
        what: what a character is called in the message ("tile", "Mario AI tile").

    Raises:
        LevelFormatError: as level_rows, or "unknown {what}" naming the first stray character's position.
    """
    allowed = set(characters)
    rows = level_rows(level)
    for row_index, row in enumerate(rows):
        if set(row) <= allowed:
            continue
        column, char = next((column, char) for column, char in enumerate(row) if char not in allowed)
        raise LevelFormatError(
            f"unknown {what} {char!r} at row {row_index}, column {column}: "
            f"expected one of {''.join(characters)}"
        )
    return rows


def text_to_ids(level: str | Sequence[str]) -> np.ndarray:
    """VGLC/VAE level text → tile ids, shape (rows, columns), int64. ``B``/``b`` read as ``X``, the
    simulator's marks ``M`` and ``F`` as ``-``.

    Raises:
        LevelFormatError: ragged rows, or a character outside the alphabet (its position named).
    """
    rows = check_rows(level, TILE_IDS, "tile")
    return np.array([[TILE_IDS[char] for char in row] for row in rows], dtype=np.int64)


def check_ids(ids: Any, ndim: int | None = None, n_tiles: int = N_TILES) -> np.ndarray:
    """Tile ids (array, tensor or nested lists) as an int64 NumPy array, after checking them.

    Args:
        ids: a level (rows, columns) or a batch of levels (..., rows, columns).
        ndim: the exact number of axes required, if any.
        n_tiles: the size of the alphabet the ids index (default: the VAE's).

    Raises:
        LevelFormatError: wrong number of axes, non-integer values, or an id outside 0..n_tiles-1.
    """
    refuse_distribution(ids)
    if _is_tensor(ids):
        ids = ids.detach().cpu().numpy()
    array = np.asarray(ids)
    if array.ndim < 2 or (ndim is not None and array.ndim != ndim):
        wanted = f"{ndim} axes" if ndim is not None else "at least 2 axes (rows, columns)"
        raise LevelFormatError(f"tile ids need {wanted}; got shape {array.shape}")
    if array.size == 0:
        raise LevelFormatError(f"empty level: tile ids of shape {array.shape}")
    if not np.issubdtype(array.dtype, np.integer):
        if not np.issubdtype(array.dtype, np.floating):
            raise LevelFormatError(f"tile ids must be integers; got dtype {array.dtype}")
        fractional = np.argwhere(array != np.round(array))
        if len(fractional):
            index = tuple(fractional[0])
            raise LevelFormatError(f"tile id {array[index]} at {_position(index)} is not an integer")
    outside = np.argwhere((array < 0) | (array >= n_tiles))
    if len(outside):
        index = tuple(outside[0])
        raise LevelFormatError(f"tile id {array[index]} at {_position(index)} is outside 0..{n_tiles - 1}")
    return array.astype(np.int64, copy=False)


def ids_to_rows(ids: Any) -> list[str]:
    """Tile ids of one level → its rows of VAE characters."""
    chars = _VAE_CHARS[check_ids(ids, ndim=2)]
    return ["".join(row) for row in chars]


def ids_to_text(ids: Any) -> str:
    """Tile ids of one level → VAE level text (rows joined by newlines, no trailing newline)."""
    return "\n".join(ids_to_rows(ids))


def ids_to_mario_ai_text(ids: Any) -> str:
    """Tile ids of one level → level text in the Mario AI Framework's alphabet.

    Uses :data:`~gym_mario_latent.levels.alphabet.VAE_TO_MARIO_AI` (pipes become ``t``).
    """
    chars = _MARIO_AI_CHARS[check_ids(ids, ndim=2)]
    return "\n".join("".join(row) for row in chars)


def mario_ai_text_to_ids(level: str | Sequence[str]) -> np.ndarray:
    """Level text in the Mario AI Framework's alphabet → VAE tile ids (rows, columns).

    Enemies become ``E``, block variants their nearest VAE block, markers (``M``, ``F``) and
    invisible blocks empty space; ``t``/``T`` pipe pieces are placed from their neighbours (top
    when the tile above is no ``t``/``T``; left/right alternating along a horizontal run).

    Raises:
        LevelFormatError: ragged rows, or a character outside the alphabet (its position named).
    """
    rows = check_rows(level, MARIO_AI_TO_VAE, "Mario AI tile")
    ids = np.empty((len(rows), len(rows[0])), dtype=np.int64)
    for row_index, row in enumerate(rows):
        run = 0
        for column, char in enumerate(row):
            vae = MARIO_AI_TO_VAE[char]
            if vae == PIPE_TILES:
                on_top = row_index == 0 or MARIO_AI_TO_VAE[rows[row_index - 1][column]] != vae
                vae = PIPE_TILES[(0 if on_top else 2) + run % 2]
                run += 1
            else:
                run = 0
            ids[row_index, column] = TILE_IDS[vae]
    return ids


def _generator_tiles(alphabet: str) -> str:
    if alphabet not in GENERATOR_ALPHABETS:
        raise ValueError(f"unknown alphabet {alphabet!r}: expected one of {tuple(GENERATOR_ALPHABETS)}")
    return GENERATOR_ALPHABETS[alphabet]


def alphabet_ids_to_text(ids: Any, alphabet: str) -> str:
    """Tile ids of one level in a generator alphabet (see
    :data:`~gym_mario_latent.levels.alphabet.GENERATOR_ALPHABETS`) → level text in that alphabet,
    which the simulator reads with the same alphabet name.

    Raises:
        ValueError: an unknown alphabet. LevelFormatError: ids that are not a level of that alphabet.
    """
    tiles = _generator_tiles(alphabet)
    chars = np.array(list(tiles))[check_ids(ids, ndim=2, n_tiles=len(tiles))]
    return "\n".join("".join(row) for row in chars)


def alphabet_ids_to_vae_ids(ids: Any, alphabet: str) -> np.ndarray:
    """Tile ids of one level in a generator alphabet → VAE tile ids (Mario AI tiles read as the
    VAE tile nearest them: see :func:`mario_ai_text_to_ids`)."""
    if alphabet == "vglc":
        return check_ids(ids, ndim=2)
    return mario_ai_text_to_ids(alphabet_ids_to_text(ids, alphabet))


def ids_to_onehot(ids: Any) -> Any:
    """Tile ids (..., rows, columns) → one-hot (..., N_TILES, rows, columns) float32.

    A tensor in gives a tensor out (same device); anything else gives a NumPy array.
    """
    if _is_tensor(ids):
        import torch

        check_ids(ids)
        onehot = torch.nn.functional.one_hot(ids.long(), N_TILES)
        return onehot.movedim(-1, -3).to(torch.float32)
    onehot = np.eye(N_TILES, dtype=np.float32)[check_ids(ids)]
    return np.moveaxis(onehot, -1, -3)


def onehot_to_ids(onehot: Any) -> Any:
    """One-hot levels or per-tile scores (..., N_TILES, rows, columns) → tile ids by argmax.

    Raises:
        LevelFormatError: fewer than 3 axes, or an axis -3 of a size other than N_TILES.
    """
    refuse_distribution(onehot)
    shape = tuple(onehot.shape) if hasattr(onehot, "shape") else np.shape(onehot)
    if len(shape) < 3 or shape[-3] != N_TILES:
        raise LevelFormatError(f"one-hot levels need shape (..., {N_TILES}, rows, columns); got {shape}")
    if _is_tensor(onehot):
        return onehot.argmax(dim=-3)
    return np.asarray(onehot).argmax(axis=-3).astype(np.int64)


def ids_to_int_list_string(ids: Any) -> str:
    """Tile ids of one level → MarioVAE's int-list string, e.g. ``[[2, 2], [0, 0]]``."""
    return json.dumps(check_ids(ids, ndim=2).tolist())


def int_list_string_to_ids(text: str) -> np.ndarray:
    """MarioVAE's int-list string (a Python/JSON list of int rows; ``2.0`` accepted) → tile ids.

    Raises:
        LevelFormatError: not a list of equal-length lists of tile ids (the problem named).
    """
    try:
        rows = json.loads(text)
    except json.JSONDecodeError as error:
        raise LevelFormatError(f"not an int-list level: {error}") from None
    except RecursionError:
        raise LevelFormatError("not an int-list level: lists nested deeper than Python parses") from None
    if not isinstance(rows, list) or not rows or not all(isinstance(row, list) for row in rows):
        raise LevelFormatError("an int-list level must be a non-empty list of lists of tile ids")
    for row_index, row in enumerate(rows):
        if len(row) != len(rows[0]):
            raise LevelFormatError(
                f"ragged level: row {row_index} has {len(row)} columns, row 0 has {len(rows[0])}"
            )
        for column, value in enumerate(row):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise LevelFormatError(
                    f"tile id {value!r} at row {row_index}, column {column} is not a number"
                )
    return check_ids(np.array(rows), ndim=2)
