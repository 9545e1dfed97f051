"""The long identity run: our NES core against nes-py 9, RAM after every frame (and the drawn screens).

    .venv/bin/python benchmarks/nes_identity.py [--steps 2000] [--workers 2] [--screens]

The regular suite (tests/test_nes_core_identity.py) plays a few hundred steps per stage; this plays
``--steps`` per stage and part, over the same variety: the whole game from power-on (title screen, three
lives, game over, new game) with COMPLEX_MOVEMENT, every stage of Super Mario Bros with SIMPLE_MOVEMENT and
COMPLEX_MOVEMENT at frame skips 4 and 1, every Lost Levels stage, the generated ROM modes v1-v3, with a
snapshot taken and reloaded every few dozen steps. It prints the frames compared per part, the total, and
the first difference if any (exit status 1).
"""

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor

from gym_mario_latent.actions import COMPLEX_MOVEMENT, SIMPLE_MOVEMENT
from gym_mario_latent.envs.emulator_identity import emulators_for, play_side_by_side
from gym_mario_latent.envs.smb_game import Stage
from gym_mario_latent.registration import STAGES, game_worlds
from gym_mario_latent.roms import LOST_LEVELS, SMB1, find_rom, rom_path_for_mode
from gym_mario_latent.wrappers import JoypadSpace


def bitmaps(movement: list[list[str]]) -> list[int]:
    return [sum(JoypadSpace._button_map[name] for name in combo) for combo in movement]


def parts(steps: int) -> list[tuple[str, dict]]:
    """(name, play_side_by_side arguments besides the emulators) of every part of the run."""
    simple, complex_ = bitmaps(SIMPLE_MOVEMENT), bitmaps(COMPLEX_MOVEMENT)
    runs = [
        (
            "whole game from power-on",
            {"game": SMB1, "stages": [None], "actions": complex_, "single_stage": False},
        )
    ]
    runs.append(
        (
            "game over and new game",
            {"game": SMB1, "stages": [None], "actions": bitmaps([["right"]]), "single_stage": False},
        )
    )
    for world in game_worlds(lost_levels=False):
        stages = [Stage(world, stage) for stage in STAGES]
        runs.append((f"world {world} SIMPLE fs4", {"game": SMB1, "stages": stages, "actions": simple}))
        runs.append(
            (
                f"world {world} COMPLEX fs1",
                {"game": SMB1, "stages": stages, "actions": complex_, "frame_skip": 1},
            )
        )
    for world in game_worlds(lost_levels=True):
        stages = [Stage(world, stage, lost_levels=True) for stage in STAGES]
        runs.append(
            (
                f"Lost Levels world {world}",
                {"game": LOST_LEVELS, "stages": stages, "actions": complex_, "lost_levels": True},
            )
        )
    for mode in (1, 2, 3):
        runs.append(
            (
                f"ROM mode v{mode}",
                {"game": SMB1, "rom_mode": mode, "stages": [Stage(1, 1), Stage(4, 1)], "actions": simple},
            )
        )
    for _, kwargs in runs:
        kwargs["steps_per_stage"] = steps
    return runs


def run_part(name: str, kwargs: dict, seed: int, screens: bool) -> tuple[str, object, float]:
    kwargs = dict(kwargs)
    rom = rom_path_for_mode(kwargs.pop("game"), kwargs.pop("rom_mode", 0), None)
    start = time.perf_counter()
    report = play_side_by_side(*emulators_for(rom), seed=seed, snapshot_every=47, screens=screens, **kwargs)
    return name, report, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=2000, help="agent steps per stage and part")
    parser.add_argument("--workers", type=int, default=2, help="parts played at once (processes)")
    parser.add_argument("--screens", action="store_true", help="compare every drawn screen too (slower)")
    args = parser.parse_args()
    find_rom(SMB1), find_rom(LOST_LEVELS)  # a clear error now rather than in a worker
    total = screens = 0
    failed = False
    with ProcessPoolExecutor(args.workers) as pool:
        futures = [
            pool.submit(run_part, name, kwargs, seed, args.screens)
            for seed, (name, kwargs) in enumerate(parts(args.steps))
        ]
        for future in futures:
            name, report, seconds = future.result()
            total += report.frames
            screens += report.screens
            status = "identical" if report.divergence is None else f"DIFFERS: {report.divergence}"
            counts = f"{report.frames:>9} frames {report.episodes:>4} episodes {seconds:>7.0f} s"
            print(f"{name:<28} {counts}  {status}")
            sys.stdout.flush()
            failed |= report.divergence is not None
    print(f"total: {total} frames compared (RAM after every frame), {screens} screens compared")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
