"""The moving sprites of a playthrough: the simulator's per-tick ``sprite_trace`` and the art drawn for it.

A sprite trace is the telemetry's ``sprite_trace`` (simulator/PROTOCOL.md), recorded with the ``trace``:
per game tick, one ``[kind, x, y, flags]`` for every sprite but Mario alive after the tick (enemies,
shells, bullet bills, power-ups, fireballs), x the middle of its feet and y its feet in pixels of the
level as played, `kind` an index into :data:`SPRITE_KINDS`, `flags` the sum of :data:`FACES_LEFT` and
:data:`HAS_WINGS`. A killed enemy is gone from the tick of its death (the engine has no dying animation).

:func:`sprite_sheet` draws one picture per kind (flat drawings of our own, like Mario's in
:mod:`~gym_mario_latent.levels.trace`), which the animation and the explorer's replay share.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from PIL import Image, ImageDraw

from gym_mario_latent.levels.render import ART_SIZE, WHITE, draw_goomba

#: Sprite kinds by id (the simulator's ``SpriteKind`` order; id 0 is Mario, never in a sprite trace).
SPRITE_KINDS = (
    "mario",
    "goomba",
    "goomba_winged",
    "red_koopa",
    "red_koopa_winged",
    "green_koopa",
    "green_koopa_winged",
    "spiky",
    "spiky_winged",
    "bullet_bill",
    "piranha_plant",
    "shell",
    "mushroom",
    "fire_flower",
    "life_mushroom",
    "fireball",
)
#: Flags of a sprite trace entry: it faces left; it is a winged enemy that still has its wings.
FACES_LEFT, HAS_WINGS = 1, 2
WINGED = "_winged"

BLACK = (0, 0, 0)
RED, GREEN, RED_SHELL = (216, 40, 0), (0, 168, 0), (200, 36, 44)
KOOPA_SKIN, SPIKY, SKIN = (248, 212, 80), (200, 40, 150), (252, 196, 140)
BULLET, BULLET_BACK = (40, 40, 48), (100, 100, 116)
STEM, LEAF, ORANGE, YELLOW = (240, 216, 170), (40, 150, 50), (252, 128, 20), (252, 228, 60)
WING, WING_EDGE = (244, 246, 255), (140, 150, 180)


@dataclass(frozen=True)
class TracedSprite:
    """One sprite at one tick of a sprite trace."""

    kind: str
    x: float
    y: float
    faces_left: bool
    has_wings: bool

    @property
    def look(self) -> str:
        """The picture it is drawn with: its kind, less the wings a stomp took off."""
        return self.kind if self.has_wings or not self.kind.endswith(WINGED) else self.kind[: -len(WINGED)]


def traced_sprites(sprite_trace: Any) -> list[list[TracedSprite]]:
    """The sprite trace as :class:`TracedSprite` lists, one per tick, after checking it.

    Raises:
        ValueError: not a list per tick of ``[kind, x, y, flags]`` with a known kind and flags 0..3.
    """
    if not isinstance(sprite_trace, list | tuple):
        raise ValueError(f"a sprite trace is one list of sprites per tick; got {type(sprite_trace).__name__}")
    ticks = []
    for tick, entries in enumerate(sprite_trace):
        sprites = []
        for entry in entries:
            if len(entry) != 4 or not 0 < int(entry[0]) < len(SPRITE_KINDS) or not 0 <= int(entry[3]) <= 3:
                kinds = f"kind 1..{len(SPRITE_KINDS) - 1}"
                raise ValueError(
                    f"sprite trace tick {tick}: each sprite is [{kinds}, x, y, flags 0..3]; got {entry!r}"
                )
            kind, x, y, flags = int(entry[0]), float(entry[1]), float(entry[2]), int(entry[3])
            sprites.append(
                TracedSprite(SPRITE_KINDS[kind], x, y, bool(flags & FACES_LEFT), bool(flags & HAS_WINGS))
            )
        ticks.append(sprites)
    return ticks


def _koopa(draw: ImageDraw.ImageDraw, shell: tuple[int, int, int]) -> None:
    draw.rectangle((3, 29, 6, 31), fill=KOOPA_SKIN)  # feet
    draw.rectangle((9, 29, 12, 31), fill=KOOPA_SKIN)
    draw.rectangle((10, 12, 13, 24), fill=KOOPA_SKIN)  # neck and head, in front
    draw.ellipse((8, 6, 15, 14), fill=KOOPA_SKIN)
    draw.rectangle((12, 8, 13, 10), fill=BLACK)
    _shell(draw, shell, top=16)


def _shell(draw: ImageDraw.ImageDraw, colour: tuple[int, int, int], top: int = 20) -> None:
    draw.chord((1, top, 13, top + 20), 180, 360, fill=colour, outline=BLACK)
    draw.rectangle((1, top + 10, 13, top + 12), fill=WHITE, outline=BLACK)


def _spiky(draw: ImageDraw.ImageDraw) -> None:
    for x in (2, 7, 12):
        draw.polygon([(x - 2, 22), (x, 16), (x + 2, 22)], fill=WHITE, outline=BLACK)
    draw.chord((1, 19, 15, 35), 180, 360, fill=SPIKY, outline=BLACK)
    draw.rectangle((3, 28, 6, 31), fill=SKIN)
    draw.rectangle((10, 28, 13, 31), fill=SKIN)
    draw.rectangle((11, 23, 12, 25), fill=BLACK)


def _bullet_bill(draw: ImageDraw.ImageDraw) -> None:
    draw.rounded_rectangle((0, 18, 15, 30), radius=6, fill=BULLET)
    draw.rectangle((0, 18, 2, 30), fill=BULLET_BACK)
    draw.ellipse((9, 20, 12, 24), fill=WHITE)
    draw.rectangle((11, 21, 11, 23), fill=BLACK)


def _piranha_plant(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle((7, 18, 8, 31), fill=LEAF)
    draw.ellipse((1, 22, 7, 26), fill=LEAF)
    draw.ellipse((8, 22, 14, 26), fill=LEAF)
    draw.ellipse((2, 6, 13, 19), fill=RED, outline=BLACK)
    draw.pieslice((2, 6, 13, 19), 240, 300, fill=BLACK)
    for x, y in ((4, 12), (10, 13), (7, 16)):
        draw.rectangle((x, y, x + 1, y + 1), fill=WHITE)


def _mushroom(draw: ImageDraw.ImageDraw, cap: tuple[int, int, int]) -> None:
    draw.rectangle((4, 24, 11, 31), fill=STEM, outline=BLACK)
    draw.chord((0, 16, 15, 32), 180, 360, fill=cap, outline=BLACK)
    draw.ellipse((6, 18, 9, 21), fill=WHITE)


def _fire_flower(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle((7, 24, 8, 31), fill=LEAF)
    draw.ellipse((2, 16, 13, 25), fill=ORANGE, outline=RED)
    draw.ellipse((5, 18, 10, 23), fill=YELLOW)


def _fireball(draw: ImageDraw.ImageDraw) -> None:
    draw.ellipse((4, 23, 11, 30), fill=ORANGE, outline=RED)
    draw.ellipse((6, 25, 8, 27), fill=YELLOW)


def _wings(draw: ImageDraw.ImageDraw, top: int) -> None:
    draw.polygon([(5, top + 6), (0, top), (1, top + 4), (0, top + 8)], fill=WING, outline=WING_EDGE)


def _goomba_cell(draw: ImageDraw.ImageDraw, image: Image.Image) -> None:
    body = Image.new("RGBA", (ART_SIZE, ART_SIZE), (0, 0, 0, 0))
    draw_goomba(ImageDraw.Draw(body))
    image.alpha_composite(body, (0, ART_SIZE))


_DRAW_SPRITE = {
    "goomba": lambda draw, image: _goomba_cell(draw, image),
    "red_koopa": lambda draw, image: _koopa(draw, RED_SHELL),
    "green_koopa": lambda draw, image: _koopa(draw, GREEN),
    "spiky": lambda draw, image: _spiky(draw),
    "bullet_bill": lambda draw, image: _bullet_bill(draw),
    "piranha_plant": lambda draw, image: _piranha_plant(draw),
    "shell": lambda draw, image: _shell(draw, GREEN),
    "mushroom": lambda draw, image: _mushroom(draw, RED),
    "fire_flower": lambda draw, image: _fire_flower(draw),
    "life_mushroom": lambda draw, image: _mushroom(draw, GREEN),
    "fireball": lambda draw, image: _fireball(draw),
}
#: Where the wings of each winged kind sit (the art's top row of the wings).
_WINGS_TOP = {"goomba": 14, "red_koopa": 12, "green_koopa": 12, "spiky": 16}


@lru_cache(maxsize=8)
def sprite_sheet(tile_size: int = ART_SIZE) -> Image.Image:
    """Every sprite kind of :data:`SPRITE_KINDS` but Mario, facing right, side by side in id order (kind id
    ``k`` in cell ``k - 1``) on a transparent RGBA picture, each one tile wide and two tall with the middle
    of its feet on the middle of the cell's bottom edge. Mirror a cell for a sprite facing left."""
    if tile_size < 1:
        raise ValueError(f"tile_size must be at least 1; got {tile_size}")
    cells = []
    for kind in SPRITE_KINDS[1:]:
        cell = Image.new("RGBA", (ART_SIZE, 2 * ART_SIZE), (0, 0, 0, 0))
        draw = ImageDraw.Draw(cell)
        base = kind.removesuffix(WINGED)
        _DRAW_SPRITE[base](draw, cell)
        if kind.endswith(WINGED):
            _wings(draw, _WINGS_TOP[base])
        cells.append(cell)
    sheet = Image.new("RGBA", (len(cells) * ART_SIZE, 2 * ART_SIZE), (0, 0, 0, 0))
    for index, cell in enumerate(cells):
        sheet.paste(cell, (index * ART_SIZE, 0))
    if tile_size != ART_SIZE:
        sheet = sheet.resize((len(cells) * tile_size, 2 * tile_size), Image.Resampling.NEAREST)
    return sheet


def sprite_picture(look: str, faces_left: bool, tile_size: int = ART_SIZE) -> Image.Image:
    """The picture of one sprite `look` (a kind of :data:`SPRITE_KINDS`), mirrored when it faces left."""
    cell = SPRITE_KINDS.index(look) - 1
    picture = sprite_sheet(tile_size).crop((cell * tile_size, 0, (cell + 1) * tile_size, 2 * tile_size))
    return picture.transpose(Image.Transpose.FLIP_LEFT_RIGHT) if faces_left else picture
