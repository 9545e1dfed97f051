"""Drawing levels as pictures, with tile art drawn here in code (no sprite files).

Every VAE tile gets a 16×16 picture (:func:`tile_atlas`); a level is drawn by looking its tile ids
up in the atlas, so a batch of levels renders in one NumPy gather.

The Java simulator's window draws tiles too (``simulator/play/TileArt.java`` and ``SpriteArt.java``),
on purpose with art of its own rather than from one shared source: this atlas holds the 11 VAE
tiles as pixel art at any size and must work without a JVM (VAE pictures, tests, a wheel without
Java), while the window draws a running game (the 25 tile codes of both alphabets, moving
sprites, antialiased at 3×) with no Python at hand. Sharing would tie each side to the other's
runtime for a look; no result depends on either picture.
"""

from collections.abc import Sequence
from functools import lru_cache
from math import ceil, prod, sqrt
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from gym_mario_latent.errors import PictureTooLargeError
from gym_mario_latent.files import output_file
from gym_mario_latent.levels.alphabet import N_TILES, VAE_TILES
from gym_mario_latent.levels.convert import check_ids, text_to_ids

ART_SIZE = 16  # pixels per tile of the drawn art

SKY = (108, 148, 252)
GROUND, GROUND_DARK, GROUND_LIGHT = (212, 132, 68), (120, 60, 20), (248, 196, 140)
BRICK, MORTAR = (172, 52, 16), (52, 20, 4)
GOLD, GOLD_DARK = (252, 188, 56), (136, 68, 8)
COIN_BLOCK = (228, 140, 36)
PIPE, PIPE_LIGHT, PIPE_DARK = (24, 168, 24), (152, 232, 88), (8, 72, 8)
GOOMBA, GOOMBA_FEET = (148, 72, 24), (40, 20, 8)
WHITE, BLACK = (252, 252, 252), (0, 0, 0)

# A 5×7 question mark, drawn in the middle of question blocks.
_QUESTION_MARK = (".###.", "##.##", "...##", "..##.", "..#..", ".....", "..#..")


def _ground(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle((0, 0, 15, 15), fill=GROUND)
    draw.line((0, 0, 15, 0), fill=GROUND_LIGHT)
    draw.line((0, 0, 0, 15), fill=GROUND_LIGHT)
    draw.line((15, 0, 15, 15), fill=GROUND_DARK)
    draw.line((0, 15, 15, 15), fill=GROUND_DARK)
    draw.line((8, 1, 8, 7), fill=GROUND_DARK)  # cracks of the stone
    draw.line((1, 7, 14, 7), fill=GROUND_DARK)
    draw.line((4, 8, 4, 14), fill=GROUND_DARK)


def _brick(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle((0, 0, 15, 15), fill=BRICK)
    for y in (3, 7, 11, 15):
        draw.line((0, y, 15, y), fill=MORTAR)
    for course, top in enumerate((0, 4, 8, 12)):
        for x in (7, 15) if course % 2 == 0 else (3, 11):
            draw.line((x, top, x, top + 2), fill=MORTAR)


def _block(draw: ImageDraw.ImageDraw, fill: tuple, edge: tuple) -> None:
    draw.rectangle((0, 0, 15, 15), fill=fill, outline=edge)
    for x, y in ((2, 2), (13, 2), (2, 13), (13, 13)):
        draw.point((x, y), fill=edge)


def _question(draw: ImageDraw.ImageDraw) -> None:
    _block(draw, GOLD, GOLD_DARK)
    for dy, row in enumerate(_QUESTION_MARK):
        for dx, pixel in enumerate(row):
            if pixel == "#":
                draw.point((5 + dx, 4 + dy), fill=GOLD_DARK)


def _coin_question(draw: ImageDraw.ImageDraw) -> None:
    _block(draw, COIN_BLOCK, GOLD_DARK)
    draw.ellipse((5, 3, 10, 12), fill=GOLD, outline=GOLD_DARK)


def draw_goomba(draw: ImageDraw.ImageDraw) -> None:
    """The goomba in the 16×16 square at the origin (the enemy tile, and the sprite of levels/sprites.py)."""
    draw.ellipse((1, 1, 14, 12), fill=GOOMBA)
    draw.rectangle((5, 10, 10, 13), fill=(236, 196, 148))  # body
    draw.rectangle((2, 13, 6, 15), fill=GOOMBA_FEET)
    draw.rectangle((9, 13, 13, 15), fill=GOOMBA_FEET)
    for x in (4, 9):
        draw.rectangle((x, 4, x + 2, 7), fill=WHITE)
        draw.rectangle((x + 1, 5, x + 2, 7), fill=BLACK)
    draw.line((3, 3, 6, 4), fill=BLACK)  # frown
    draw.line((12, 3, 9, 4), fill=BLACK)


def _pipe(draw: ImageDraw.ImageDraw, top: bool, left: bool) -> None:
    inset = 0 if top else 2  # the pipe's lip is wider than its body
    x0, x1 = (inset, 15) if left else (0, 15 - inset)
    draw.rectangle((x0, 0, x1, 15), fill=PIPE)
    outer = x0 if left else x1
    draw.line((outer, 0, outer, 15), fill=PIPE_DARK)
    if left:
        draw.rectangle((x0 + 3, 0, x0 + 5, 15), fill=PIPE_LIGHT)
    else:
        draw.rectangle((x1 - 4, 0, x1 - 2, 15), fill=PIPE_DARK)
    if top:
        draw.line((0, 0, 15, 0), fill=PIPE_DARK)
        draw.line((0, 15, 15, 15), fill=PIPE_DARK)


def _coin(draw: ImageDraw.ImageDraw) -> None:
    draw.ellipse((4, 1, 11, 14), fill=GOLD, outline=GOLD_DARK)
    draw.line((7, 4, 7, 11), fill=WHITE)


_DRAW_TILE = {
    "X": _ground,
    "S": _brick,
    "-": lambda draw: None,
    "?": _question,
    "Q": _coin_question,
    "E": draw_goomba,
    "<": lambda draw: _pipe(draw, top=True, left=True),
    ">": lambda draw: _pipe(draw, top=True, left=False),
    "[": lambda draw: _pipe(draw, top=False, left=True),
    "]": lambda draw: _pipe(draw, top=False, left=False),
    "o": _coin,
}


@lru_cache(maxsize=8)
def tile_atlas(tile_size: int = ART_SIZE) -> np.ndarray:
    """Pictures of every VAE tile, shape (N_TILES, tile_size, tile_size, 3), uint8, by tile id."""
    if tile_size < 1:
        raise ValueError(f"tile_size must be at least 1; got {tile_size}")
    tiles = []
    for char in VAE_TILES:
        image = Image.new("RGB", (ART_SIZE, ART_SIZE), SKY)
        _DRAW_TILE[char](ImageDraw.Draw(image))
        if tile_size != ART_SIZE:
            image = image.resize((tile_size, tile_size), Image.Resampling.LANCZOS)
        tiles.append(np.asarray(image))
    atlas = np.stack(tiles)
    atlas.flags.writeable = False
    return atlas


def level_ids(level: Any) -> np.ndarray:
    """Tile ids of a level given as tile ids or as VGLC/VAE text (a string or rows)."""
    if isinstance(level, str) or (isinstance(level, Sequence) and level and isinstance(level[0], str)):
        return text_to_ids(level)
    return check_ids(level)


def check_picture_size(what: str, pixels: int) -> None:
    """Raises :class:`PictureTooLargeError` when `pixels` is more than PIL's bound on a picture
    (``PIL.Image.MAX_IMAGE_PIXELS``, about 89.5 million; none if a user set it to None).

    Args:
        what: what would be drawn, for the message ("a picture of 1 level of 40×30 pixels").
        pixels: how many pixels that takes.
    """
    limit = Image.MAX_IMAGE_PIXELS
    if limit is not None and pixels > limit:
        raise PictureTooLargeError(
            f"{what} is too large to draw: {pixels} pixels, at most {limit} (PIL.Image.MAX_IMAGE_PIXELS); "
            "draw a smaller level or use a smaller tile size"
        )


def render_pixels(levels: Any, tile_size: int = ART_SIZE) -> np.ndarray:
    """Levels → RGB pixels: (rows, columns) → (H, W, 3), or a batch (N, r, c) → (N, H, W, 3).

    Raises:
        PictureTooLargeError: the pictures (or the tiles at `tile_size`) would take more pixels than
            :func:`check_picture_size` allows; checked before anything is drawn.
    """
    ids = level_ids(levels)
    *batch, rows, columns = ids.shape
    count, height, width = prod(batch), rows * tile_size, columns * tile_size
    check_picture_size(f"a picture of {count} level(s) of {width}×{height} pixels", count * height * width)
    check_picture_size(f"tile size {tile_size}", N_TILES * tile_size * tile_size)  # the atlas
    pixels = tile_atlas(tile_size)[ids]  # (..., rows, columns, ts, ts, 3)
    pixels = np.moveaxis(pixels, -3, -4)  # (..., rows, ts, columns, ts, 3)
    return pixels.reshape(*batch, rows * tile_size, columns * tile_size, 3)


def render_level(level: Any, tile_size: int = ART_SIZE) -> Image.Image:
    """One level (tile ids of any width, or VGLC/VAE text) → an RGB picture."""
    return Image.fromarray(render_pixels(check_ids(level_ids(level), ndim=2), tile_size))


def render_grid(
    levels: Any,
    columns: int | None = None,
    tile_size: int = ART_SIZE,
    gap: int = 2,
    gap_color: tuple[int, int, int] = (32, 32, 32),
) -> Image.Image:
    """A batch of equal-size levels (N, rows, columns) → one picture, row-major, with separators.

    Args:
        levels: tile ids of shape (N, rows, columns).
        columns: levels per picture row (default: a near-square grid).
        tile_size: pixels per tile.
        gap: separator width in pixels, also drawn around the border.
        gap_color: separator colour.
    """
    pixels = render_pixels(check_ids(levels, ndim=3), tile_size)
    count, height, width, _ = pixels.shape
    columns = columns or ceil(sqrt(count))
    grid_rows = ceil(count / columns)
    canvas = np.empty((gap + grid_rows * (height + gap), gap + columns * (width + gap), 3), dtype=np.uint8)
    canvas[:] = gap_color
    for index, picture in enumerate(pixels):
        top = gap + (index // columns) * (height + gap)
        left = gap + (index % columns) * (width + gap)
        canvas[top : top + height, left : left + width] = picture
    return Image.fromarray(canvas)


def save_png(image: Image.Image, path: str | Path) -> Path:
    """Save a picture as PNG in one step (:func:`~gym_mario_latent.files.output_file`), creating parent
    folders; returns the path.

    Raises:
        OutputFileError: `path` is a folder, a device or another file that is no regular file, or the
            write failed (a full disk); `path` is then as it was.
    """
    with output_file(path) as temporary:
        image.save(temporary, format="PNG", optimize=True)
    return Path(path)
