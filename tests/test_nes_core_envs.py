"""The ``emulator=`` keyword: every env gives the same observations, rewards and infos on our NES core as on
nes-py, in every observation mode, single and vector; snapshots stay with the emulator that took them."""

import pickle

import gymnasium as gym
import numpy as np
import pytest
from joypad_support import random_joypad_actions

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.actions import SIMPLE_MOVEMENT
from gym_mario_latent.emulator import NATIVE, NES_PY, NativeEmulator, native_available
from gym_mario_latent.envs.vector import SuperMarioBrosVectorEnv
from gym_mario_latent.errors import EmulatorError, SnapshotError
from gym_mario_latent.preprocessing import make_preprocessed

pytestmark = pytest.mark.skipif(not native_available(), reason="the native NES core was not built")


@pytest.fixture(autouse=True)
def _needs_rom(smb_rom_path):
    """Every test here runs the real emulators on a verified ROM."""


def play(env, actions) -> list[tuple]:
    """Reset with seed 0, step through ``actions`` (resetting after an episode); record everything."""
    observation, info = env.reset(seed=0)
    record = [(np.array(observation), info)]  # copies: an rgb_view observation changes with the next step
    for action in actions:
        observation, reward, terminated, truncated, info = env.step(int(action))
        record.append((np.array(observation), reward, terminated, truncated, info))
        if terminated or truncated:
            observation, info = env.reset()
            record.append((np.array(observation), info))
    return record


def assert_same_play(ours: list[tuple], theirs: list[tuple]) -> None:
    assert len(ours) == len(theirs)
    for step, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        assert np.array_equal(a[0], b[0]), f"observation differs at record {step}"
        assert a[1:] == b[1:], f"reward/termination/info differ at record {step}"


@pytest.mark.parametrize("observation_mode", ["rgb", "rgb_view", "grayscale", "tiles"])
@pytest.mark.parametrize(
    ("env_id", "frame_skip"), [("SuperMarioBros-1-1-v0", 4), ("SuperMarioBros-4-2-v0", 1)]
)
def test_the_native_emulator_plays_the_same_game(make_env, observation_mode, env_id, frame_skip):
    actions = random_joypad_actions(seed=7, steps=150)[:, 0]
    plays = [
        play(
            make_env(env_id, emulator=emulator, observation_mode=observation_mode, frame_skip=frame_skip),
            actions,
        )
        for emulator in (NES_PY, NATIVE)
    ]
    assert_same_play(plays[1], plays[0])


def test_the_native_vector_env_plays_the_same_game(make_env):
    actions = random_joypad_actions(seed=8, steps=120, lanes=2)
    records = []
    for emulator in (NES_PY, NATIVE):
        env = make_env(
            SuperMarioBrosVectorEnv, 2, target="1-1", emulator=emulator, observation_mode="grayscale"
        )
        record = [(env.reset(seed=3)[0].copy(),)]
        for step_actions in actions:
            observations, rewards, terminated, truncated, _ = env.step(step_actions)
            record.append((observations.copy(), rewards.copy(), terminated.copy(), truncated.copy()))
        records.append(record)
    for step, (ours, theirs) in enumerate(zip(records[1], records[0], strict=True)):
        for a, b in zip(ours, theirs, strict=True):
            assert np.array_equal(a, b), f"lane batches differ at step {step}"


def test_a_snapshot_loads_only_into_an_env_of_its_emulator(make_env):
    native = make_env("SuperMarioBros-1-1-v0", emulator=NATIVE).unwrapped
    nes_py = make_env("SuperMarioBros-1-1-v0", emulator=NES_PY).unwrapped
    for env in (native, nes_py):
        env.reset(seed=0)
        env.step(0x80)
    with pytest.raises(SnapshotError, match="taken on the 'nes-py' emulator"):
        native.load_state(nes_py.dump_state())
    with pytest.raises(SnapshotError, match="taken on the 'native' emulator"):
        nes_py.load_state(native.dump_state())


def test_a_native_snapshot_replays_bit_for_bit(make_env):
    env = make_env("SuperMarioBros-v0", emulator=NATIVE).unwrapped
    play(env, random_joypad_actions(seed=1, steps=40)[:, 0])
    snapshot = env.dump_state()
    actions = random_joypad_actions(seed=2, steps=200)[:, 0]
    recorded = [env.step(int(action)) for action in actions]
    env.load_state(snapshot)
    replayed = [env.step(int(action)) for action in actions]
    for again, before in zip(replayed, recorded, strict=True):
        assert np.array_equal(again[0], before[0]) and again[1:] == before[1:]


def test_an_unknown_emulator_name_is_refused(make_env):
    with pytest.raises(EmulatorError, match="emulator 'fceux' is not one of"):
        make_env("SuperMarioBros-1-1-v0", emulator="fceux")


def test_a_pickled_env_keeps_its_emulator(make_env):
    env = make_env("SuperMarioBros-1-1-v0", emulator=NATIVE).unwrapped
    clone = pickle.loads(pickle.dumps(env))
    try:
        assert clone.emulator == NATIVE
    finally:
        clone.close()


def test_gym_make_passes_the_emulator_through_the_wrappers():
    env = gym.make("SuperMarioBros-1-1-v0", emulator=NATIVE)
    try:
        assert env.unwrapped.emulator == NATIVE
    finally:
        env.close()


@pytest.mark.parametrize(
    ("env_id", "kwargs"),
    [
        ("SuperMarioBros-1-1-v0", {}),  # the classic stack: resize and grayscale in one C call
        ("SuperMarioBros-4-2-v0", {"size": 48, "channels_last": True}),
        ("SuperMarioBrosNoFrameskip-1-1-v0", {"max_pool_skip": 4}),  # Gymnasium's wrappers on both
    ],
)
def test_the_preprocessed_stack_is_the_same_on_both_emulators(make_env, env_id, kwargs):
    actions = random_joypad_actions(seed=9, steps=150)[:, 0] % len(SIMPLE_MOVEMENT)
    plays = [
        play(
            make_env(make_preprocessed, env_id, actions=SIMPLE_MOVEMENT, emulator=emulator, **kwargs), actions
        )
        for emulator in (NES_PY, NATIVE)
    ]
    assert_same_play(plays[1], plays[0])


def test_the_native_resize_is_opencvs_inter_area_then_gymnasiums_grayscale(smb_rom_path):
    """Any screen, any output size: the same bytes as cv2.resize(INTER_AREA) then GrayscaleObservation."""
    cv2 = pytest.importorskip("cv2")
    emulator = NativeEmulator(smb_rom_path)
    screen = emulator.screen_pixels()
    rng = np.random.default_rng(5)
    luma = np.array([0.2125, 0.7154, 0.0721])  # GrayscaleObservation's weights
    for height, width in [(84, 84), (1, 32), (240, 256), (100, 33), (37, 250)]:
        screen[:] = rng.integers(0, 1 << 24, size=screen.shape, dtype=np.uint32)
        screen[::3] = screen[0]  # rows like the one before them, as in the sky
        small = cv2.resize(emulator.copy_screen_rgb(), (width, height), interpolation=cv2.INTER_AREA)
        expected = np.sum(np.multiply(small, luma), axis=-1).astype(np.uint8)
        output = np.empty((height, width), np.uint8)
        assert np.array_equal(emulator.copy_screen_resized_grayscale(output), expected), (height, width)
    with pytest.raises(ValueError, match=r"width 32\.\.256"):
        emulator.copy_screen_resized_grayscale(np.empty((84, 31), np.uint8))


def test_native_is_the_default_emulator_of_every_nes_env(make_env):
    assert make_env("SuperMarioBros-1-1-v0").unwrapped.emulator == NATIVE
    assert make_env("SuperMarioBrosRandomStages-v0").unwrapped.emulator == NATIVE
    envs = make_env(gym.make_vec, "SuperMarioBros-1-1-v0", num_envs=2)
    assert {lane.emulator for lane in envs.unwrapped.lanes} == {NATIVE}
    stacked = make_env(make_preprocessed, "SuperMarioBros-1-1-v0", actions=SIMPLE_MOVEMENT)
    assert stacked.unwrapped.emulator == NATIVE
    assert make_env("SuperMarioBros-1-1-v0", emulator=NES_PY).unwrapped.emulator == NES_PY


def test_rewinding_a_run_ahead_leaves_the_machine_as_if_only_the_kept_frames_ran(smb_rom_path):
    """A step runs its frames in one call and rewinds those after a death or the flag: the machine, its RAM
    and the picture drawn on demand are then those of a machine that ran only the kept frames."""
    ahead, stepped = NativeEmulator(smb_rom_path), NativeEmulator(smb_rom_path)
    for emulator in (ahead, stepped):
        emulator.drawing = False
        emulator.reset()
    actions = random_joypad_actions(seed=4, steps=120)[:, 0]
    for step, action in enumerate(actions.tolist()):
        frames = 1 + step % 5
        kept = 1 + (step * 7) % frames
        ahead.draw_after(frames)  # as an env step draws its last frame
        rams = ahead.run_ahead(action, frames)
        ahead.rewind(kept)
        for frame in range(kept):
            stepped.frame_advance(action)
            assert rams[frame] == stepped.ram_buffer().tobytes()
        assert ahead.ram_buffer().tobytes() == stepped.ram_buffer().tobytes()
        if step % 10 == 0:
            assert np.array_equal(ahead.copy_screen_rgb(), stepped.copy_screen_rgb())
            assert ahead.dump_state() == stepped.dump_state()
    ahead.frame_advance(0)
    with pytest.raises(ValueError, match=r"only the 1\.\.0 frames of the last run_ahead"):
        ahead.rewind(1)
