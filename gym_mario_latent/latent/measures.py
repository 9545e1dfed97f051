"""The field's measures of generated Mario levels: what a level holds, and what an agent did in it.

Content measures take one level's tile ids, shape (rows, columns), in the VAE alphabet
(:mod:`gym_mario_latent.levels`); behaviour measures take one game's telemetry (a
:class:`~gym_mario_latent.simulator_bridge.Telemetry` or the simulator's JSON object). Each function
names the paper it follows, where that paper's code computes it, and its bounds.

The published archives (:mod:`gym_mario_latent.latent.archives`) measure MarioGAN-LSI's 16-row scenes in
the Mario AI Framework's alphabet. The levels here have the VGLC's 14 rows: the framework's files are the
same rows with one more sky row on top and the ground row doubled at the bottom (checked on 1-1 and 1-3),
so "the top 9 of 16 rows" is the top 8 of our 14.

Sources:
    * LSI: Fontaine, Liu, Khalifa, Modi, Togelius, Hoover, Nikolaidis, "Illuminating Mario Scenes in the
      Latent Space of a Generative Adversarial Network", AAAI 2021; code github.com/icaros-usc/MarioGAN-LSI,
      ``util/bc_calculate.py`` and ``search/config/elite_map/*.tml`` (also DSAGE's
      ``src/mario/measure_calculate``).
    * Smith & Whitehead, "Analyzing the Expressive Range of a Level Generator", PCG workshop 2010.
    * Lucas & Volz, "Tile Pattern KL-Divergence for Analysing and Evolving Game Levels", GECCO 2019 (the
      smoothing LSI's KL uses).
    * MFEDRL: Wang, Liu, Togelius, "The Fun Facets of Mario: Multifaceted Experience-Driven PCG via
      Reinforcement Learning", FDG 2022; code github.com/SUSTechGameAI/MFEDRL, ``src/level_divs.py`` and
      ``smb.py`` (2×2 tile patterns, as ED(PCG)RL before it).
    * González-Duque, Palm, Hauberg, Risi, "Mario Plays on a Manifold", GECCO 2022; code
      github.com/miguelgondu/Mario_plays_on_a_manifold, ``analysis_scripts/other_utils.py`` (diversity).
    * Lehman & Stanley, "Abandoning Objectives: Evolution Through the Search for Novelty Alone", ECJ 2011
      (novelty as the mean distance to the k nearest).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from itertools import combinations
from typing import Any

import numpy as np

from gym_mario_latent.errors import LevelFormatError
from gym_mario_latent.levels import EMPTY_ID, N_TILES, VAE_TILES, check_ids

#: Sky rows of a 14-row level: LSI counts the top 9 of its 16 rows, whose first row our levels lack.
SKY_ROWS = 8

#: LSI's thresholds for a high jump (air time, game ticks) and a long jump (horizontal pixels).
HIGH_JUMP_TICKS = 12
LONG_JUMP_PIXELS = 120

#: LSI's smoothing of tile-pattern counts (Lucas & Volz's epsilon).
KL_EPSILON = 1e-6

#: The columns of a reference level LSI compares with: 16..71, a 56-column scene.
REFERENCE_COLUMNS = slice(16, 72)

#: LSI's eight binary mechanics, in its archive's order (``search/config/elite_map/8Binary.tml``).
MECHANICS = ("jump", "high_jump", "long_jump", "stomp", "shell_kill", "fall_kill", "mushroom", "coin")


_ENEMY = VAE_TILES.index("E")
_POWER_UP = VAE_TILES.index("?")
_SOLID = np.array([VAE_TILES.index(tile) for tile in "XS?Q<>[]"])


def _level(level: Any) -> np.ndarray:
    return check_ids(level, ndim=2)


# -- content -------------------------------------------------------------------------------------------


def sky_tiles(level: Any, sky_rows: int = SKY_ROWS) -> int:
    """Non-empty tiles in the top `sky_rows` rows: LSI's "sky tiles" (``calc_higher_level_non_empty_blocks``).

    Enemies and coins count, as in LSI (any tile but the empty one). Bounds: 0 to ``sky_rows`` × columns
    (LSI's archive spans [0, 150] on 56 columns).
    """
    return int(np.count_nonzero(_level(level)[:sky_rows] != EMPTY_ID))


def enemies(level: Any) -> int:
    """Enemy tiles (``E``): LSI's "number of enemies" (``calc_num_enemies``). Bounds: 0 to rows × columns
    (LSI's archive spans [0, 25] on 56 columns)."""
    return int(np.count_nonzero(_level(level) == _ENEMY))


def density(level: Any) -> float:
    """Share of the level's tiles that are not empty, in [0, 1]: Smith & Whitehead's density (how much of
    the space is filled) counted per tile, enemies and coins included."""
    return float(np.mean(_level(level) != EMPTY_ID))


def surface_heights(level: Any) -> tuple[np.ndarray, np.ndarray]:
    """The walkable surface: for each column with a solid tile, its top solid tile's height in tiles above
    the bottom (1 for ground in the bottom row). Returns (columns, heights); gap columns are left out."""
    ids = _level(level)
    solid = np.isin(ids, _SOLID)
    columns = np.flatnonzero(solid.any(axis=0))
    heights = ids.shape[0] - solid[:, columns].argmax(axis=0)
    return columns, heights


def linearity(level: Any) -> float:
    """How close the walkable surface lies to one straight line, in [0, 1] (1: a line).

    Smith & Whitehead (2010) fit a line to the platforms and sum each one's distance from it. Here the
    platform points are the surface heights (:func:`surface_heights`), the line is their least-squares fit,
    and the mean absolute residual *d* (tiles) gives ``1 - 2 d / (rows - 1)``: *d* is at most the heights'
    standard deviation, which is at most half their range, so the value stays in [0, 1] for every level
    (a flat surface, or fewer than two surface points: exactly 1).
    """
    ids = _level(level)
    columns, heights = surface_heights(ids)
    if len(columns) < 2 or np.ptp(heights) == 0:
        return 1.0
    slope, intercept = np.polyfit(columns, heights, 1)
    deviation = float(np.mean(np.abs(heights - (slope * columns + intercept))))
    return min(1.0, max(0.0, 1.0 - 2.0 * deviation / (ids.shape[0] - 1)))


def gaps(level: Any) -> int:
    """Gaps: runs of adjacent columns whose bottom tile is not solid (a pit Mario must jump)."""
    bottom_open = ~np.isin(_level(level)[-1], _SOLID)
    return int(np.count_nonzero(bottom_open & ~np.concatenate(([False], bottom_open[:-1]))))


def leniency(level: Any) -> float:
    """How forgiving the level is, per column: (power-up blocks − enemies − gaps) / columns.

    Smith & Whitehead's leniency (2010): each component gets a weight, +1 for what helps the player and
    −1 for what can kill; the sum is divided by the level's width so that segments of any width compare.
    Components here: power-up blocks (``?``) +1, enemies (``E``) −1, gaps (:func:`gaps`) −1. Bounds:
    −(rows + 1) to rows; the 15 VGLC levels lie in [−0.21, −0.03].
    """
    ids = _level(level)
    power_ups = np.count_nonzero(ids == _POWER_UP)
    return float((power_ups - enemies(ids) - gaps(ids)) / ids.shape[1])


def tile_pattern_counts(level: Any, pattern_size: int = 1) -> dict[int, int]:
    """How often each `pattern_size` × `pattern_size` tile pattern occurs, over every window that fits
    inside the level (no padding: MFEDRL's ``tile_pattern_counts``; for 1×1 patterns, LSI's
    ``calc_tp_count`` too). Each pattern is keyed by its code: the sum of tile id × 11^i over its tiles i,
    row by row (a 1×1 pattern's code is its tile id)."""
    ids = _level(level)
    if pattern_size < 1 or pattern_size > min(ids.shape):
        raise LevelFormatError(f"pattern size must be 1..{min(ids.shape)} for a level of shape {ids.shape}")
    windows = np.lib.stride_tricks.sliding_window_view(ids, (pattern_size, pattern_size))
    codes = windows.reshape(-1, pattern_size**2) @ (N_TILES ** np.arange(pattern_size**2))
    patterns, counts = np.unique(codes, return_counts=True)
    return dict(zip(patterns.tolist(), counts.tolist(), strict=True))


def _distributions(
    level: Any, other: Any, pattern_size: int, epsilon: float
) -> tuple[np.ndarray, np.ndarray]:
    """Both levels' pattern distributions over the patterns either holds, each count plus `epsilon`."""
    counts = tile_pattern_counts(level, pattern_size), tile_pattern_counts(other, pattern_size)
    patterns = sorted(counts[0].keys() | counts[1].keys())
    p, q = (np.array([c.get(key, 0) for key in patterns], dtype=float) + epsilon for c in counts)
    return p / p.sum(), q / q.sum()


def _kl(p: np.ndarray, q: np.ndarray) -> float:
    present = p > 0
    return float(np.sum(p[present] * np.log(p[present] / q[present])))


def tile_pattern_kl(level: Any, reference: Any, pattern_size: int = 1, epsilon: float = KL_EPSILON) -> float:
    """Symmetric tile-pattern KL divergence, ½ KL(P‖Q) + ½ KL(Q‖P), natural log (LSI's
    ``calc_kldivergent_level1/3`` with ``calc_tp_kldiv``).

    P and Q are the two levels' pattern distributions (:func:`tile_pattern_counts`) over the patterns
    either holds, each count smoothed by `epsilon` before normalising (Lucas & Volz). That is LSI's
    smoothing exactly when both levels have as many tiles, as in LSI (two 16 × 56 scenes; its code
    divides the reference's counts by the level's total). Bounds: 0 (same distribution) to about
    ln(tiles / epsilon) for levels sharing no pattern (15.2 for two 4-tile levels); LSI's archive spans
    [0, 4.5].
    """
    p, q = _distributions(level, reference, pattern_size, epsilon)
    return 0.5 * _kl(p, q) + 0.5 * _kl(q, p)


def tile_pattern_js(level: Any, other: Any, pattern_size: int = 2) -> float:
    """Jensen-Shannon divergence of two levels' tile patterns, base 2, in [0, 1] (MFEDRL's
    ``tile_pattern_js_div``, 2×2 patterns, the content divergence of its fun reward).

    The mixture is the mean of the two distributions; MFEDRL mixes raw counts, the same for two
    segments of one size (its use).
    """
    p, q = _distributions(level, other, pattern_size, 0.0)
    mixture = (p + q) / 2
    return (_kl(p, mixture) + _kl(q, mixture)) / (2 * np.log(2))


@lru_cache(maxsize=16)
def reference_level(name: str = "mario-1-1", columns: slice = REFERENCE_COLUMNS) -> np.ndarray:
    """A shipped VGLC level's `columns` (default LSI's 16..71) as tile ids, read once."""
    from gym_mario_latent.vae.data import load_vglc_level  # the VGLC files ship with the VAE's data

    reference = load_vglc_level(name)[:, columns]
    reference.flags.writeable = False
    return reference


def kl_to_vglc(level: Any, name: str = "mario-1-1", pattern_size: int = 1) -> float:
    """:func:`tile_pattern_kl` to the VGLC level `name`'s columns 16..71: LSI's "KL 1-1" and "KL 1-3"
    with ``mario-1-1`` and ``mario-1-3`` (bounds as :func:`tile_pattern_kl`; archive [0, 4.5])."""
    return tile_pattern_kl(level, reference_level(name), pattern_size)


def tile_distance(level: Any, other: Any) -> float:
    """Share of the tiles at which two equal-shape levels differ (normalised Hamming distance), in [0, 1]."""
    a, b = _level(level), _level(other)
    if a.shape != b.shape:
        raise LevelFormatError(f"levels to compare need one shape; got {a.shape} and {b.shape}")
    return float(np.mean(a != b))


def pairwise_diversity(levels: Any) -> float:
    """Mean :func:`tile_distance` over every pair of the levels (n, rows, columns), in [0, 1]: the
    diversity of "Mario Plays on a Manifold" (one minus the mean share of equal tiles,
    ``get_mean_diversities_of_levels``).

    Raises:
        LevelFormatError: fewer than two levels, or not one shape.
    """
    batch = check_ids(levels, ndim=3)
    if len(batch) < 2:
        raise LevelFormatError(f"diversity needs at least two levels; got {len(batch)}")
    return float(np.mean([np.mean(a != b) for a, b in combinations(batch, 2)]))


def novelty(
    level: Any,
    archive: Sequence[Any],
    k: int = 15,
    distance: Callable[[Any, Any], float] = tile_distance,
) -> float:
    """Mean distance from `level` to its `k` nearest levels in `archive` (all of them if fewer): Lehman &
    Stanley's novelty (k = 15 there), with :func:`tile_distance` by default (then in [0, 1]).

    Raises:
        ValueError: an empty archive or k < 1.
    """
    if k < 1 or len(archive) == 0:
        raise ValueError(f"novelty needs k ≥ 1 and a non-empty archive; got k={k}, {len(archive)} levels")
    distances = sorted(distance(level, other) for other in archive)
    return float(np.mean(distances[:k]))


# -- behaviour -----------------------------------------------------------------------------------------


def _keys(telemetry: Any) -> Mapping[str, Any]:
    """The telemetry's keys as the simulator spells them (simulator/PROTOCOL.md): the JSON object the
    simulator sent (a Telemetry's ``raw``), or a hand-made Telemetry's fields."""
    if isinstance(telemetry, Mapping):
        return telemetry
    return telemetry.raw or telemetry.to_dict()


def kill_counts(telemetry: Any) -> dict[str, int]:
    """Kills by how they happened: ``stomp``, ``fire``, ``shell``, ``bump`` (the telemetry's ``kills_by``)
    and ``fall`` (enemies that fell out through the level's bottom, ``fall_kills``). Kills by enemy kind are
    the telemetry's ``kills``."""
    keys = _keys(telemetry)
    counts = {way: int(n) for way, n in keys["kills_by"].items()}
    counts["fall"] = int(keys["fall_kills"])
    return counts


def jumps(telemetry: Any) -> int:
    """Jumps the agent took off for (the telemetry's ``jumps``): DSAGE's ``calc_num_jumps``. Bounds: 0 to
    ticks (DSAGE's archive spans [0, 100])."""
    return int(_keys(telemetry)["jumps"])


def mechanics(telemetry: Any) -> np.ndarray:
    """LSI's eight binary mechanics as bits, in :data:`MECHANICS` order (``calc_jump`` … ``calc_coin``).

    jump: jumped at all (``jumps``); high jump: a jump over :data:`HIGH_JUMP_TICKS` ticks in the air
    (``max_air_time``); long jump: one over :data:`LONG_JUMP_PIXELS` pixels (``max_jump_length``); stomp,
    shell kill, fall kill: at least one kill that way (``kills_by``, ``fall_kills``); mushroom: a mushroom
    touched (``mushrooms``); coin: a coin tile taken (``tile_coins``: coins from blocks do not count, as in
    LSI). The keys and their mapping: simulator/PROTOCOL.md.
    """
    keys = _keys(telemetry)
    kills = kill_counts(keys)
    counts = (
        jumps(keys),
        int(keys["max_air_time"] > HIGH_JUMP_TICKS),
        int(keys["max_jump_length"] > LONG_JUMP_PIXELS),
        kills["stomp"],
        kills["shell"],
        kills["fall"],
        int(keys["mushrooms"]),
        int(keys["tile_coins"]),
    )
    return (np.array(counts) > 0).astype(np.int64)


def mechanics_code(bits: Any) -> int:
    """The 256-cell code of eight mechanics bits: their cell index in LSI's 2⁸ archive (the first
    mechanic, jump, is the most significant bit: jump alone is 128, coin alone is 1)."""
    bits = np.asarray(bits)
    if bits.shape != (len(MECHANICS),) or not np.isin(bits, (0, 1)).all():
        raise ValueError(f"mechanics bits must be {len(MECHANICS)} zeros or ones; got {bits.tolist()}")
    return int(np.ravel_multi_index(tuple(bits), (2,) * len(MECHANICS)))
