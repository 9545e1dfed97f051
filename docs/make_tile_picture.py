"""Make docs/tiles/tiles-1-1.png: a 1-1 screen beside its tile observation (``observation_mode="tiles"``).

Mario follows the recorded 1-1 route of the tests (RIGHT_ONLY actions) for ``--step`` steps; the
screen is drawn by the emulator, the tile grid by :func:`gym_mario_latent.levels.render_level` (the
art of the VAE pictures), with Mario's mark outlined in red. The grid's 14 rows are the screen's top
14 tile rows, so the two line up row for row.

Usage: ``python docs/make_tile_picture.py [--step 26] [--out docs/tiles/tiles-1-1.png]``
"""

import argparse
from pathlib import Path

import gymnasium as gym
import numpy as np
from PIL import Image, ImageDraw

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.actions import RIGHT_ONLY
from gym_mario_latent.envs.smb_tiles import TILE_SIZE, tiles_to_level
from gym_mario_latent.levels import MARIO_ID, render_level, save_png
from gym_mario_latent.wrappers import JoypadSpace

ROUTE = Path(__file__).parents[1] / "tests" / "data" / "flag_route_1_1.txt"
SCALE, GAP, LABEL_HEIGHT = 2, 16, 28
MARIO_OUTLINE = (228, 0, 88)


def screen_and_tiles(steps: int) -> tuple[np.ndarray, np.ndarray]:
    """The screen (240, 256, 3) and the tile observation (14, 16) after ``steps`` steps of the route."""
    env = JoypadSpace(
        gym.make("SuperMarioBros-1-1-v0", observation_mode="tiles", render_mode="rgb_array"), RIGHT_ONLY
    )
    tiles, _ = env.reset(seed=0)
    for action in [int(char) for char in ROUTE.read_text().strip()][:steps]:
        tiles, *_ = env.step(action)
    screen = env.render()
    env.close()
    return screen, tiles


def tiles_picture(tiles: np.ndarray) -> Image.Image:
    """The tile grid drawn with the levels art, Mario's cells outlined."""
    picture = render_level(tiles_to_level(tiles), TILE_SIZE)
    draw = ImageDraw.Draw(picture)
    for row, column in np.argwhere(tiles == MARIO_ID):
        left, top = column * TILE_SIZE, row * TILE_SIZE
        draw.rectangle((left, top, left + TILE_SIZE - 1, top + TILE_SIZE - 1), outline=MARIO_OUTLINE, width=2)
    return picture


def side_by_side(screen: Image.Image, grid: Image.Image) -> Image.Image:
    """Screen and grid, top-aligned, scaled ``SCALE``× with labels above them."""
    screen, grid = (
        image.resize((image.width * SCALE, image.height * SCALE), Image.Resampling.NEAREST)
        for image in (screen, grid)
    )
    sheet = Image.new("RGB", (screen.width + GAP + grid.width, LABEL_HEIGHT + screen.height), "white")
    draw = ImageDraw.Draw(sheet)
    draw.text((4, 8), "NES screen", fill="black")
    draw.text(
        (screen.width + GAP + 4, 8),
        'observation_mode="tiles" (14 x 16), drawn with levels.render_level',
        fill="black",
    )
    sheet.paste(screen, (0, LABEL_HEIGHT))
    sheet.paste(grid, (screen.width + GAP, LABEL_HEIGHT))
    return sheet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--step", type=int, default=26, help="steps of the recorded route before the picture")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "tiles" / "tiles-1-1.png")
    args = parser.parse_args()
    screen, tiles = screen_and_tiles(args.step)
    path = save_png(side_by_side(Image.fromarray(screen), tiles_picture(tiles)), args.out)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
