"""The ``gym_super_mario_bros`` command: a real pygame window driven by posted key events, random play,
and gym-super-mario-bros 9.1's command lines."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import gymnasium as gym
import pygame
import pytest

from gym_mario_latent.actions import SIMPLE_MOVEMENT
from gym_mario_latent.cli.gym_super_mario_bros import (
    build_parser,
    joypad_to_action,
    main,
    make_env,
    play_human,
    play_random,
    window_title,
)
from gym_mario_latent.envs import smb_game
from gym_mario_latent.viewer import Viewer

SCRIPT = shutil.which("gym_super_mario_bros", path=str(Path(sys.executable).parent))
START_X = 40


@pytest.fixture(autouse=True)
def _headless_window(monkeypatch, smb_rom_path):
    """Windows open on SDL's dummy video driver; the real emulator runs on a verified ROM."""
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    yield
    pygame.display.quit()


def press(*keys: int) -> None:
    """Put key presses on pygame's event queue, as a keyboard would."""
    pygame.display.init()
    for key in keys:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key))


def status_line(output: str) -> dict[str, float]:
    """The numbers of the stats line printed on exit."""
    match = re.search(r"x_pos (\d+)\s+time (\d+)\s+reward (-?[\d.]+)\s+\((\d+) steps\)", output)
    assert match, f"no stats line in {output!r}"
    return dict(zip(("x_pos", "time", "reward", "steps"), map(float, match.groups()), strict=True))


def play_frames(*keys: int, frames: int) -> dict:
    """Hold ``keys`` in a 1-1 window for ``frames`` frames; the info of the last frame."""
    env = gym.make("SuperMarioBros-1-1-v0", frame_skip=1)
    viewer = Viewer("test")
    try:
        press(*keys)
        return play_human(env, viewer, steps=frames, seed=0).info
    finally:
        env.close()
        viewer.close()


def test_holding_right_in_the_window_moves_mario_right(capsys):
    press(pygame.K_RIGHT)
    assert main(["-e", "SuperMarioBros-1-1-v0", "--steps", "90", "--fps", "0"]) == 0
    stats = status_line(capsys.readouterr().out)
    assert stats["steps"] == 90 and stats["x_pos"] > START_X + 30 and stats["reward"] > 0


def test_without_keys_mario_stays_at_the_start(capsys):
    assert main(["-e", "SuperMarioBros-1-1-v0", "--steps", "60", "--fps", "0"]) == 0
    assert status_line(capsys.readouterr().out)["x_pos"] == START_X


def test_jump_key_lifts_mario_and_run_key_makes_him_faster():
    standing = play_frames(frames=20)
    jumping = play_frames(pygame.K_z, frames=20)
    assert jumping["y_pos"] > standing["y_pos"]
    walked = play_frames(pygame.K_RIGHT, frames=90)["x_pos"]
    ran = play_frames(pygame.K_RIGHT, pygame.K_x, frames=90)["x_pos"]
    assert ran > walked > START_X


@pytest.mark.parametrize("event", ["escape", "close"])
def test_escape_or_closing_the_window_quits_cleanly_with_a_stats_line(capsys, event):
    if event == "escape":
        press(pygame.K_RIGHT, pygame.K_ESCAPE)
    else:
        press(pygame.K_RIGHT)
        pygame.event.post(pygame.event.Event(pygame.QUIT))
    assert main(["-e", "SuperMarioBros-1-1-v0", "--steps", "600"]) == 0
    assert status_line(capsys.readouterr().out)["steps"] == 0


def test_window_title_and_help_document_the_keys():
    viewer = Viewer(window_title("SuperMarioBros-v0"), scale=2)
    try:
        viewer.open(240, 256)
        caption = pygame.display.get_caption()[0]
        assert pygame.display.get_surface().get_size() == (512, 480)
    finally:
        viewer.close()
    help_text = " ".join(run_script("--help").stdout.split())
    assert caption.startswith("SuperMarioBros-v0")
    for key_help in ("arrows = d-pad", "Z or S = A", "X or A = B", "Enter = start", "Esc = quit"):
        assert key_help in caption and key_help in help_text


@pytest.mark.parametrize(
    "env_id",
    [
        "SuperMarioBros-v0",
        "SuperMarioBrosNoFrameskip-8-4-v1",
        "SuperMarioBros-4-2-v3",
        "SuperMarioBrosRandomStages-v2",
        "SuperMarioBros2-1-1-v0",
    ],
)
def test_human_mode_plays_every_kind_of_id(capsys, lost_levels_rom_path, env_id):
    press(pygame.K_RIGHT)
    assert main(["-e", env_id, "--steps", "30", "--fps", "0"]) == 0
    assert status_line(capsys.readouterr().out)["steps"] == 30


def run_script(*args: str, **env: str | None) -> subprocess.CompletedProcess:
    """Runs the console script with `env` added to the environment (None: the variable removed)."""
    assert SCRIPT, "the gym_super_mario_bros console script is not installed"
    environment = {name: value for name, value in {**os.environ, **env}.items() if value is not None}
    return subprocess.run([SCRIPT, *args], capture_output=True, text=True, timeout=120, env=environment)


def test_random_mode_end_to_end_prints_a_reproducible_summary():
    args = ("-e", "SuperMarioBros-1-1-v0", "-m", "random", "-s", "150", "--seed", "3", "--no-render")
    first, second = run_script(*args), run_script(*args)
    assert first.returncode == 0, first.stderr
    assert "150/150" in first.stderr  # the progress bar
    summary = ("episodes: ", "steps: 150", "total reward: ", "furthest x_pos per stage: 1-1: ", "frames/s: ")
    for line in summary:
        assert line in first.stdout
    without_speed = [re.sub(r"frames/s: \d+", "", run.stdout) for run in (first, second)]
    assert without_speed[0] == without_speed[1]


def test_both_emulators_play_the_same_random_game():
    args = ("-e", "SuperMarioBros-1-1-v0", "-m", "random", "-s", "100", "--seed", "5", "--no-render")
    runs = [run_script(*args, "--emulator", emulator) for emulator in ("native", "nes-py")]
    assert all(run.returncode == 0 for run in runs), runs[1].stderr
    summaries = [re.sub(r"frames/s: \d+", "", run.stdout) for run in runs]
    assert "steps: 100" in summaries[0] and summaries[0] == summaries[1]


def test_random_mode_can_render_in_a_window():
    result = run_script("-m", "random", "--render", "--steps", "20", "--fps", "0", SDL_VIDEODRIVER="dummy")
    assert result.returncode == 0, result.stderr
    assert "steps: 20" in result.stdout


# no display, and SDL left to choose: it would fall back to drawing off-screen (XDG_RUNTIME_DIR as in a login
# session, else libwayland prints a line of its own)
NO_DISPLAY = {"DISPLAY": None, "WAYLAND_DISPLAY": None, "SDL_VIDEODRIVER": None, "XDG_RUNTIME_DIR": "/tmp"}
NO_WINDOW = (
    "cannot open a window (no display: SDL fell back to its offscreen driver): set DISPLAY, "
    "run under a virtual display (xvfb-run -a gym_super_mario_bros ...)"
)


def test_plain_random_mode_without_a_display_plays_headless_and_says_so_in_one_line():
    result = run_script("-m", "random", "-s", "20", "--no-progress", **NO_DISPLAY)
    assert result.returncode == 0, result.stderr
    assert "steps: 20" in result.stdout
    assert (
        result.stderr
        == f"gym_super_mario_bros: no window, playing headless: {NO_WINDOW}, or use -m random --no-render\n"
    )


# gym-super-mario-bros 9.1's flags, short and long, and what they mean
UPSTREAM_COMMAND_LINES = [
    (
        "-m random -s 20 -a simple --no-render --no-progress",
        {"mode": "random", "steps": 20, "actionspace": "simple", "render": False, "progress": False},
    ),
    (
        "--env SuperMarioBros-1-1-v0 --mode random --actionspace right --steps 20 --no-render",
        {"env": "SuperMarioBros-1-1-v0", "mode": "random", "actionspace": "right", "progress": True},
    ),
    (
        "-e SuperMarioBros-2-1-v0 -m random -a complex --seed 7 -s 20 --no-render",
        {"env": "SuperMarioBros-2-1-v0", "actionspace": "complex", "seed": 7, "steps": 20},
    ),
    ("-m random --steps 20 --no-progress --no-render", {"env": "SuperMarioBros-v0", "actionspace": "nes"}),
]


@pytest.mark.parametrize(("command_line", "meaning"), UPSTREAM_COMMAND_LINES)
def test_upstream_command_lines_parse_with_their_meaning_and_run_headless(capsys, command_line, meaning):
    argv = command_line.split()
    args = build_parser().parse_args(argv)
    assert {name: getattr(args, name) for name in meaning} == meaning
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert "steps: 20" in out
    assert ("20/20" in err) == args.progress  # the progress bar, unless --no-progress


def test_our_defaults_and_upstreams_are_in_the_help():
    help_text = " ".join(run_script("--help").stdout.split())
    for default in (
        "(default: SuperMarioBros-v0)",
        "(default: human)",
        "(default: nes)",
        "500 in random mode",
    ):
        assert default in help_text
    for flag in (
        "-s, --steps",
        "-a, --actionspace",
        "-S, --stages",
        "--render, --no-render",
        "--no-progress",
    ):
        assert flag in help_text


class RecordActions(gym.Wrapper):
    """Passes every action through to the env, and keeps it."""

    def __init__(self, env: gym.Env) -> None:
        super().__init__(env)
        self.actions: list[int] = []

    def step(self, action):
        self.actions.append(int(action))
        return super().step(action)


@pytest.mark.parametrize(
    ("actionspace", "size"), [("nes", 256), ("right", 5), ("simple", 7), ("complex", 12)]
)
def test_random_mode_samples_the_chosen_action_space(actionspace, size):
    args = build_parser().parse_args(["-e", "SuperMarioBros-1-1-v0", "-m", "random", "-a", actionspace])
    env = RecordActions(make_env(args))
    try:
        assert env.action_space == gym.spaces.Discrete(size)
        play_random(env, steps=60, seed=0, progress=False)
    finally:
        env.close()
    assert set(env.actions) <= set(range(size))
    # spread over the space; with nes more distinct bitmaps than the longest list has actions
    assert len(set(env.actions)) > min(size, 24) // 2


def test_human_mode_with_an_action_list_presses_only_the_listed_button_sets():
    to_action = joypad_to_action(SIMPLE_MOVEMENT)
    right, left, b = 0b10000000, 0b01000000, 0b00000010
    assert to_action(right | b) == SIMPLE_MOVEMENT.index(["right", "B"])
    assert to_action(left) == SIMPLE_MOVEMENT.index(["left"])
    assert to_action(left | b) == 0  # not in SIMPLE_MOVEMENT: NOOP, as upstream's human mode
    assert joypad_to_action(None)(left | b) == left | b  # -a nes: the held buttons as they are


@pytest.mark.parametrize(
    ("key", "actionspace", "expected_x"),
    [(pygame.K_RIGHT, "right", "right"), (pygame.K_LEFT, "right", "start"), (pygame.K_LEFT, "nes", "left")],
)
def test_human_mode_keys_act_through_the_chosen_action_space(capsys, key, actionspace, expected_x):
    press(key)
    assert main(["-e", "SuperMarioBros-1-1-v0", "-a", actionspace, "-s", "60", "--fps", "0"]) == 0
    x_pos = status_line(capsys.readouterr().out)["x_pos"]
    assert {"right": x_pos > START_X, "start": x_pos == START_X, "left": x_pos < START_X}[expected_x]


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (("-e", "SuperMarioBros-1-5-v0"), {}, "did you mean SuperMarioBros-1-4-v0"),
        (("-e", "CartPole-v1"), {}, "unknown environment ID 'CartPole-v1'"),
        (("-m", "robot"), {}, "invalid choice: 'robot'"),
        (("--stages", "1-1", "-m", "random"), {}, "--stages only applies to SuperMarioBrosRandomStages"),
        (("-m", "random"), {"GYM_MARIO_LATENT_SMB_ROM": "/no/such/rom.nes"}, "rom import"),
        (("-m", "random"), {"GYM_MARIO_LATENT_SMB_ROM": "/proc/self/mem"}, "cannot read /proc/self/mem"),
        (("-m", "random", "--seed", "-5"), {}, "argument --seed: -5 is negative"),
        (("--fps", "nan"), {}, "argument --fps: nan is not a finite number ≥ 0"),
        (("--fps", "inf"), {}, "argument --fps: inf is not a finite number ≥ 0"),
        (
            ("-m", "human", "--no-render"),
            {},
            "human mode needs a window: --no-render only applies to -m random",
        ),
        (("-m", "random", "-a", "left"), {}, "argument -a/--actionspace: invalid choice: 'left'"),
        (("-m", "random", "-s", "0"), {}, "argument -s/--steps: 0 is not a positive integer"),
        (("-m", "human", "--steps", "5"), NO_DISPLAY, NO_WINDOW),
        (("-m", "random", "--render", "-s", "5"), NO_DISPLAY, NO_WINDOW),
    ],
)
def test_bad_input_is_one_line_with_the_fix_and_exit_status_2(args, env, expected):
    result = run_script(*args, **env)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("gym_super_mario_bros: error: ") and expected in result.stderr


def test_random_mode_plays_a_lost_levels_random_stage_id_in_the_stages_given(capsys):
    args = ["-e", "SuperMarioBros2RandomStages-v0", "-m", "random", "--steps", "5", "--stages", "4-2"]
    assert main([*args, "--seed", "0"]) == 0
    assert "furthest x_pos per stage: 4-2: " in capsys.readouterr().out


def assert_one_error_line(capsys, expected: str) -> None:
    """stderr is the one line ``gym_super_mario_bros: error: ...`` with ``expected`` in it."""
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and error.startswith("gym_super_mario_bros: error: ") and expected in error


def test_a_stage_the_lost_levels_lack_is_one_line_and_exit_status_2(capsys):
    assert main(["-e", "SuperMarioBros2RandomStages-v1", "-m", "random", "--stages", "5-1"]) == 2
    assert_one_error_line(capsys, "stage '5-1' is outside worlds 1-4 and stages 1-4 (the NES Lost Levels ROM")


def test_a_stuck_game_is_one_line_and_exit_status_2(capsys, monkeypatch):
    monkeypatch.setattr(smb_game, "MAX_SKIPPED_FRAMES", 10)  # the title screen takes longer: stuck there
    assert main(["-e", "SuperMarioBros-1-1-v0", "-m", "random", "--steps", "5"]) == 2
    assert_one_error_line(capsys, "the game stayed on the title screen for 10 frames")


def test_a_machine_without_a_runtime_folder_gets_no_sdl_complaint():
    """SDL prints "XDG_RUNTIME_DIR is invalid or not set" where it is unset (headless machines, containers):
    the viewer gives it a private folder, so the only stderr line is ours."""
    result = run_script("-m", "random", "-s", "5", "--no-progress", **{**NO_DISPLAY, "XDG_RUNTIME_DIR": None})
    assert result.returncode == 0, result.stderr
    assert "XDG_RUNTIME_DIR" not in result.stderr
    assert result.stderr.startswith("gym_super_mario_bros: no window, playing headless")


def test_list_envs_prints_every_nes_id_and_the_unknown_id_error_points_to_it(capsys):
    assert main(["--list-envs"]) == 0
    listed = capsys.readouterr().out.split()
    assert "SuperMarioBros-1-1-v0" in listed and "SuperMarioBros2NoFrameskip-4-4-v1" in listed
    assert "MarioLatent-v0" not in listed  # not an NES game: the command cannot play it
    assert len(listed) == len(set(listed)) == 344
    result = run_script("-e", "SuperMarioBros-9-1-v0")
    assert result.returncode == 2 and "--list-envs" in result.stderr
