"""The latent-level envs under hostile use, for real (the pretrained VAE, the jar's A* agent): a step that
raises changes nothing, copies own their simulator, closed envs refuse work, arguments stay within memory,
and bad actions, rewards and simulators get one clear error."""

from __future__ import annotations

import contextlib
import copy
import functools

import gymnasium as gym
import numpy as np
import pytest
import torch

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.errors import DisplayWarning, EnvClosedError
from gym_mario_latent.latent.env import MAX_SEGMENTS, MarioLatentEnv
from gym_mario_latent.latent.evaluation import LatentEvaluator
from gym_mario_latent.latent.rewards import completion
from gym_mario_latent.latent.vector import MarioLatentVectorEnv
from gym_mario_latent.levels import EMPTY_ID, GROUND_ID
from gym_mario_latent.simulator_bridge import Simulator
from gym_mario_latent.vae import WINDOW

Z = [np.array(z, np.float32) for z in ([0.3, -1.2], [1.7, 0.4], [-0.8, 2.1])]


@pytest.fixture(scope="module")
def simulator():
    """One shared worker pool for the module's envs (each env would otherwise start its own JVM)."""
    with Simulator(workers=2) as simulator:
        yield simulator


class FailingReward:
    """The completion reward, or, while ``failing``, a reward that scribbles on the level it is shown and
    then raises."""

    def __init__(self) -> None:
        self.failing = False

    def __call__(self, telemetry, segment, history):
        if self.failing:
            for tiles in (segment, *history):
                with contextlib.suppress(ValueError):  # read-only: the episode's own segments
                    tiles[:] = 0
            raise RuntimeError("the reward failed")
        return completion(telemetry, segment, history)


def assert_same(a, b) -> None:
    """Equal observations/infos: arrays element for element, dicts key for key."""
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for key in a:
            assert_same(a[key], b[key])
    elif isinstance(a, list | tuple) or (isinstance(a, np.ndarray) and a.dtype == object):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            assert_same(x, y)
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b)
    else:
        assert a == b


# -- item 4: a step that raises leaves the episode as it was -------------------------------------------------


@pytest.mark.parametrize("decode", ["argmax", "sample"])
def test_a_step_whose_reward_raises_leaves_the_episode_as_it_was(decode, simulator, make_env):
    reward = FailingReward()
    env = make_env(MarioLatentEnv, simulator=simulator, segments=3, decode=decode, reward=reward)
    reference = make_env(MarioLatentEnv, simulator=simulator, segments=3, decode=decode, reward=completion)
    env.reset(seed=5)
    reference.reset(seed=5)
    expected = [reference.step(z) for z in Z]
    env.step(Z[0])
    before = (env.render(), env.episode.observation(True))
    reward.failing = True
    for _ in range(2):
        with pytest.raises(RuntimeError, match="the reward failed"):
            env.step(Z[1])
    assert_same((env.render(), env.episode.observation(True)), before)
    reward.failing = False
    for z, (observation, value, terminated, truncated, info) in zip(Z[1:], expected[1:], strict=True):
        result = env.step(z)
        assert_same(result, (observation, value, terminated, truncated, info))
    assert info["segment_index"] == 2 and info["level"].shape == (WINDOW, 3 * WINDOW)


def test_the_one_segment_env_plays_one_segment_after_a_step_that_raised(simulator, make_env):
    reward = FailingReward()
    env = make_env(gym.make, "MarioLatent-v0", simulator=simulator, reward=reward)
    env.reset(seed=0)
    reward.failing = True
    with pytest.raises(RuntimeError, match="the reward failed"):
        env.step(Z[0])
    reward.failing = False
    _, _, terminated, _, info = env.step(Z[1])
    assert terminated and info["segment_index"] == 0 and info["level"].shape == (WINDOW, WINDOW)
    with pytest.raises(RuntimeError, match="reset"):
        env.step(Z[2])


def test_a_vector_step_whose_reward_raises_leaves_every_lane_as_it_was(simulator, make_env):
    reward = FailingReward()
    options = {"simulator": simulator, "segments": 2, "decode": "sample"}
    vector = make_env(MarioLatentVectorEnv, 2, reward=reward, **options)
    reference = make_env(MarioLatentVectorEnv, 2, **options)
    actions = [np.stack([Z[i], Z[i + 1]]) for i in range(2)] * 2
    vector.reset(seed=3)
    reference.reset(seed=3)
    vector.step(actions[0])
    reference.step(actions[0])
    reward.failing = True
    with pytest.raises(RuntimeError, match="the reward failed"):
        vector.step(actions[1])
    reward.failing = False
    for action in actions[1:]:  # the second step ends both lanes' episodes; the next resets them
        assert_same(vector.step(action), reference.step(action))


# -- item 5: copies ------------------------------------------------------------------------------------------


def test_a_deep_copy_owns_its_simulator_and_closing_it_leaves_the_original_playing(make_env):
    env = make_env(MarioLatentEnv, segments=3, decode="sample", cache_size=0)
    env.reset(seed=1)
    env.step(Z[0])
    twin = make_env(copy.deepcopy, env)
    assert twin.evaluator.simulator is not env.evaluator.simulator
    assert not set(twin.evaluator.simulator.worker_pids) & set(env.evaluator.simulator.worker_pids)
    assert_same(twin.step(Z[1]), env.step(Z[1]))  # the same episode, the same generator state
    twin.close()
    assert env.evaluator.simulator.worker_pids
    _, _, terminated, _, info = env.step(Z[2])
    assert terminated and info["segment_index"] == 2


def test_a_deep_copy_of_a_vector_env_owns_its_simulator(make_env):
    vector = make_env(MarioLatentVectorEnv, 2, workers=1, cache_size=0)
    vector.reset(seed=0)
    twin = make_env(copy.deepcopy, vector)
    assert twin.evaluator.simulator is not vector.evaluator.simulator
    twin.close()
    with pytest.raises(EnvClosedError):
        twin.step(np.stack(Z[:2]))
    rewards = vector.step(np.stack(Z[:2]))[1]
    assert rewards.shape == (2,)


def test_a_deep_copy_shares_a_simulator_the_user_passed(simulator, make_env):
    for made in (
        make_env(MarioLatentEnv, simulator=simulator),
        make_env(MarioLatentVectorEnv, 2, simulator=simulator),
    ):
        twin = copy.deepcopy(made)
        assert twin.evaluator.simulator is simulator
        twin.close()
    flat = np.full((WINDOW, WINDOW), EMPTY_ID)
    flat[-1] = GROUND_ID
    assert simulator.evaluate(flat).won  # the shared pool still plays


def test_a_deep_copy_of_an_env_showing_a_window_opens_its_own(simulator, make_env, monkeypatch):
    for variable in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        monkeypatch.delenv(variable, raising=False)
    with pytest.warns(DisplayWarning):  # no display here: the env plays on without a window
        env = make_env(MarioLatentEnv, simulator=simulator, render_mode="human")
        env.reset(seed=0)
    twin = make_env(copy.deepcopy, env)
    assert env.viewer is not None and twin.viewer is None
    with pytest.warns(DisplayWarning):  # the copy's own window, which cannot open either
        stepped = twin.step(Z[0])
    assert twin.viewer is not env.viewer
    assert_same(stepped, env.step(Z[0]))


# -- item 6: closed envs -------------------------------------------------------------------------------------


@pytest.mark.parametrize("shared", [False, True])
def test_a_closed_env_refuses_to_reset_step_or_evaluate(shared, simulator, make_env):
    own = {"simulator": simulator} if shared else {"workers": 1}
    env = make_env(gym.make, "MarioLatent-v0", **own)
    env.reset(seed=0)
    env.step(Z[0])
    env.close()
    env.close()  # closing twice is fine
    for call in (env.reset, lambda: env.step(Z[0]), lambda: env.unwrapped.evaluate_latents(Z[0])):
        with pytest.raises(EnvClosedError, match="closed"):
            call()
    assert issubclass(EnvClosedError, gym.error.ClosedEnvironmentError)


def test_a_closed_vector_env_refuses_to_reset_or_step(simulator, make_env):
    vector = make_env(gym.make_vec, "MarioLatent-v0", num_envs=2, simulator=simulator)
    vector.reset(seed=0)
    vector.close()
    for call in (vector.reset, lambda: vector.step(np.stack(Z[:2]))):
        with pytest.raises(EnvClosedError, match="closed"):
            call()


# -- item 10: arguments bounded by memory --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["history", "segments", "play_last"])
def test_episode_arguments_are_bounded_naming_the_limit(name, simulator):
    with pytest.raises(ValueError, match=rf"{name} must be at most {MAX_SEGMENTS}.*memory"):
        MarioLatentEnv(simulator=simulator, **{name: MAX_SEGMENTS + 1})


def test_the_longest_level_allowed_renders_and_plays(simulator, make_env):
    env = make_env(
        MarioLatentEnv,
        simulator=simulator,
        segments=MAX_SEGMENTS,
        history=MAX_SEGMENTS,
        play_last=MAX_SEGMENTS,
        render_mode="rgb_array",
    )
    observation, _ = env.reset(seed=0)
    assert observation.shape == (MAX_SEGMENTS, 2)
    frame = env.render()
    assert frame.shape == (WINDOW * 16, MAX_SEGMENTS * WINDOW * 16, 3) and frame.nbytes < 40e6
    env.step(Z[0])
    padding = simulator.padding.start + simulator.padding.finish
    assert MAX_SEGMENTS * WINDOW + padding <= simulator.facts.limits.max_width  # the agent can play it all


# -- items 13 and 14: bad actions, rewards and simulators ----------------------------------------------------

BAD_ACTIONS = [
    (["0.5", "1"], "a str"),
    (np.array(["0.5", "1"]), "strings"),
    (np.array([True, False]), "booleans"),
    ([0.5, True], "True"),
    (np.array([1 + 2j, 0]), "complex"),
    ([0.5, None], "None"),
    (torch.tensor([True, False]), "booleans"),
]


def test_real_actions_of_any_dtype_are_accepted(simulator, make_env):
    env = make_env(MarioLatentEnv, simulator=simulator)
    for action in ([1, -2], np.array([1, -2], np.int8), torch.tensor([1.0, -2.0], dtype=torch.bfloat16)):
        env.reset(seed=0)
        np.testing.assert_array_equal(env.step(action)[4]["z"], [1.0, -2.0])


@pytest.mark.parametrize(("action", "found"), BAD_ACTIONS)
def test_actions_that_are_not_real_numbers_are_refused_alike_by_single_and_vector_envs(
    action, found, simulator, make_env
):
    env = make_env(MarioLatentEnv, simulator=simulator)
    vector = make_env(MarioLatentVectorEnv, 1, simulator=simulator)
    env.reset(seed=0)
    vector.reset(seed=0)
    batch = [list(action)] if not isinstance(action, np.ndarray | torch.Tensor) else action[None]
    for step, given in ((env.step, action), (vector.step, batch)):
        with pytest.raises(ValueError, match=rf"action .*{found}.*expected real numbers"):
            step(given)
    pair = make_env(MarioLatentVectorEnv, 2, simulator=simulator)
    pair.reset(seed=0)
    with pytest.raises(ValueError, match=r"shape \(2, 2\)"):
        pair.step([1.5, 2.5])


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("abc", TypeError),
        (None, TypeError),
        ([0.5], TypeError),
        (np.array([0.5]), TypeError),
        (1 + 2j, TypeError),
        ({"fun": "high"}, TypeError),
        (float("nan"), ValueError),
        (float("inf"), ValueError),
    ],
)
def test_a_reward_that_is_not_a_finite_real_number_is_named(value, error, simulator, make_env):
    env = make_env(MarioLatentEnv, simulator=simulator, reward=lambda *_: value)
    env.reset(seed=0)
    message = r"the reward function returned .*, expected a finite real number"
    with pytest.raises(error, match=message):
        env.step(Z[0])
    with pytest.raises(error, match=message):
        env.evaluate_latents(Z[0])


def test_a_reward_of_numpy_scalars_and_bools_is_a_float(simulator, make_env):
    for value, expected in ((np.float32(0.25), 0.25), (np.int64(2), 2.0), (True, 1.0)):
        env = make_env(MarioLatentEnv, simulator=simulator, reward=lambda *_, v=value: v)
        env.reset(seed=0)
        reward = env.step(Z[0])[1]
        assert reward == expected and type(reward) is float


@pytest.mark.parametrize(
    "maker", [MarioLatentEnv, LatentEvaluator, functools.partial(MarioLatentVectorEnv, 1)]
)
def test_a_simulator_that_is_not_a_backend_is_a_type_error_naming_the_backends(maker):
    for bad in ("abc", Simulator):
        with pytest.raises(TypeError, match=r"simulator must be a SimulatorBackend.*Simulator.*RaySimulator"):
            maker(simulator=bad)
