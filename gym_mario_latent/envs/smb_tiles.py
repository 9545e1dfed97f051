"""The visible screen as a grid of level tiles read from the NES RAM (``observation_mode="tiles"``).

The grid speaks the package's level alphabet (:data:`gym_mario_latent.levels.VAE_TILES`, ids 0..10),
the one the VAE and the simulator use, plus :data:`~gym_mario_latent.levels.MARIO_ID` (11) where
Mario is. Its 14 rows are the rows of a VGLC level: row 13 is the top row of the ground, rows 2-13
come from the game's metatile buffer and rows 0-1 (the band behind the score line) hold only
sprites; the game's lowest row (the ground's second row) is left out, as VGLC does. Its 16 columns
are the level columns from the one under the screen's left edge on (the 17th, partly scrolled in,
is left out).

Where things are drawn: level tiles first, then enemies (``E``, at the tile under their sprite's
centre; stomped ones, i.e. flat goombas and still shells, and defeated ones falling off the screen are
left out), then Mario (one tile when small, two when big; no mark while he is above or below the
screen), each overwriting what is below.

Reading a grid costs about 15 µs (a few NumPy gathers and a loop over the five enemy slots), less than
copying the RGB screen.
"""

import numpy as np

from gym_mario_latent.envs.smb_game import (
    ENEMY_DEFEATED_BIT,
    ENEMY_DRAWN,
    ENEMY_STATES,
    ENEMY_STOMPED,
    ENEMY_TYPES,
    ENEMY_X_IN_PAGES,
    ENEMY_X_PAGES,
    ENEMY_Y_PIXELS,
    ENEMY_Y_VIEWPORTS,
    HOSTILE_ENEMIES,
    METATILE_BUFFER,
    METATILE_COLUMNS,
    METATILE_PAGES,
    METATILE_ROWS,
    PLAYER_SIZE,
    SCREEN_LEFT_PAGE,
    SCREEN_LEFT_X,
    X_IN_PAGE,
    X_PAGE,
    Y_PIXEL,
    Y_VIEWPORT,
)
from gym_mario_latent.levels import EMPTY_ID, MARIO_ID, TILE_IDS

TILE_ROWS = 14  # as a VGLC level / a VAE window
TILE_COLUMNS = 16  # as the screen
TILES_SHAPE = (TILE_ROWS, TILE_COLUMNS)
TILE_SIZE = 16  # pixels per tile on the NES screen
BUFFER_TOP_ROW = 2  # the grid row of the metatile buffer's first row (the score line is above it)
ENEMY_ID = TILE_IDS["E"]

# The game's metatile ids (the SMB disassembly's metatile tables: palette 0 from 0x00, 1 from 0x40,
# 2 from 0x80, 3 from 0xC0) that are level tiles; every other id (sky, bushes, hills, clouds, trees'
# trunks, castles, ropes, flagpoles, water, lava, hidden blocks...) reads as empty, as in VGLC.
_METATILES_AS = {
    "<": (0x10, 0x12),  # pipe tops (warp and decoration), left half
    ">": (0x11, 0x13),
    "[": (0x14,),  # pipe shafts
    "]": (0x15,),
    "X": (
        *range(0x16, 0x1C),  # tree and mushroom ledges (platform tops)
        *range(0x1C, 0x22),  # sideways pipes: solid, the alphabet has no sideways pipe
        *(0x54, 0x61, 0x62, 0x63),  # ground, stair block, white wall block, bridge
        *(0x64, 0x65, 0x66),  # bullet-bill cannon (VGLC's B/b read as X)
        *(0x68, 0x69, 0x6A, 0x6B, 0x6C),  # half bricks, underwater rock, underwater sideways pipe
        *(0x88, 0x89, 0xC4),  # cloud ground, Bowser's bridge, used block
    ),
    "S": (0x51, 0x52, 0x53, *range(0x55, 0x5F)),  # bricks, empty or holding coins, power-ups, vines, stars
    "Q": (0xC0,),  # question block with a coin
    "?": (0xC1,),  # question block with a power-up
    "o": (0xC2, 0xC3),  # coins
}


def _metatile_lookup() -> np.ndarray:
    lookup = np.full(256, EMPTY_ID, dtype=np.uint8)
    for char, metatiles in _METATILES_AS.items():
        lookup[list(metatiles)] = TILE_IDS[char]
    lookup.flags.writeable = False
    return lookup


METATILE_TO_TILE = _metatile_lookup()  # metatile id → tile id


def _buffer_gather() -> np.ndarray:
    """For each first column (mod the buffer's 32): the indices into the buffer of the grid's cells."""
    ring = METATILE_PAGES * METATILE_COLUMNS
    rows = np.arange(TILE_ROWS - BUFFER_TOP_ROW)[:, None]
    table = np.empty((ring, len(rows), TILE_COLUMNS), dtype=np.intp)
    for first in range(ring):
        columns = (first + np.arange(TILE_COLUMNS)) % ring
        page, column = np.divmod(columns, METATILE_COLUMNS)
        table[first] = page * METATILE_ROWS * METATILE_COLUMNS + rows * METATILE_COLUMNS + column
    return table


_BUFFER_GATHER = _buffer_gather()
# RAM addresses of each enemy slot's fields, one row per slot (read in one gather).
_ENEMY_FIELD_RANGES = (ENEMY_DRAWN, ENEMY_TYPES, ENEMY_STATES, ENEMY_X_PAGES, ENEMY_X_IN_PAGES)
_ENEMY_FIELDS = np.array([*_ENEMY_FIELD_RANGES, ENEMY_Y_VIEWPORTS, ENEMY_Y_PIXELS]).T
# RAM addresses of the screen's and Mario's fields (read in one gather).
_SCREEN_AND_MARIO = np.array(
    [SCREEN_LEFT_PAGE, SCREEN_LEFT_X, X_PAGE, X_IN_PAGE, Y_VIEWPORT, Y_PIXEL, PLAYER_SIZE]
)


def read_tiles(ram: np.ndarray) -> np.ndarray:
    """The screen as tile ids, shape ``(14, 16)`` uint8, from the NES RAM (a 2048-byte uint8 array).

    Ids 0..10 are :data:`~gym_mario_latent.levels.VAE_TILES`; :data:`~gym_mario_latent.levels.MARIO_ID`
    marks Mario. The returned array is new on every call.
    """
    left_page, left_x, *mario = ram[_SCREEN_AND_MARIO].tolist()
    first_column = (left_page * 256 + left_x) // TILE_SIZE
    tiles = np.empty(TILES_SHAPE, dtype=np.uint8)
    tiles[:BUFFER_TOP_ROW] = EMPTY_ID
    buffer = ram[METATILE_BUFFER]
    tiles[BUFFER_TOP_ROW:] = METATILE_TO_TILE[buffer[_BUFFER_GATHER[first_column % len(_BUFFER_GATHER)]]]
    grid_left = first_column * TILE_SIZE
    _draw_enemies(tiles, ram, grid_left)
    _draw_mario(tiles, grid_left, *mario)
    return tiles


def _draw_enemies(tiles: np.ndarray, ram: np.ndarray, grid_left: int) -> None:
    for drawn, kind, state, x_page, x_in_page, y_viewport, y_pixel in ram[_ENEMY_FIELDS].tolist():
        if not drawn or kind not in HOSTILE_ENEMIES or y_viewport != 1:
            continue
        if state == ENEMY_STOMPED or state & ENEMY_DEFEATED_BIT:  # flat, a still shell, or falling off
            continue
        column = (x_page * 256 + x_in_page - grid_left + TILE_SIZE // 2) // TILE_SIZE
        row = (y_pixel + TILE_SIZE // 2) // TILE_SIZE
        if 0 <= column < TILE_COLUMNS and row < TILE_ROWS:
            tiles[row, column] = ENEMY_ID


def _draw_mario(
    tiles: np.ndarray, grid_left: int, x_page: int, x_in_page: int, y_viewport: int, top: int, size: int
) -> None:
    column = (x_page * 256 + x_in_page - grid_left + TILE_SIZE // 2) // TILE_SIZE
    if y_viewport != 1 or not 0 <= column < TILE_COLUMNS:  # above the screen, or falling out of it
        return
    # ``top`` is the top of Mario's 32-pixel box; small Mario fills its lower half.
    feet_row = (top + TILE_SIZE + TILE_SIZE // 2) // TILE_SIZE
    head_row = feet_row - 1 if size == 0 else feet_row
    tiles[max(head_row, 0) : min(feet_row + 1, TILE_ROWS), column] = MARIO_ID


def tiles_to_level(tiles: np.ndarray) -> np.ndarray:
    """A tile observation as a level (VAE tile ids, int64): Mario's mark becomes empty space.

    The result goes anywhere a level goes: :func:`gym_mario_latent.levels.render_level`, the VAE's
    encoder, level text.
    """
    level = np.asarray(tiles).astype(np.int64)
    level[level == MARIO_ID] = EMPTY_ID
    return level
