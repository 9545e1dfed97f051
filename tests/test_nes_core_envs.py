"""The ``emulator=`` keyword: every env gives the same observations, rewards and infos on our NES core as on
nes-py, in every observation mode, single and vector; snapshots stay with the emulator that took them."""

import pickle

import gymnasium as gym
import numpy as np
import pytest
from joypad_support import random_joypad_actions

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.emulator import NATIVE, NES_PY, native_available
from gym_mario_latent.envs.vector import SuperMarioBrosVectorEnv
from gym_mario_latent.errors import EmulatorError, SnapshotError

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
