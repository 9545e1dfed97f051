"""The Super Mario Bros envs on the real emulator (our NES core, the default) with a real ROM."""

import functools
import json
import pickle
import shutil
import sys
import warnings
from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env
from simulator_support import run_in_virtual_display

import gym_mario_latent
from gym_mario_latent.actions import COMPLEX_MOVEMENT, RIGHT_ONLY, SIMPLE_MOVEMENT, joypad_bitmaps
from gym_mario_latent.envs import smb_game
from gym_mario_latent.envs.smb_game import DEATH_PENALTY
from gym_mario_latent.errors import DisplayWarning, GameStuckError, StageError
from gym_mario_latent.registration import all_env_ids
from gym_mario_latent.wrappers import BinarySpaceToDiscreteSpaceEnv, JoypadSpace

RIGHT, RIGHT_RUN = 0b10000000, 0b10000010
ROUTE_1_1 = [int(c) for c in (Path(__file__).parent / "data" / "flag_route_1_1.txt").read_text().strip()]
INFO_KEYS = {"coins", "flag_get", "life", "score", "stage", "status", "time", "world", "x_pos"}


@pytest.fixture(autouse=True)
def _needs_rom(smb_rom_path):
    """Every test here runs on the real ROM (the fixture fails loudly when there is none)."""


def make(env_id: str, actions: list | None = None, **kwargs) -> gym.Env:
    env = gym.make(env_id, **kwargs)
    return JoypadSpace(env, actions) if actions else env


@pytest.fixture
def mario_env(make_env):
    """:func:`make`, the env closed at teardown."""
    return functools.partial(make_env, make)


def expected_reward(before: dict, after: dict, died: bool) -> float:
    """The seed's reward recomputed from two consecutive infos."""
    v = after["x_pos"] - before["x_pos"]
    c = min(0, after["time"] - before["time"])
    d = DEATH_PENALTY if died else 0
    return float(np.clip(v + c + d, -15, 15))


@pytest.mark.parametrize(
    "env_id",
    [
        "SuperMarioBros-v0",
        "SuperMarioBros-1-1-v0",
        "SuperMarioBrosNoFrameskip-4-2-v3",
        "SuperMarioBros2-v1",
        "SuperMarioBros2NoFrameskip-2-1-v0",
        "SuperMarioBrosRandomStages-v2",
    ],
)
def test_gymnasium_env_checker_passes(env_id, make_env):
    env = make_env(env_id)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_env(env.unwrapped, skip_render_check=True)


def test_every_documented_id_family_is_registered():
    ids = {spec.env_id for spec in all_env_ids()}
    assert ids <= set(gym.registry)
    for world in range(1, 9):
        for stage in range(1, 5):
            for mode in range(4):
                assert f"SuperMarioBros-{world}-{stage}-v{mode}" in gym.registry
                assert f"SuperMarioBrosNoFrameskip-{world}-{stage}-v{mode}" in gym.registry
            for mode in range(2):  # The Lost Levels' NES ROM has worlds 1-4 (tests/test_lost_levels.py)
                assert (f"SuperMarioBros2-{world}-{stage}-v{mode}" in gym.registry) == (world <= 4)
    for family in ("SuperMarioBros", "SuperMarioBrosRandomStages", "SuperMarioBrosNoFrameskip"):
        for mode in range(4):
            assert f"{family}-v{mode}" in gym.registry
    for family in ("SuperMarioBros2", "SuperMarioBros2NoFrameskip", "SuperMarioBros2RandomStages"):
        assert {f"{family}-v0", f"{family}-v1"} <= set(gym.registry)
    nes_ids = {env_id for env_id in ids if env_id.startswith("SuperMarioBros")}
    assert len(nes_ids) == 2 * (4 + 4 + 32 * 4) + 2 * (2 + 2 + 16 * 2) == 344
    assert ids - nes_ids == {"MarioLatent-v0", "MarioLatentLevel-v0"}
    assert gym_mario_latent.make is gym.make


def test_nes_pys_deprecated_seed_method_is_hidden_with_the_fix(make_env):
    env = make_env("SuperMarioBros-1-1-v0").unwrapped
    assert getattr(env, "seed", None) is None  # what Gymnasium's env checker looks for
    with pytest.raises(AttributeError, match=r"seed\(\) is not supported: seed through reset\(seed=\.\.\.\)"):
        env.seed(0)


def test_each_action_list_starts_with_the_smaller_one_and_complex_movement_has_12_with_down():
    assert SIMPLE_MOVEMENT[:5] == RIGHT_ONLY and COMPLEX_MOVEMENT[:7] == SIMPLE_MOVEMENT
    assert len(COMPLEX_MOVEMENT) == 12 and ["down"] in COMPLEX_MOVEMENT


def test_the_old_wrapper_name_is_joypad_space_giving_a_discrete_space_and_button_meanings(mario_env):
    assert BinarySpaceToDiscreteSpaceEnv is JoypadSpace
    env = mario_env("SuperMarioBros-1-1-v0", SIMPLE_MOVEMENT)
    assert env.action_space == gym.spaces.Discrete(7)
    assert env.get_action_meanings()[2] == "right A"


def test_holding_right_and_run_moves_mario_right(mario_env):
    env = mario_env("SuperMarioBros-1-1-v0")
    _, info = env.reset(seed=0)
    start_x = info["x_pos"]
    for _ in range(15):  # the first goomba is further on
        _, reward, terminated, truncated, info = env.step(RIGHT_RUN)
        assert not (terminated or truncated) and reward >= 0
    assert info["x_pos"] > start_x + 100
    assert set(info) >= INFO_KEYS
    assert (info["world"], info["stage"], info["life"], info["status"]) == (1, 1, 3, "small")


@pytest.mark.parametrize(
    "env_id,min_deaths", [("SuperMarioBros-1-1-v0", 1), ("SuperMarioBrosNoFrameskip-1-1-v0", 0)]
)
def test_each_step_reward_is_v_plus_c_plus_d_from_consecutive_infos(env_id, min_deaths, mario_env):
    env = mario_env(env_id, SIMPLE_MOVEMENT)
    rng = np.random.default_rng(1)
    _, before = env.reset(seed=1)
    checked = deaths = 0
    for _ in range(1500):
        _, reward, terminated, _, after = env.step(int(rng.integers(len(SIMPLE_MOVEMENT))))
        died = after["is_dying"]
        assert reward == expected_reward(before, after, died)
        assert -15 <= reward <= 15
        checked += 1
        deaths += died
        before = env.reset()[1] if terminated else after
    assert checked == 1500 and deaths >= min_deaths


def test_walking_into_the_first_goomba_costs_minus_15_and_ends_a_stage_env(mario_env):
    env = mario_env("SuperMarioBros-1-1-v0")
    _, before = env.reset(seed=0)
    for _ in range(200):
        _, reward, terminated, truncated, after = env.step(RIGHT)
        if terminated:
            break
        before = after
    assert terminated and not truncated
    assert after["is_dying"] and 250 < after["x_pos"] < 400
    assert reward == expected_reward(before, after, died=True) < 0
    with pytest.raises(RuntimeError, match="reset"):
        env.step(RIGHT)


def test_falling_in_the_first_pit_is_a_death(mario_env):
    env = mario_env("SuperMarioBros-1-1-v0", RIGHT_ONLY)
    env.reset(seed=0)
    for action in ROUTE_1_1[:106]:
        _, _, terminated, _, info = env.step(action)
        assert not terminated
    for _ in range(80):
        _, reward, terminated, _, info = env.step(RIGHT_ONLY.index(["right"]))
        if terminated:
            break
    assert terminated and info["is_dying"] and info["y_pos"] > 240
    assert 1080 < info["x_pos"] < 1200 and reward < -5


def test_going_down_a_pipe_teleports_without_a_huge_velocity_reward(mario_env):
    env = mario_env("SuperMarioBros-1-1-v0", COMPLEX_MOVEMENT)
    env.reset(seed=0)
    for action in ROUTE_1_1[:104]:  # RIGHT_ONLY indices mean the same in COMPLEX_MOVEMENT; onto pipe 4
        _, _, _, _, before = env.step(action)
    for _ in range(40):
        _, reward, terminated, _, after = env.step(COMPLEX_MOVEMENT.index(["down"]))
        if abs(after["x_pos"] - before["x_pos"]) > 100:
            break
        before = after
    assert not terminated
    assert before["x_pos"] > 900 and after["x_pos"] < 100  # the teleport happened inside this step
    assert abs(reward) <= 5  # a frame moving more than 5 pixels counts 0, so no -890 here


def test_recorded_route_reaches_the_1_1_flag(mario_env):
    env = mario_env("SuperMarioBros-1-1-v0", RIGHT_ONLY)
    env.reset(seed=0)
    total = 0.0
    steps = 0
    for action in ROUTE_1_1:
        _, reward, terminated, _, info = env.step(action)
        total, steps = total + reward, steps + 1
        if terminated:
            break
    assert terminated and info["flag_get"] and not info["is_dying"]
    assert steps == len(ROUTE_1_1)
    assert info["x_pos"] > 3100 and total > 2500


def test_full_game_plays_three_lives_then_terminates(mario_env):
    env = mario_env("SuperMarioBros-v0")
    _, info = env.reset(seed=0)
    assert info["life"] == 3
    lives_seen = [info["life"]]
    for _ in range(600):
        _, reward, terminated, _, info = env.step(RIGHT)
        if info["life"] != lives_seen[-1]:
            lives_seen.append(info["life"])
            assert reward < 0  # the death penalty outweighs the last few pixels of motion
        if terminated:
            break
    assert terminated and lives_seen == [3, 2, 1, 0]


def test_a_cut_scene_that_never_ends_raises_instead_of_hanging(monkeypatch, mario_env):
    env = mario_env("SuperMarioBros-v0")
    env.reset(seed=0)
    monkeypatch.setattr(smb_game, "MAX_SKIPPED_FRAMES", 10)  # a between-lives screen takes ~140 frames
    with pytest.raises(GameStuckError, match="stayed in a cut-scene for 10 frames"):
        for _ in range(200):
            env.step(RIGHT)  # into the first goomba


def test_full_game_goes_on_to_1_2_after_the_flag(mario_env):
    env = mario_env("SuperMarioBros-v0", RIGHT_ONLY)
    env.reset(seed=0)
    for action in ROUTE_1_1:
        _, reward, terminated, _, info = env.step(action)
        assert not terminated and abs(reward) <= 15
    for _ in range(10):
        _, _, _, _, info = env.step(0)
    assert (info["world"], info["stage"], info["life"]) == (1, 2, 3)


def test_random_stage_draws_are_reproducible_by_seed_and_respect_stages(make_env):
    env = make_env("SuperMarioBrosRandomStages-v0")
    draws = {seed: env.reset(seed=seed)[1] for seed in range(6)}
    stages = {(info["world"], info["stage"]) for info in draws.values()}
    assert len(stages) >= 3
    for seed, info in draws.items():
        again = env.reset(seed=seed)[1]
        assert (again["world"], again["stage"]) == (info["world"], info["stage"])
    allowed = {(1, 4), (6, 2)}
    seen = set()
    for seed in range(8):
        _, info = env.reset(seed=seed, options={"stages": ["1-4", "6-2"]})
        seen.add((info["world"], info["stage"]))
    assert seen == allowed
    restricted = make_env("SuperMarioBrosRandomStages-v0", stages=["3-3"])
    assert (restricted.reset(seed=5)[1]["world"], restricted.reset()[1]["stage"]) == (3, 3)
    with pytest.raises(ValueError, match="W-S"):
        env.reset(options={"stages": ["9-9x"]})


@pytest.mark.parametrize(
    "name", ["１-１", "1-١", "١-1"], ids=["full-width", "arabic-indic-stage", "arabic-indic-world"]
)
def test_stage_names_take_ascii_digits_only(name, make_env):
    with pytest.raises(StageError, match="is not of the form 'W-S'"):
        make_env("SuperMarioBrosRandomStages-v0", stages=[name])


@pytest.mark.parametrize("stages", [[], ["1-1", None], [None]], ids=["empty", "with-None", "only-None"])
def test_random_stages_refuse_an_empty_list_or_none_in_it_at_make_and_reset(stages, make_env):
    with pytest.raises(ValueError, match="non-empty list like"):
        make_env("SuperMarioBrosRandomStages-v0", stages=stages)
    env = make_env("SuperMarioBrosRandomStages-v0")
    with pytest.raises(ValueError, match="non-empty list like"):
        env.reset(options={"stages": stages})


@pytest.mark.parametrize("action", [3.7, -0.5, "7", True, np.float32(3.0), 256, -1, None, [3]])
def test_a_step_refuses_what_is_not_an_integer_joypad_bitmap(action, make_env):
    env = make_env("SuperMarioBros-1-1-v0").unwrapped
    env.reset(seed=0)
    with pytest.raises(ValueError, match=r"is not an integer in 0\.\.255"):
        env.step(action)
    assert env.step(np.uint8(128))[4]["x_pos"] >= 40  # integer types of any width are fine


@pytest.mark.parametrize("action", [7, -1, 2.0, True])
def test_joypad_space_refuses_an_action_outside_its_list_with_the_valid_range(action, mario_env):
    env = mario_env("SuperMarioBros-1-1-v0", SIMPLE_MOVEMENT)
    env.reset(seed=0)
    with pytest.raises(ValueError, match=r"is not an integer in 0\.\.6"):
        env.step(action)
    env.step(np.int64(6))


@pytest.mark.parametrize(
    "env_id,frames", [("SuperMarioBros-1-1-v0", 4), ("SuperMarioBrosNoFrameskip-1-1-v0", 1)]
)
def test_one_step_is_exactly_frame_skip_emulator_frames(env_id, frames, make_env):
    env = make_env(env_id).unwrapped
    env.reset(seed=0)
    for _ in range(10):
        start = env._env.dump_state()
        env.step(RIGHT_RUN)
        after_step = env.ram.copy()
        env._env.load_state(start)
        for _ in range(frames - 1):
            env._env.frame_advance(RIGHT_RUN)
            assert not np.array_equal(env.ram, after_step)  # one frame short: not there yet
        env._env.frame_advance(RIGHT_RUN)
        assert np.array_equal(env.ram, after_step)
        env._env.load_state(start)
        env.step(RIGHT_RUN)
    assert env.metadata["render_fps"] == 60 / frames


def test_rom_modes_play_identically_but_look_different(mario_env):
    trajectories, screens = {}, {}
    for mode in range(4):
        env = mario_env(f"SuperMarioBros-1-1-v{mode}", RIGHT_ONLY)
        env.reset(seed=0)
        steps = [env.step(action) for action in ROUTE_1_1[:60]]
        trajectories[mode] = [(reward, terminated, info) for _, reward, terminated, _, info in steps]
        screens[mode] = steps[-1][0]
    for mode in (1, 2, 3):
        assert trajectories[mode] == trajectories[0]
        assert not np.array_equal(screens[mode], screens[0])


def test_observations_are_fresh_arrays_unless_a_view_is_asked_for(make_env):
    env = make_env("SuperMarioBros-1-1-v0")
    first, _ = env.reset(seed=0)
    second = env.step(RIGHT_RUN)[0]
    assert first is not second and not np.shares_memory(first, second)
    assert env.observation_space.contains(second)
    emulator = env.unwrapped._env
    assert np.array_equal(second, emulator.copy_screen_rgb())  # exactly the emulator's own RGB conversion
    kept = second.copy()
    env.step(RIGHT_RUN)
    assert np.array_equal(second, kept) and not np.array_equal(second, emulator.copy_screen_rgb())
    gray = make_env("SuperMarioBros-1-1-v0", observation_mode="grayscale")
    assert gray.reset()[0].shape == (240, 256) == gray.observation_space.shape
    view = make_env("SuperMarioBros-1-1-v0", observation_mode="rgb_view")
    a, _ = view.reset()
    with warnings.catch_warnings():  # Gymnasium >= 1.3's checker warns that they share memory, as it should
        warnings.simplefilter("ignore", UserWarning)
        b = view.step(RIGHT_RUN)[0]
    assert np.shares_memory(a, b)
    with pytest.raises(ValueError, match="observation_mode"):
        make_env("SuperMarioBros-1-1-v0", observation_mode="rgba")


def test_rgb_array_render_shows_the_current_frame(make_env):
    env = make_env("SuperMarioBros-1-1-v0", render_mode="rgb_array")
    env.reset(seed=0)
    obs = env.step(RIGHT_RUN)[0]
    assert np.array_equal(env.render(), obs)
    env.close()
    env.close()  # closing twice is harmless


HUMAN_RENDER = """
import json, warnings
import gymnasium as gym, numpy as np, pygame
from gymnasium.utils.env_checker import check_env
import gym_mario_latent
env = gym.make("SuperMarioBros-1-1-v0", render_mode="human")
assert not pygame.display.get_init()  # the window opens at the first frame
env.reset(seed=0)
for _ in range(20):
    observation = env.step(0b10000010)[0]
viewer = env.unwrapped.viewer
shown = pygame.surfarray.array3d(pygame.display.get_surface()).swapaxes(0, 1)
report = {
    "viewer": type(viewer).__name__,
    "caption": pygame.display.get_caption()[0],
    "size": pygame.display.get_surface().get_size(),
    "shows_the_frame_scaled": bool(np.array_equal(shown, observation.repeat(3, 0).repeat(3, 1))),
    "fps": [viewer.fps, env.metadata["render_fps"]],
}
env.close()
report["closed"] = not viewer.is_open and not pygame.display.get_init()
with warnings.catch_warnings():
    warnings.simplefilter("error")
    warnings.filterwarnings("ignore", ".*is out of date", DeprecationWarning)  # v0 is a ROM mode, not old
    for mode in ("human", "rgb_array"):  # either way the checker renders every mode
        checked = gym.make("SuperMarioBros-1-1-v0", render_mode=mode)
        check_env(checked.unwrapped)
        checked.close()
print(json.dumps(report))
"""


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run (Debian package xvfb)")
def test_human_render_mode_shows_each_frame_scaled_at_real_speed_and_passes_the_full_checker():
    result = run_in_virtual_display(sys.executable, "-c", HUMAN_RENDER)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "viewer": "Viewer",
        "caption": "SuperMarioBros-1-1-v0",
        "size": [768, 720],
        "shows_the_frame_scaled": True,
        "fps": [15.0, 15.0],  # 60 NES frames per second, 4 frames a step
        "closed": True,
    }


@pytest.mark.parametrize("render_mode", ["rgb_array", "human"])
def test_full_env_checker_passes_without_a_display_and_human_mode_warns_with_the_fix(
    monkeypatch, render_mode, make_env
):
    for variable in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        monkeypatch.delenv(variable, raising=False)
    env = make_env("SuperMarioBros-1-1-v0", render_mode=render_mode)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_env(env.unwrapped)  # renders in every declared mode, "human" included
    env.close()  # closing is part of what is checked: it shuts SDL down
    assert caught, "the human-mode window cannot open here, and says so"
    for warning in caught:
        assert warning.category is DisplayWarning
        assert str(warning.message).startswith("cannot open a window") and "xvfb-run" in str(warning.message)
    import pygame

    assert not pygame.display.get_init()  # SDL is left as it was, not on its offscreen driver


def test_truncation_comes_only_from_a_time_limit(make_env):
    env = make_env("SuperMarioBros-1-1-v0", max_episode_steps=5)
    env.reset(seed=0)
    flags = [env.step(0)[2:4] for _ in range(5)]
    assert flags[:4] == [(False, False)] * 4 and flags[4] == (False, True)


def test_seed_passes_through_joypad_space_and_resets_are_deterministic(mario_env):
    env = mario_env("SuperMarioBros-1-1-v0", SIMPLE_MOVEMENT)
    obs_a, info_a = env.reset(seed=123)
    obs_b, info_b = env.reset(seed=123)
    assert np.array_equal(obs_a, obs_b) and info_a == info_b
    assert env.unwrapped.np_random_seed == 123


def test_env_pickles_as_a_fresh_env_of_the_same_kind(make_env):
    env = make_env("SuperMarioBrosNoFrameskip-2-3-v1").unwrapped
    clone = make_env(pickle.loads, pickle.dumps(env))
    assert (clone.frame_skip, clone.rom_mode, clone.stage) == (1, 1, env.stage)
    _, info = clone.reset()
    assert (info["world"], info["stage"]) == (2, 3)
    random_env = make_env("SuperMarioBrosRandomStages-v0", stages=["7-1"]).unwrapped
    assert make_env(pickle.loads, pickle.dumps(random_env)).reset(seed=0)[1]["world"] == 7


@pytest.mark.slow
def test_envs_run_in_subprocess_vector_envs(make_env):
    envs = make_env(
        gym.vector.AsyncVectorEnv, [lambda: make("SuperMarioBros-1-1-v0", RIGHT_ONLY)] * 2, context="spawn"
    )
    obs, infos = envs.reset(seed=[0, 1])
    assert obs.shape == (2, 240, 256, 3)
    for _ in range(10):
        obs, rewards, _terminated, _truncated, infos = envs.step(np.array([3, 3]))
    assert (infos["x_pos"] > 100).all() and rewards.shape == (2,)


def test_action_lists_translate_to_the_joypad_bytes_joypad_space_sends(mario_env):
    assert joypad_bitmaps(RIGHT_ONLY) == [0, RIGHT, RIGHT | 1, RIGHT_RUN, RIGHT_RUN | 1]
    env = mario_env("SuperMarioBros-1-1-v0", COMPLEX_MOVEMENT)
    assert [env._action_map[index] for index in range(12)] == joypad_bitmaps(COMPLEX_MOVEMENT)
    with pytest.raises(ValueError, match="unknown button 'jump'"):
        joypad_bitmaps([["right", "jump"]])
