"""Measures of a latent's level for quality diversity: what it contains and what the A* agent did in it.

The level measures come from :mod:`gym_mario_latent.latent.measures` (the field's measures, with their
sources). Each :class:`Measure` is a function of ``(telemetry, segment)`` with the range it usually spans
on 14×14 segments (the bounds to give an archive, e.g. ``ribs.archives.GridArchive(ranges=...)``); the
upper bound of a count (tiles, jumps, kills...) grows with the level's width, so :func:`measure_bounds`
scales it to the columns of the levels you search. Values outside the range are possible and archives clip
or drop them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from gym_mario_latent.latent import measures as field
from gym_mario_latent.levels import EMPTY_ID, VAE_TILES
from gym_mario_latent.simulator_bridge import Telemetry

_ENEMY = VAE_TILES.index("E")
_COIN = VAE_TILES.index("o")
_PIPE_TOP = VAE_TILES.index("<")
_BLOCKS = [VAE_TILES.index(tile) for tile in "S?Q"]
_PASSABLE = [EMPTY_ID, _ENEMY, _COIN]


@dataclass(frozen=True)
class Measure:
    """A measure: what it counts, its usual range, and how it is computed."""

    description: str
    bounds: tuple[float, float]
    compute: Callable[[Telemetry, np.ndarray], float]
    #: a count that grows with the level's width (its upper bound is scaled by :func:`measure_bounds`)
    per_width: bool = True


MEASURES: dict[str, Measure] = {
    "jumps": Measure("jumps the agent took off for", (0, 10), lambda t, s: t.jumps),
    "kills": Measure("enemies the agent killed", (0, 6), lambda t, s: t.kills_total),
    "completion": Measure(
        "share of the segment the agent crossed", (0, 1), lambda t, s: t.completion, per_width=False
    ),
    "coins": Measure("coins the agent collected", (0, 10), lambda t, s: t.coins),
    "max_jump_length": Measure(
        "longest jump, take-off to landing, in pixels",
        (0, 200),
        lambda t, s: t.max_jump_length,
        per_width=False,
    ),
    "max_air_time": Measure(
        "longest time in the air, game ticks", (0, 60), lambda t, s: t.max_air_time, per_width=False
    ),
    "hurts": Measure("times the agent was hurt", (0, 3), lambda t, s: t.hurts, per_width=False),
    "enemies": Measure("enemy tiles (E) in the segment", (0, 10), lambda t, s: field.enemies(s)),
    "sky_tiles": Measure(
        f"non-empty tiles in the top {field.SKY_ROWS} rows (Fontaine et al.'s sky tiles)",
        (0, 60),
        lambda t, s: field.sky_tiles(s),
    ),
    "coin_tiles": Measure(
        "coin tiles (o) in the segment", (0, 20), lambda t, s: np.count_nonzero(s == _COIN)
    ),
    "blocks": Measure(
        "bricks and question blocks in the segment",
        (0, 30),
        lambda t, s: np.count_nonzero(np.isin(s, _BLOCKS)),
    ),
    "pipes": Measure(
        "pipes in the segment (pipe tops)", (0, 5), lambda t, s: np.count_nonzero(s == _PIPE_TOP)
    ),
    "gaps": Measure(
        "columns with no ground in the bottom row",
        (0, 14),
        lambda t, s: np.count_nonzero(np.isin(s[-1], _PASSABLE)),
    ),
    "density": Measure(
        "share of the segment's tiles that are not empty",
        (0, 1),
        lambda t, s: field.density(s),
        per_width=False,
    ),
}


def measure_values(names: Sequence[str], telemetry: Telemetry, segment: np.ndarray) -> list[float]:
    """The values of the measures ``names`` for one segment."""
    return [float(MEASURES[name].compute(telemetry, segment)) for name in names]


def check_measure_names(names: Sequence[str]) -> tuple[str, ...]:
    """``names`` as a tuple, after checking each is a known measure."""
    if isinstance(names, str):
        names = (names,)
    unknown = [name for name in names if name not in MEASURES]
    if unknown:
        raise ValueError(f"unknown measures {unknown}: expected names from {list(MEASURES)}")
    return tuple(names)


#: The width, in columns, the measures' bounds are given for (the VAE's segments).
BOUNDS_COLUMNS = 14


def measure_bounds(names: Sequence[str], columns: int = BOUNDS_COLUMNS) -> list[tuple[float, float]]:
    """The usual ranges of the measures ``names`` (archive bounds) on levels ``columns`` wide: a count's
    upper bound is scaled by ``columns / 14`` (e.g. enemies (0, 10) on 14 columns, (0, 40) on 56)."""
    scale = columns / BOUNDS_COLUMNS
    return [
        (low, high * scale) if MEASURES[name].per_width else (low, high)
        for name in check_measure_names(names)
        for low, high in [MEASURES[name].bounds]
    ]
