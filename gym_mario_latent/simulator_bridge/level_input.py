"""Turning the level forms users pass (tile ids, tensors, text, rows) into checked level rows.

Everything is checked here, before a level reaches Java: a bad level raises
:class:`~gym_mario_latent.errors.LevelFormatError` (a ``ValueError``) naming the problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from gym_mario_latent.errors import LevelFormatError
from gym_mario_latent.levels import (
    check_ids,
    ids_to_mario_ai_text,
    ids_to_rows,
    level_rows,
    mario_ai_text_to_ids,
    text_to_ids,
)

Alphabet = Literal["vglc", "mario-ai"]
ALPHABETS = ("vglc", "mario-ai")

# the simulator's size limits (simulator/io/LevelParser.java, PROTOCOL.md)
MAX_WIDTH = 4096
MAX_HEIGHT = 256
MAX_TILES = 256 * 1024


def is_text(level: Any) -> bool:
    """True for level text: a string, or a non-empty sequence of row strings."""
    if isinstance(level, str):
        return True
    return isinstance(level, Sequence) and len(level) > 0 and all(isinstance(row, str) for row in level)


def level_to_rows(level: Any, alphabet: Alphabet = "vglc") -> list[str]:
    """Checked rows of one level, in `alphabet`.

    Args:
        level: tile ids of the VAE alphabet (a 2-D array, tensor or nested lists, rows × columns),
            or level text (a string with newline-separated rows, or a list of row strings) in
            `alphabet`.
        alphabet: the alphabet of level text, and of the rows returned (``vglc`` or ``mario-ai``).

    Raises:
        LevelFormatError: wrong shape, empty, ragged, NaN or non-integer ids, unknown tiles, too large.
    """
    if alphabet not in ALPHABETS:
        raise ValueError(f"unknown alphabet {alphabet!r}: expected one of {ALPHABETS}")
    if is_text(level):
        rows = level_rows(level)
        (text_to_ids if alphabet == "vglc" else mario_ai_text_to_ids)(rows)
    else:
        ids = check_ids(level, ndim=2)
        rows = ids_to_rows(ids) if alphabet == "vglc" else ids_to_mario_ai_text(ids).split("\n")
    height, width = len(rows), len(rows[0])
    if width > MAX_WIDTH or height > MAX_HEIGHT or width * height > MAX_TILES:
        raise LevelFormatError(
            f"level of {width} columns × {height} rows is too large for the simulator "
            f"(at most {MAX_WIDTH} columns, {MAX_HEIGHT} rows, {MAX_TILES} tiles)"
        )
    return rows


def batch_to_levels(levels: Any) -> list[Any]:
    """The levels of a batch: a 3-D array/tensor (batch, rows, columns) or any iterable of levels."""
    if isinstance(levels, str):
        raise LevelFormatError("expected a batch of levels, got one string: wrap it in a list")
    if hasattr(levels, "ndim") and levels.ndim != 3:
        shape = tuple(levels.shape)
        raise LevelFormatError(f"a batch of tile ids needs shape (batch, rows, columns); got {shape}")
    return list(levels)
