"""Make the ROM-mode pictures in docs/rom-modes/: stage 1-1 of each game in each ROM mode.

Each ROM boots in a bare nes-py ``NESEnv``, start is pressed until the stage runs, then Mario runs
right for a moment and the screen is saved, scaled 2×. The same button presses go to every ROM
mode, so the pictures show the same game moment drawn with different graphics.

Usage: ``python docs/make_rom_screenshots.py [--rom-dir DIR] [--out DIR]`` (ROMs are found the
usual way, see ``gym_mario_latent.roms.find_rom``; ``--rom-dir`` sets ``GYM_MARIO_LATENT_ROM_DIR``).
"""

import argparse
import os
from pathlib import Path

import numpy as np
from nes_py import NESEnv
from PIL import Image, ImageDraw

from gym_mario_latent.roms import LOST_LEVELS, SMB1, rom_path_for_mode
from gym_mario_latent.roms.variants import ROM_MODES

START, RIGHT, B, A = 0b00001000, 0b10000000, 0b00000010, 0b00000001
OPER_MODE, OPER_MODE_TASK, PLAYER_STATE = 0x0770, 0x0772, 0x000E  # RAM addresses
RUN_FRAMES = 150
SCALE = 2
GAMES = {SMB1: "smb", LOST_LEVELS: "lost-levels"}


def stage_screen(rom_path: Path) -> np.ndarray:
    """Screen (240, 256, 3) after starting the game and running right for ``RUN_FRAMES`` frames."""
    env = NESEnv(str(rom_path))
    try:
        env.reset()
        frame = 0
        while env.ram[OPER_MODE] != 1:  # tap start on the title screen until the game mode runs
            env.step(START if (frame // 10) % 2 == 0 else 0)
            frame += 1
        while env.ram[OPER_MODE_TASK] != 3 or env.ram[PLAYER_STATE] != 8:  # "WORLD 1-1" screen
            env.step(0)
        for frame in range(RUN_FRAMES):
            jump = A if 60 <= frame % 90 < 80 else 0
            screen, *_ = env.step(RIGHT | B | jump)
        return screen.copy()
    finally:
        env.close()


def save_scaled(screen: np.ndarray, path: Path) -> Image.Image:
    """Save ``screen`` scaled ``SCALE``× with nearest-neighbour, and return the image."""
    height, width, _ = screen.shape
    size = (width * SCALE, height * SCALE)
    image = Image.fromarray(screen).resize(size, Image.Resampling.NEAREST)
    image.save(path)
    return image


def side_by_side(images: list[Image.Image], labels: list[str]) -> Image.Image:
    """The images in one row, each with its label above it."""
    label_height, gap = 24, 8
    width = sum(image.width for image in images) + gap * (len(images) - 1)
    sheet = Image.new("RGB", (width, images[0].height + label_height), "white")
    draw = ImageDraw.Draw(sheet)
    x = 0
    for image, label in zip(images, labels, strict=True):
        draw.text((x + 4, 6), label, fill="black")
        sheet.paste(image, (x, label_height))
        x += image.width + gap
    return sheet


def main() -> None:
    """Write every picture into the output folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rom-dir", help="folder holding the vanilla .nes files")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "rom-modes")
    args = parser.parse_args()
    if args.rom_dir:
        os.environ["GYM_MARIO_LATENT_ROM_DIR"] = args.rom_dir
    args.out.mkdir(parents=True, exist_ok=True)
    for game, prefix in GAMES.items():
        images = []
        for mode in ROM_MODES:
            path = args.out / f"{prefix}-v{mode}.png"
            images.append(save_scaled(stage_screen(rom_path_for_mode(game, mode)), path))
            print(f"wrote {path}")
        labels = [f"v{mode} {name}" for mode, name in ROM_MODES.items()]
        combined = args.out / f"{prefix}-modes.png"
        side_by_side(images, labels).save(combined)
        print(f"wrote {combined}")


if __name__ == "__main__":
    main()
