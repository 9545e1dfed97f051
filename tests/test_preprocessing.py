"""The preprocessing stack: Gymnasium's wrappers give (4, 84, 84) uint8, the same for a single env and for
every lane of the native vector env."""

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.vector import AutoresetMode
from joypad_support import RIGHT

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.actions import RIGHT_ONLY
from gym_mario_latent.envs.vector import SuperMarioBrosVectorEnv
from gym_mario_latent.preprocessing import make_preprocessed, preprocessing_wrappers

STACK_SHAPE = (4, 84, 84)


@pytest.fixture(autouse=True)
def _needs_rom(smb_rom_path):
    """Every test here runs the real emulator on a verified ROM."""


def test_single_env_gives_channels_first_stacks_of_the_last_four_grayscale_frames(make_env):
    env = make_env(make_preprocessed, "SuperMarioBros-1-1-v0", actions=RIGHT_ONLY, reward_scale=0.1)
    raw = make_env("SuperMarioBros-1-1-v0")
    assert env.observation_space == gym.spaces.Box(0, 255, STACK_SHAPE, np.uint8)
    assert env.action_space == gym.spaces.Discrete(len(RIGHT_ONLY))
    first, _ = env.reset(seed=0)
    raw.reset(seed=0)
    assert first.shape == STACK_SHAPE and first.dtype == np.uint8
    assert all(np.array_equal(first[0], frame) for frame in first[1:]), "reset pads with the first frame"
    observations, scaled = [first], []
    for _ in range(6):
        observation, reward, *_ = env.step(RIGHT_ONLY.index(["right"]))
        observations.append(observation)
        scaled.append(reward)
        _, raw_reward, *_ = raw.step(RIGHT)
        assert reward == pytest.approx(raw_reward * 0.1)
    assert sum(scaled) > 0, "running right earns reward"
    # Frame k of a stack is the newest frame of the stack k steps later's predecessor: a sliding window.
    assert np.array_equal(observations[-1][:3], observations[-2][1:])
    assert not np.array_equal(observations[-1][3], observations[-1][2]), "Mario moved between frames"
    assert 30 < observations[-1].mean() < 220, "a grayscale picture, not a blank one"


def test_vector_lanes_match_single_preprocessed_envs_step_for_step(make_env):
    """lane_wrappers: lane i of the native vector env is the preprocessed single env, bit for bit."""
    ours = make_env(
        make_preprocessed,
        "SuperMarioBros-1-1-v0",
        num_envs=2,
        actions=RIGHT_ONLY,
        autoreset_mode=AutoresetMode.SAME_STEP,
    )
    reference = make_env(
        gym.vector.SyncVectorEnv,
        [lambda: make_preprocessed("SuperMarioBros-1-1-v0", actions=RIGHT_ONLY)] * 2,
        autoreset_mode=AutoresetMode.SAME_STEP,
    )
    assert isinstance(ours, SuperMarioBrosVectorEnv)
    assert ours.observation_space.shape == (2, *STACK_SHAPE)
    first_batch, _ = ours.reset(seed=0)
    theirs, _ = reference.reset(seed=0)
    assert np.array_equal(first_batch, theirs)
    kept = first_batch.copy()
    actions = np.random.default_rng(0).integers(len(RIGHT_ONLY), size=(40, 2))
    for step, action in enumerate(actions):
        mine, my_rewards, my_terminations, *_ = ours.step(action)
        theirs, their_rewards, their_terminations, *_ = reference.step(action)
        assert np.array_equal(mine, theirs), f"observations differ at step {step}"
        assert np.array_equal(my_rewards, their_rewards) and np.array_equal(
            my_terminations, their_terminations
        )
    assert np.array_equal(first_batch, kept), "every step returns a fresh batch (lanes give views)"


def test_max_pool_runs_on_one_frame_steps_and_refuses_a_frame_skipping_env(make_env):
    env = make_env(make_preprocessed, "SuperMarioBros-1-1-v0", max_pool_skip=4)
    assert env.unwrapped.frame_skip == 1
    observation, _ = env.reset(seed=0)
    observation, *_ = env.step(RIGHT)
    assert observation.shape == STACK_SHAPE
    frame_skipping = make_env("SuperMarioBros-1-1-v0")
    with pytest.raises(ValueError, match="1 frame per step"):
        preprocessing_wrappers(max_pool_skip=4)(frame_skipping)


def test_bad_preprocessing_arguments_raise_clear_errors(make_env):
    with pytest.raises(ValueError, match="size"):
        preprocessing_wrappers(size=0)
    with pytest.raises(ValueError, match="max_pool_skip"):
        preprocessing_wrappers(max_pool_skip=1)
    with pytest.raises(TypeError, match=r"env ID or a gymnasium\.Env"):
        make_preprocessed(42)
    env = make_env("SuperMarioBros-1-1-v0")
    with pytest.raises(ValueError, match="num_envs"):
        make_preprocessed(env, num_envs=2)


def test_channels_last_holds_the_same_stacks_along_the_last_axis(make_env):
    """``channels_last=True`` (RLlib's image layout) is the default stack with its frame axis moved last,
    for a single env and for every lane of the native vector env."""
    first_axis = make_env(make_preprocessed, "SuperMarioBros-1-1-v0", actions=RIGHT_ONLY)
    last_axis = make_env(make_preprocessed, "SuperMarioBros-1-1-v0", actions=RIGHT_ONLY, channels_last=True)
    lanes = make_env(
        make_preprocessed, "SuperMarioBros-1-1-v0", num_envs=2, actions=RIGHT_ONLY, channels_last=True
    )
    assert last_axis.observation_space == gym.spaces.Box(0, 255, (84, 84, 4), np.uint8)
    assert lanes.single_observation_space == last_axis.observation_space
    pairs = [(first_axis.reset(seed=0)[0], last_axis.reset(seed=0)[0], lanes.reset(seed=0)[0][0])]
    for _ in range(5):
        right = RIGHT_ONLY.index(["right"])
        stepped = (
            first_axis.step(right)[0],
            last_axis.step(right)[0],
            lanes.step(np.array([right] * 2))[0][0],
        )
        pairs.append(stepped)
    for stack_first, stack_last, lane in pairs:
        assert np.array_equal(np.moveaxis(stack_first, 0, -1), stack_last)
        assert np.array_equal(lane, stack_last)
