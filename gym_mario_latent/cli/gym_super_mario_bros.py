"""``gym_super_mario_bros``: play any of our env IDs from the keyboard (``human``) or at random (``random``).

Every invocation of gym-super-mario-bros 9.1's command runs unchanged with the same meaning (``-e``, ``-m``,
``-a``, ``-s``, ``--seed``, ``--render/--no-render``, ``--no-progress``), plus ``-S/--stages``, ``--fps`` and
``--scale``. The window is the package's pygame :class:`~gym_mario_latent.viewer.Viewer` (the ``human``
extra); random mode without a display plays headless.
"""

import argparse
import difflib
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import gymnasium as gym
from nes_py.nes_env import SCREEN_HEIGHT, SCREEN_WIDTH
from tqdm import tqdm

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.actions import COMPLEX_MOVEMENT, RIGHT_ONLY, SIMPLE_MOVEMENT, joypad_bitmaps
from gym_mario_latent.cli.arguments import (
    DefaultsHelpFormatter,
    OneLineErrorParser,
    non_negative_int,
    positive_int,
)
from gym_mario_latent.emulator import EMULATORS
from gym_mario_latent.envs.smb import HUMAN_RENDER_SCALE, NES_FPS
from gym_mario_latent.errors import DisplayError, GymMarioLatentError
from gym_mario_latent.registration import (
    LATENT_ENTRY_POINT,
    RANDOM_STAGES_ENTRY_POINT,
    EnvIdSpec,
    all_env_ids,
)
from gym_mario_latent.viewer import KEYS_HELP, Viewer
from gym_mario_latent.wrappers import JoypadSpace

PROG = "gym_super_mario_bros"
DEFAULT_ENV_ID = "SuperMarioBros-v0"
DEFAULT_RANDOM_STEPS = 500  # as gym-super-mario-bros' -s
# -a: the full joypad (None: the 256 bitmaps) or an action list wrapped with JoypadSpace, as upstream's names
ACTION_SPACES: dict[str, list[list[str]] | None] = {
    "nes": None,
    "right": RIGHT_ONLY,
    "simple": SIMPLE_MOVEMENT,
    "complex": COMPLEX_MOVEMENT,
}
NO_WINDOW_FIX = (
    "set DISPLAY, run under a virtual display (xvfb-run -a gym_super_mario_bros ...), "
    "or use -m random --no-render"
)


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``gym_super_mario_bros``."""
    parser = OneLineErrorParser(
        prog=PROG,
        description="Play Super Mario Bros with the keyboard in a window, or watch random play.",
        epilog=f"Human mode keys: {KEYS_HELP}. Human mode shows every NES frame (one frame per step, "
        "whatever the ID's frame skip).",
        formatter_class=DefaultsHelpFormatter,
    )
    parser.add_argument("-e", "--env", default=DEFAULT_ENV_ID, help="environment ID (see --list-envs)")
    parser.add_argument(
        "--list-envs", action="store_true", help="print every environment ID this command plays, and exit"
    )
    parser.add_argument("-m", "--mode", choices=("human", "random"), default="human", help="who plays")
    parser.add_argument(
        "-a",
        "--actionspace",
        choices=tuple(ACTION_SPACES),
        default="nes",
        help="the actions: nes = all 256 joypad bitmaps, right/simple/complex = the RIGHT_ONLY/"
        "SIMPLE_MOVEMENT/COMPLEX_MOVEMENT lists. Random mode presses uniformly random ones; human mode "
        "presses the held keys only when they make one of the actions (else nothing)",
    )
    parser.add_argument(
        "-s",
        "--steps",
        type=positive_int,
        help=f"steps to play (default: until Esc in human mode, {DEFAULT_RANDOM_STEPS} in random mode)",
    )
    parser.add_argument(
        "--seed", type=non_negative_int, help="seed of the reset and of the random presses (an integer ≥ 0)"
    )
    parser.add_argument(
        "-S",
        "--stages",
        nargs="+",
        type=_stage_text,
        metavar="W-S",
        help="stages to draw from (random-stage IDs)",
    )
    parser.add_argument(
        "--fps",
        type=_non_negative_float,
        help=f"NES frames per second in a window, 0 = as fast as possible (default: {NES_FPS})",
    )
    parser.add_argument(
        "--render",
        action=argparse.BooleanOptionalAction,
        help="show the game in a window (default: always in human mode; in random mode when a window "
        "can open, else it plays headless and says so)",
    )
    parser.add_argument(
        "--no-progress", dest="progress", action="store_false", help="no progress bar in random mode"
    )
    parser.add_argument("--scale", type=positive_int, default=HUMAN_RENDER_SCALE, help="window zoom")
    parser.add_argument(
        "--emulator",
        choices=EMULATORS,
        help="the NES emulator: native = this package's own C core (the same game as nes-py, about ten "
        "times faster), nes-py = nes-py's (default: native, or nes-py with a warning where the core was "
        "not built)",
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


def nes_env_ids() -> list[EnvIdSpec]:
    """The IDs this command plays: every NES ID (not the latent-level ones)."""
    return [spec for spec in all_env_ids() if spec.entry_point != LATENT_ENTRY_POINT]


def _check_env_id(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Unknown IDs, misplaced ``--stages`` and a human mode without a window are usage errors."""
    entry_points = {spec.env_id: spec.entry_point for spec in nes_env_ids()}
    if args.env not in entry_points:
        close = difflib.get_close_matches(args.env, entry_points, n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(close)}?" if close else "IDs look like SuperMarioBros-1-1-v0"
        parser.exit(
            2,
            f"{PROG}: error: unknown environment ID {args.env!r}; {hint} (gym_super_mario_bros "
            "--list-envs lists them all)\n",
        )
    if args.stages and entry_points[args.env] != RANDOM_STAGES_ENTRY_POINT:
        families = "SuperMarioBrosRandomStages and SuperMarioBros2RandomStages"
        parser.error(f"--stages only applies to {families} IDs, not {args.env}")
    if args.mode == "human" and args.render is False:
        parser.error("human mode needs a window: --no-render only applies to -m random")


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


def joypad_to_action(actions: list[list[str]] | None) -> Callable[[int], int]:
    """Human mode's action for the buttons held: the bitmap itself on the full joypad; with an action list,
    the action of exactly those buttons, else action 0 (NOOP), as gym-super-mario-bros' human mode."""
    if actions is None:
        return int
    index_of = {bitmap: index for index, bitmap in enumerate(joypad_bitmaps(actions))}
    return lambda bitmap: index_of.get(bitmap, 0)


def play_human(
    env: gym.Env,
    viewer: Viewer,
    steps: int | None = None,
    seed: int | None = None,
    to_action: Callable[[int], int] = int,
) -> PlayStats:
    """Play ``env`` from the keyboard until Esc, closing the window, or ``steps`` steps.

    ``to_action`` turns the joypad bitmap of the keys held into ``env``'s action (see
    :func:`joypad_to_action`).
    """
    stats = PlayStats()
    observation, stats.info = env.reset(seed=seed)
    viewer.show(observation)
    while (steps is None or stats.steps < steps) and not viewer.quit_requested:
        observation, reward, terminated, truncated, info = env.step(to_action(viewer.joypad()))
        stats.record(reward, info, terminated or truncated)
        if terminated or truncated:
            observation, _ = env.reset()
        viewer.show(observation)
    return stats


def play_random(
    env: gym.Env, steps: int, seed: int | None = None, viewer: Viewer | None = None, progress: bool = True
) -> PlayStats:
    """Press uniformly random actions of ``env``'s action space for ``steps`` steps (or until Esc)."""
    env.action_space.seed(seed)
    stats = PlayStats()
    _, stats.info = env.reset(seed=seed)
    with tqdm(total=steps, desc="random play", unit="step", file=sys.stderr, disable=not progress) as bar:
        while stats.steps < steps and not (viewer is not None and viewer.quit_requested):
            observation, reward, terminated, truncated, info = env.step(env.action_space.sample())
            stats.record(reward, info, terminated or truncated)
            bar.update()
            if viewer is not None:
                viewer.show(observation)
            if terminated or truncated:
                env.reset()
    return stats


def window_title(env_id: str) -> str:
    """The window's caption: the ID and the keys."""
    return f"{env_id}  |  {KEYS_HELP}"


def make_env(args: argparse.Namespace) -> gym.Env:
    """The env of the command line: ``-e``, ``-S``, ``--emulator``, every frame in human mode, and ``-a``."""
    kwargs: dict[str, Any] = {"stages": args.stages} if args.stages else {}
    if args.emulator is not None:
        kwargs["emulator"] = args.emulator
    if args.mode == "human":
        kwargs["frame_skip"] = 1  # show every frame
    env = gym.make(args.env, **kwargs)
    actions = ACTION_SPACES[args.actionspace]
    return env if actions is None else JoypadSpace(env, actions)


def _open_viewer(args: argparse.Namespace, frame_skip: int) -> Viewer | None:
    """The window (at ``--fps`` NES frames per second), or ``None`` for headless random play.

    Random mode without ``--render``/``--no-render`` plays headless, saying why, when no window opens.
    """
    if args.render is False:
        return None
    fps = NES_FPS if args.fps is None else args.fps
    title = window_title(args.env)
    viewer = Viewer(title, scale=args.scale, fps=fps / frame_skip, no_window_fix=NO_WINDOW_FIX)
    try:
        viewer.open(SCREEN_HEIGHT, SCREEN_WIDTH)
    except DisplayError as error:
        if args.mode == "human" or args.render:
            raise
        print(f"{PROG}: no window, playing headless: {error}", file=sys.stderr)
        return None
    return viewer


def _run(args: argparse.Namespace) -> int:
    env = make_env(args)
    viewer = None
    try:
        frame_skip = env.unwrapped.frame_skip
        viewer = _open_viewer(args, frame_skip)
        if args.mode == "human":
            to_action = joypad_to_action(ACTION_SPACES[args.actionspace])
            stats = play_human(env, viewer, args.steps, args.seed, to_action)
            print(stats.status_line())
            return 0
        started = time.perf_counter()
        stats = play_random(env, args.steps or DEFAULT_RANDOM_STEPS, args.seed, viewer, args.progress)
        print(stats.summary(time.perf_counter() - started, frame_skip))
        return 0
    finally:
        env.close()
        if viewer is not None:
            viewer.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; errors print one line with the fix and exit with status 2."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.list_envs:
        print("\n".join(spec.env_id for spec in nes_env_ids()))
        return 0
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
