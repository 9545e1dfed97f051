"""Turning the level forms users pass (tile ids, tensors, text, rows) into checked level rows.

Everything is checked here, before a level reaches Java: a bad level raises
:class:`~gym_mario_latent.errors.LevelFormatError` (a ``ValueError``) naming the problem. Text is
checked against the alphabets of :mod:`gym_mario_latent.levels` and sent as it is (the simulator
parses it once more, on its side of the wire); tile ids are converted once, to text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from gym_mario_latent.errors import LevelFormatError
from gym_mario_latent.levels import LEVEL_ALPHABETS, check_rows, ids_to_mario_ai_text, ids_to_rows
from gym_mario_latent.simulator_bridge.handshake import SimulatorLimits, default_facts

Alphabet = Literal["vglc", "mario-ai"]
ALPHABETS = tuple(LEVEL_ALPHABETS)
#: What a character of each alphabet is called in messages.
_CHARACTER_NAMES = {"vglc": "tile", "mario-ai": "Mario AI tile"}


def check_alphabet(alphabet: str) -> None:
    """Raises ``ValueError`` unless `alphabet` is one of :data:`ALPHABETS`."""
    if alphabet not in ALPHABETS:
        raise ValueError(f"unknown alphabet {alphabet!r}: expected one of {ALPHABETS}")


def check_level_size(rows: list[str], limits: SimulatorLimits, padding_columns: int = 0) -> None:
    """Raises ``LevelFormatError`` unless the simulator takes a level of these rows.

    Args:
        rows: the rows as they will be sent (padded, if the bridge pads).
        limits: the simulator's limits (its facts' ``limits``).
        padding_columns: columns of `rows` that the bridge added (named in the message).
    """
    height, width = len(rows), len(rows[0])
    if height < limits.min_height:
        raise LevelFormatError(
            f"level has {height} rows; at least {limits.min_height} are needed (a row of ground, two rows "
            "for large Mario, one to jump in)"
        )
    if width > limits.max_width or height > limits.max_height or width * height > limits.max_tiles:
        padded = f" ({padding_columns} of them padding)" if padding_columns else ""
        raise LevelFormatError(
            f"level of {width} columns{padded} × {height} rows is too large for the simulator "
            f"(at most {limits.max_width} columns, {limits.max_height} rows, {limits.max_tiles} tiles)"
        )


def is_text(level: Any) -> bool:
    """True for level text: a string, or a non-empty sequence of row strings."""
    if isinstance(level, str):
        return True
    return isinstance(level, Sequence) and len(level) > 0 and all(isinstance(row, str) for row in level)


def level_to_rows(
    level: Any, alphabet: Alphabet = "vglc", limits: SimulatorLimits | None = None
) -> list[str]:
    """Checked rows of one level, in `alphabet`.

    Args:
        level: tile ids of the VAE alphabet (a 2-D array, tensor or nested lists, rows × columns),
            or level text (a string with newline-separated rows, or a list of row strings) in
            `alphabet` (:data:`~gym_mario_latent.levels.LEVEL_ALPHABETS`).
        alphabet: the alphabet of level text, and of the rows returned (``vglc`` or ``mario-ai``).
        limits: the simulator's size limits (default: those of the package's jar).

    Raises:
        LevelFormatError: wrong shape, empty, ragged, NaN or non-integer ids, unknown tiles, fewer
            rows than the simulator's minimum height (4), too large.
    """
    check_alphabet(alphabet)
    if is_text(level):
        rows = check_rows(level, LEVEL_ALPHABETS[alphabet], _CHARACTER_NAMES[alphabet])
    else:
        rows = ids_to_rows(level) if alphabet == "vglc" else ids_to_mario_ai_text(level).split("\n")
    check_level_size(rows, limits if limits is not None else default_facts().limits)
    return rows


def batch_to_levels(levels: Any) -> list[Any]:
    """The levels of a batch: a 3-D array/tensor (batch, rows, columns) or any iterable of levels.

    Raises:
        LevelFormatError: one string, a wrongly shaped array, or one level given as its rows (a list
            of one-line strings of equal length).
    """
    if isinstance(levels, str):
        raise LevelFormatError("expected a batch of levels, got one string: wrap it in a list")
    if hasattr(levels, "ndim") and levels.ndim != 3:
        shape = tuple(levels.shape)
        raise LevelFormatError(f"a batch of tile ids needs shape (batch, rows, columns); got {shape}")
    levels = list(levels)
    rows = [level.rstrip("\r\n") for level in levels] if is_text(levels) else []
    if len(rows) > 1 and all("\n" not in row for row in rows) and len(set(map(len, rows))) == 1:
        raise LevelFormatError(
            f"got {len(rows)} one-line strings of {len(rows[0])} tiles: the rows of one level, not a "
            "batch of levels; wrap it in a list ([rows]) or call evaluate(rows)"
        )
    return levels
