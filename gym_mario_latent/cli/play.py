"""``gym_super_mario_bros``: play any of our env IDs from the keyboard (``human``) or at random (``random``).

The window uses pygame directly (install the ``human`` extra); random mode without ``--render`` needs no
display at all.
"""

import argparse
import difflib
import math
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import gymnasium as gym
import numpy as np
from tqdm import tqdm

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.actions import BUTTON_BITS, COMPLEX_MOVEMENT
from gym_mario_latent.cli.arguments import OneLineErrorParser, non_negative_int, positive_int
from gym_mario_latent.envs.smb import NES_FPS
from gym_mario_latent.errors import DisplayError, GymMarioLatentError
from gym_mario_latent.registration import RANDOM_STAGES_ENTRY_POINT, all_env_ids
from gym_mario_latent.wrappers import JoypadSpace

PROG = "gym_super_mario_bros"
DEFAULT_ENV_ID = "SuperMarioBros-v0"
DEFAULT_RANDOM_STEPS = 1000
DEFAULT_SCALE = 3
SCREEN_SIZE = (256, 240)  # width, height of the NES picture

# Keyboard keys (pygame key names) to NES buttons (nes-py's JoypadSpace names).
KEYS_TO_BUTTONS = {
    "right": "right",
    "left": "left",
    "up": "up",
    "down": "down",
    "z": "A",
    "s": "A",
    "x": "B",
    "a": "B",
    "return": "start",
}
KEYS_HELP = "arrows = d-pad, Z or S = A (jump), X or A = B (run/fire), Enter = start, Esc = quit"
NO_WINDOW_FIX = (
    "set DISPLAY, run under a virtual display (xvfb-run -a gym_super_mario_bros ...), "
    "or use -m random without --render"
)
# SDL drivers that draw nowhere: SDL falls back to them without a display.
INVISIBLE_VIDEO_DRIVERS = ("offscreen", "dummy")


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``gym_super_mario_bros``."""
    parser = OneLineErrorParser(
        prog=PROG,
        description="Play Super Mario Bros with the keyboard in a window, or watch random play.",
        epilog=f"Human mode keys: {KEYS_HELP}. Human mode shows every NES frame (one frame per step, "
        "whatever the ID's frame skip). Random mode presses uniformly random COMPLEX_MOVEMENT buttons.",
    )
    parser.add_argument("-e", "--env", default=DEFAULT_ENV_ID, help="environment ID (default: %(default)s)")
    parser.add_argument(
        "-m", "--mode", choices=("human", "random"), default="human", help="who plays (default: %(default)s)"
    )
    parser.add_argument(
        "--steps",
        type=positive_int,
        help=f"steps to play (default: until Esc in human mode, {DEFAULT_RANDOM_STEPS} in random mode)",
    )
    parser.add_argument(
        "--seed", type=non_negative_int, help="seed of the reset and of the random presses (an integer ≥ 0)"
    )
    parser.add_argument(
        "--stages", nargs="+", type=_stage_text, metavar="W-S", help="stages to draw from (random-stage IDs)"
    )
    parser.add_argument(
        "--fps",
        type=_non_negative_float,
        help=f"NES frames per second, 0 = as fast as possible (default: {NES_FPS} in a window, "
        "0 in headless random mode)",
    )
    parser.add_argument("--render", action="store_true", help="show random play in a window")
    parser.add_argument(
        "--scale", type=positive_int, default=DEFAULT_SCALE, help="window zoom (default: %(default)s)"
    )
    return parser


def _non_negative_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{text} is not a finite number ≥ 0")
    return value


def _stage_text(text: str) -> str:
    from gym_mario_latent.envs.smb_game import parse_stage

    try:
        parse_stage(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def _check_env_id(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Unknown IDs and misplaced ``--stages`` are usage errors."""
    entry_points = {spec.env_id: spec.entry_point for spec in all_env_ids()}
    if args.env not in entry_points:
        close = difflib.get_close_matches(args.env, entry_points, n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(close)}?" if close else "IDs look like SuperMarioBros-1-1-v0"
        parser.error(f"unknown environment ID {args.env!r}; {hint}")
    if args.stages and entry_points[args.env] != RANDOM_STAGES_ENTRY_POINT:
        families = "SuperMarioBrosRandomStages and SuperMarioBros2RandomStages"
        parser.error(f"--stages only applies to {families} IDs, not {args.env}")


# --- playing -----------------------------------------------------------------------------------
@dataclass
class PlayStats:
    """What happened in a play session."""

    steps: int = 0
    episodes_ended: int = 0
    total_reward: float = 0.0
    furthest_x: dict[str, int] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)

    def record(self, reward: float, info: dict[str, Any], episode_ended: bool) -> None:
        """Count one step."""
        self.steps += 1
        self.total_reward += float(reward)
        self.episodes_ended += episode_ended
        self.info = info
        stage = f"{info['world']}-{info['stage']}"
        self.furthest_x[stage] = max(self.furthest_x.get(stage, 0), info["x_pos"])

    def status_line(self) -> str:
        """World-stage, x_pos, clock and reward so far."""
        info = self.info
        return (
            f"world {info['world']}-{info['stage']}  x_pos {info['x_pos']}  time {info['time']}  "
            f"reward {self.total_reward:.1f}  ({self.steps} steps)"
        )

    def summary(self, seconds: float, frame_skip: int) -> str:
        """The random-play report: episodes, steps, reward, furthest x per stage, speed."""
        furthest = ", ".join(f"{stage}: {x_pos}" for stage, x_pos in sorted(self.furthest_x.items()))
        frames_per_second = self.steps * frame_skip / seconds if seconds > 0 else float("inf")
        return (
            f"episodes: {self.episodes_ended} ended ({self.episodes_ended + 1} started)\n"
            f"steps: {self.steps}\n"
            f"total reward: {self.total_reward:.1f}\n"
            f"furthest x_pos per stage: {furthest}\n"
            f"frames/s: {frames_per_second:.0f}"
        )


class Window:
    """A pygame window showing NES frames scaled up, and the keyboard as a joypad."""

    def __init__(self, title: str, scale: int = DEFAULT_SCALE) -> None:
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        try:
            import pygame
        except ImportError as error:
            raise DisplayError(
                f"the window needs pygame ({error}): pip install 'gym-mario-latent[human]'"
            ) from None
        self.pygame = pygame
        self.size = (SCREEN_SIZE[0] * scale, SCREEN_SIZE[1] * scale)
        try:
            pygame.display.init()
            self.surface = pygame.display.set_mode(self.size)
        except pygame.error as error:
            raise DisplayError(f"cannot open a window ({error}): {NO_WINDOW_FIX}") from None
        driver = pygame.display.get_driver()
        if driver in INVISIBLE_VIDEO_DRIVERS and os.environ.get("SDL_VIDEODRIVER") != driver:
            pygame.display.quit()
            raise DisplayError(
                f"cannot open a window (no display: SDL fell back to its {driver} driver): {NO_WINDOW_FIX}"
            )
        pygame.display.set_caption(title)
        self.clock = pygame.time.Clock()
        self.held_keys: set[int] = set()
        self.buttons = {
            pygame.key.key_code(key): BUTTON_BITS[button] for key, button in KEYS_TO_BUTTONS.items()
        }

    def show(self, frame: np.ndarray) -> None:
        """Draw one ``(240, 256, 3)`` frame."""
        picture = self.pygame.surfarray.make_surface(frame.swapaxes(0, 1))
        self.pygame.transform.scale(picture, self.size, self.surface)
        self.pygame.display.flip()

    def handle_events(self) -> bool:
        """Take the keyboard events; ``False`` when the player quits (Esc or closing the window)."""
        pygame = self.pygame
        for event in pygame.event.get():
            if event.type == pygame.QUIT or (event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE):
                return False
            if event.type == pygame.KEYDOWN:
                self.held_keys.add(event.key)
            elif event.type == pygame.KEYUP:
                self.held_keys.discard(event.key)
        return True

    def joypad(self) -> int:
        """The joypad bitmap of the keys held now."""
        bitmap = 0
        for key in self.held_keys:
            bitmap |= self.buttons.get(key, 0)
        return bitmap

    def wait(self, steps_per_second: float) -> None:
        """Hold the loop to ``steps_per_second`` (0: no wait)."""
        if steps_per_second > 0:
            self.clock.tick(steps_per_second)

    def close(self) -> None:
        """Close the window."""
        self.pygame.display.quit()


def play_human(
    env: gym.Env, window: Window, steps: int | None = None, fps: float = NES_FPS, seed: int | None = None
) -> PlayStats:
    """Play ``env`` from the keyboard until Esc, closing the window, or ``steps`` steps."""
    stats = PlayStats()
    observation, stats.info = env.reset(seed=seed)
    window.show(observation)
    while (steps is None or stats.steps < steps) and window.handle_events():
        observation, reward, terminated, truncated, info = env.step(window.joypad())
        stats.record(reward, info, terminated or truncated)
        window.show(observation)
        if terminated or truncated:
            observation, _ = env.reset()
        window.wait(fps)
    return stats


def play_random(
    env: gym.Env,
    steps: int,
    seed: int | None = None,
    window: Window | None = None,
    steps_per_second: float = 0,
) -> PlayStats:
    """Press uniformly random ``COMPLEX_MOVEMENT`` buttons for ``steps`` steps, with a progress bar."""
    env = JoypadSpace(env, COMPLEX_MOVEMENT)
    env.action_space.seed(seed)
    stats = PlayStats()
    _, stats.info = env.reset(seed=seed)
    with tqdm(total=steps, desc="random play", unit="step", file=sys.stderr) as progress:
        while stats.steps < steps:
            if window is not None and not window.handle_events():
                break
            observation, reward, terminated, truncated, info = env.step(env.action_space.sample())
            stats.record(reward, info, terminated or truncated)
            progress.update()
            if window is not None:
                window.show(observation)
                window.wait(steps_per_second)
            if terminated or truncated:
                env.reset()
    return stats


def window_title(env_id: str) -> str:
    """The window's caption: the ID and the keys."""
    return f"{env_id}  |  {KEYS_HELP}"


def _make_env(args: argparse.Namespace) -> gym.Env:
    kwargs: dict[str, Any] = {"stages": args.stages} if args.stages else {}
    if args.mode == "human":
        kwargs["frame_skip"] = 1  # show every frame
    return gym.make(args.env, **kwargs)


def _run(args: argparse.Namespace) -> int:
    env = _make_env(args)
    window = None
    try:
        if args.mode == "human" or args.render:
            window = Window(window_title(args.env), args.scale)
        if args.mode == "human":
            fps = NES_FPS if args.fps is None else args.fps
            stats = play_human(env, window, args.steps, fps, args.seed)
            print(stats.status_line())
            return 0
        frame_skip = env.unwrapped.frame_skip
        fps = (NES_FPS if args.render else 0) if args.fps is None else args.fps
        started = time.perf_counter()
        stats = play_random(env, args.steps or DEFAULT_RANDOM_STEPS, args.seed, window, fps / frame_skip)
        print(stats.summary(time.perf_counter() - started, frame_skip))
        return 0
    finally:
        env.close()
        if window is not None:
            window.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; errors print one line with the fix and exit with status 2."""
    parser = build_parser()
    args = parser.parse_args(argv)
    _check_env_id(parser, args)
    try:
        return _run(args)
    except GymMarioLatentError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
