"""The native vector env: same game as N single envs, Gymnasium 1.x vector semantics, threads over lanes."""

import gc
import itertools
import subprocess
import sys
import threading
from collections.abc import Callable

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.vector import AutoresetMode
from joypad_support import RIGHT, random_joypad_actions

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.actions import SIMPLE_MOVEMENT
from gym_mario_latent.envs.vector import SuperMarioBrosRandomStagesVectorEnv, SuperMarioBrosVectorEnv
from gym_mario_latent.wrappers import JoypadSpace


@pytest.fixture(autouse=True)
def _needs_rom(smb_rom_path):
    """Every test here runs the real emulator on a verified ROM."""


def assert_same_step(ours: tuple, reference: tuple, step: int) -> None:
    """Observations, rewards, terminations, truncations (for a step) and batched infos are identical."""
    names = ("observations", "rewards", "terminations", "truncations")[: len(ours) - 1]
    for name, mine, theirs in zip(names, ours[:-1], reference[:-1], strict=True):
        assert np.array_equal(mine, theirs), f"{name} differ at step {step}"
    assert_same_info(ours[-1], reference[-1], f"step {step}")


def assert_same_info(info: dict, reference_info: dict, where: str) -> None:
    """Batched infos are identical, nested ones (``final_info``) included."""
    assert info.keys() == reference_info.keys(), f"info keys differ at {where}"
    for key in info:
        if isinstance(info[key], dict):
            assert_same_info(info[key], reference_info[key], f"{where}, info[{key!r}]")
        else:
            assert np.array_equal(info[key], reference_info[key]), f"info[{key!r}] differs at {where}"
            assert info[key].dtype == reference_info[key].dtype, f"info[{key!r}]'s dtype differs at {where}"


def run_side_by_side(
    make_env: Callable, env_id: str, num_envs: int, steps: int, seed: int, **kwargs
) -> list[dict]:
    """Step our vector env and Gymnasium's SyncVectorEnv of single envs (made with the test's ``make_env``)
    with the same actions.

    Returns the batched infos of every step (ours), after asserting each step matches.
    """
    ours = make_env(
        gym.make_vec, env_id, num_envs=num_envs, vectorization_mode="vector_entry_point", **kwargs
    )
    reference = make_env(gym.make_vec, env_id, num_envs=num_envs, vectorization_mode="sync", **kwargs)
    infos = []
    assert_same_step(ours.reset(seed=seed), reference.reset(seed=seed), step=0)
    for step, actions in enumerate(random_joypad_actions(seed, steps, num_envs), start=1):
        result = ours.step(actions)
        assert_same_step(result, reference.step(actions), step)
        infos.append(result[-1])
    return infos


@pytest.mark.slow
def test_vector_env_matches_single_envs_for_2000_steps_across_deaths_and_game_overs(make_env):
    infos = run_side_by_side(make_env, "SuperMarioBros-v0", num_envs=2, steps=2000, seed=11)
    lives = np.array([info["life"] for info in infos])
    assert (np.diff(lives, axis=0) < 0).any(axis=0).all(), "every lane should lose lives along the way"
    assert (np.diff(lives, axis=0) > 0).any(axis=0).all(), "every lane should be reset after a game over"


def test_random_stage_lanes_match_single_envs_with_a_time_limit(make_env):
    infos = run_side_by_side(
        make_env, "SuperMarioBrosRandomStages-v0", num_envs=3, steps=120, seed=5, max_episode_steps=40
    )
    stages = {(int(info["world"][lane]), int(info["stage"][lane])) for info in infos for lane in range(3)}
    assert len(stages) > 1, "seeded lanes should be drawn into different stages"


def test_make_vec_builds_the_native_vector_env_with_next_step_autoreset(make_env):
    env = make_env(gym.make_vec, "SuperMarioBros-1-1-v0", num_envs=3)
    assert isinstance(env, SuperMarioBrosVectorEnv)
    assert env.metadata["autoreset_mode"] is AutoresetMode.NEXT_STEP
    assert env.observation_space.shape == (3, 240, 256, 3)
    assert env.action_space.shape == (3,)
    observations, info = env.reset(seed=0)
    assert observations.shape == (3, 240, 256, 3)
    assert info["x_pos"].tolist() == [40, 40, 40] and info["_x_pos"].all()
    random_stages = make_env(gym.make_vec, "SuperMarioBrosRandomStages-v0", num_envs=2)
    assert isinstance(random_stages, SuperMarioBrosRandomStagesVectorEnv)


def test_lane_that_terminates_is_reset_on_the_next_step_ignoring_its_action(make_env):
    env = make_env(SuperMarioBrosVectorEnv, 2, target="1-1")
    first_observations, _ = env.reset(seed=0)
    for _ in range(200):  # lane 0 runs into the first goomba, lane 1 waits
        observations, rewards, terminated, truncated, info = env.step(np.array([RIGHT, 0]))
        if terminated[0]:
            break
    assert terminated[0] and not terminated[1] and rewards[0] < 0
    observations, rewards, terminated, truncated, info = env.step(np.array([RIGHT, 0]))
    assert rewards[0] == 0.0 and not terminated[0] and not truncated[0]
    assert info["x_pos"][0] == 40
    assert np.array_equal(observations[0], first_observations[0])


def test_time_limit_truncates_each_lane_and_restarts_it(make_env):
    env = make_env(SuperMarioBrosVectorEnv, 2, target="1-1", max_episode_steps=3)
    env.reset(seed=0)
    truncations = [env.step(np.array([RIGHT, RIGHT]))[3].tolist() for _ in range(4)]
    assert truncations == [[False, False], [False, False], [True, True], [False, False]]


def test_rgb_gives_fresh_batches_rgb_view_reuses_one_and_grayscale_is_two_dimensional(make_env):
    rgb, grayscale = (2, 240, 256, 3), (2, 240, 256)
    for mode, shape in (("rgb", rgb), ("rgb_view", rgb), ("grayscale", grayscale)):
        env = make_env(SuperMarioBrosVectorEnv, 2, target="1-1", observation_mode=mode)
        first, _ = env.reset(seed=0)
        kept = first.copy()
        second = env.step(np.array([RIGHT, RIGHT]))[0]
        assert second.shape == shape and env.observation_space.shape == shape
        assert (second is first) == (mode == "rgb_view")
        if mode != "rgb_view":
            assert np.array_equal(first, kept), f"{mode}: a returned batch was overwritten"


def test_tiles_lanes_match_single_tile_envs_and_batch_their_grids(make_env):
    infos = run_side_by_side(
        make_env, "SuperMarioBros-1-1-v0", num_envs=2, steps=300, seed=5, observation_mode="tiles"
    )
    env = make_env(SuperMarioBrosVectorEnv, 2, target="1-1", observation_mode="tiles")
    single = make_env(gym.make, "SuperMarioBros-1-1-v0", observation_mode="tiles")
    assert env.single_observation_space == single.observation_space
    assert env.observation_space.shape == (2, *single.observation_space.shape)
    assert any(info["x_pos"].max() > 300 for info in infos), "the lanes should move through 1-1"


def test_bad_arguments_raise_clear_errors(make_env):
    with pytest.raises(ValueError, match="num_envs"):
        SuperMarioBrosVectorEnv(0)
    with pytest.raises(ValueError, match="num_threads"):
        SuperMarioBrosVectorEnv(1, num_threads=0)
    with pytest.raises(ValueError, match="observation_mode"):
        SuperMarioBrosVectorEnv(1, observation_mode="bgr")
    env = make_env(SuperMarioBrosVectorEnv, 2, target="1-1")
    env.reset(seed=0)
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        env.step(np.array([RIGHT]))
    with pytest.raises(ValueError, match=r"0\.\.255"):
        env.step(np.array([RIGHT, 300]))
    single = make_env("SuperMarioBros-1-1-v0")
    single.reset(seed=0)
    for actions in ([1.5, 2.5], [True, False], ["1", "2"]):  # refused as the single env refuses them
        with pytest.raises(ValueError, match=r"action .* is not an integer in 0\.\.255"):
            env.step(actions)
        with pytest.raises(ValueError, match=r"action .* is not an integer in 0\.\.255"):
            single.step(actions[1])


def test_action_list_gives_joypad_space_indices_in_every_lane(make_env):
    vector = make_env(gym.make_vec, "SuperMarioBros-1-1-v0", num_envs=2, actions=SIMPLE_MOVEMENT)
    single = JoypadSpace(make_env("SuperMarioBros-1-1-v0"), SIMPLE_MOVEMENT)
    assert vector.action_space == gym.spaces.MultiDiscrete([7, 7])
    vector.reset(seed=0)
    single.reset(seed=0)
    for action in [3, 3, 4, 4, 1, 2, 2, 3] * 4:
        observations, rewards, _, _, infos = vector.step(np.array([action, action]))
        observation, reward, _, _, info = single.step(action)
        assert np.array_equal(observations[1], observation) and rewards[1] == reward
        assert infos["x_pos"][1] == info["x_pos"]
    with pytest.raises(ValueError, match=r"0\.\.6"):
        vector.step(np.array([7, 0]))


def test_same_step_autoreset_matches_sync_vector_env_with_final_obs_and_final_info(make_env):
    """SAME_STEP: the step that ends an episode returns the next episode's first observation, the ended one's
    last observation and info under final_obs / final_info, exactly as Gymnasium's SyncVectorEnv does."""
    kwargs = {"max_episode_steps": 30}
    ours = make_env(
        gym.make_vec, "SuperMarioBros-1-1-v0", num_envs=2, autoreset_mode=AutoresetMode.SAME_STEP, **kwargs
    )
    reference = make_env(
        gym.make_vec,
        "SuperMarioBros-1-1-v0",
        num_envs=2,
        vectorization_mode="sync",
        vector_kwargs={"autoreset_mode": AutoresetMode.SAME_STEP},
        **kwargs,
    )
    assert ours.metadata["autoreset_mode"] is AutoresetMode.SAME_STEP
    ended = 0
    assert_same_step(ours.reset(seed=0), reference.reset(seed=0), step=0)
    for step, actions in enumerate(random_joypad_actions(3, 70, 2), start=1):
        *mine, info = ours.step(actions)
        *theirs, reference_info = reference.step(actions)
        final_obs, reference_final_obs = (
            info.pop("final_obs", None),
            reference_info.pop("final_obs", None),
        )
        assert_same_step((*mine, info), (*theirs, reference_info), step)
        if final_obs is None:
            assert reference_final_obs is None
            continue
        for lane in np.flatnonzero(mine[2] | mine[3]):
            ended += 1
            assert np.array_equal(final_obs[lane], reference_final_obs[lane])
            assert info["x_pos"][lane] == 40, "the step that ends an episode shows the next one's start"
            assert info["final_info"]["x_pos"][lane] > 40
    assert ended >= 4, "both lanes should have ended (truncated or died) at least twice"


def test_first_reset_skips_the_title_screen_once_and_every_lane_loads_that_start(make_env):
    env = make_env(SuperMarioBrosVectorEnv, 4, target="1-1")
    observations, info = env.reset(seed=0)
    starts = {id(lane.game.start_snapshots) for lane in env.lanes}
    assert len(starts) == 1, "all lanes should share one table of start snapshots"
    assert len(env.lanes[0].game.start_snapshots) == 1  # one title-screen skip, for 1-1
    assert all(np.array_equal(observations[0], observation) for observation in observations[1:])
    assert info["x_pos"].tolist() == [40] * 4 and info["time"].tolist() == [400] * 4


def test_autoreset_mode_and_lane_wrappers_are_checked():
    with pytest.raises(ValueError, match="autoreset_mode"):
        SuperMarioBrosVectorEnv(1, target="1-1", autoreset_mode="Partial")
    with pytest.raises(TypeError, match="lane_wrappers"):
        SuperMarioBrosVectorEnv(1, target="1-1", lane_wrappers="grayscale")


class FailsOnThirdStep(gym.Wrapper):
    """A user's lane wrapper whose third step raises."""

    def __init__(self, env: gym.Env) -> None:
        super().__init__(env)
        self.steps = 0

    def step(self, action):
        self.steps += 1
        if self.steps == 3:
            raise RuntimeError("lane wrapper failed")
        return super().step(action)


def lane_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name.startswith("mario-lane")]


def test_an_error_in_a_lane_thread_reaches_the_caller_after_every_lane_finished(make_env):
    lanes = itertools.count()
    # lane 3 runs on the second thread (lanes 0-1 on the caller's, 2-3 on the pool's)
    env = make_env(
        SuperMarioBrosVectorEnv,
        4,
        target="1-1",
        lane_wrappers=lambda lane: FailsOnThirdStep(lane) if next(lanes) == 3 else lane,
    )
    env.reset(seed=0)
    env.step(np.full(4, RIGHT))
    env.step(np.full(4, RIGHT))
    with pytest.raises(RuntimeError, match="lane wrapper failed"):
        env.step(np.full(4, RIGHT))
    # every other lane finished its step: lanes 0-2 took three steps, x_pos moved on each
    assert [lane.game.info()["x_pos"] > 40 for lane in env.lanes] == [True] * 4
    env.close()
    assert lane_threads() == []


def test_lane_threads_stop_when_the_env_is_closed_or_dropped_unclosed():
    closed = SuperMarioBrosVectorEnv(4, target="1-1", num_threads=2)
    closed.reset(seed=0)
    closed.step(np.full(4, RIGHT))
    assert len(lane_threads()) == 1
    closed.close()
    assert lane_threads() == []
    dropped = SuperMarioBrosVectorEnv(4, target="1-1", num_threads=2)
    dropped.reset(seed=0)
    dropped.step(np.full(4, RIGHT))
    del dropped
    gc.collect()
    for thread in threading.enumerate():
        if thread.name.startswith("mario-lane"):
            thread.join(timeout=10)
    assert lane_threads() == []


LEFT_OPEN_AT_EXIT = """
import gymnasium as gym
import gym_mario_latent

envs = gym.make_vec("SuperMarioBros-1-1-v0", num_envs=4, num_threads=2)
envs.reset(seed=0)
envs.step([0, 0, 0, 0])
print("stepped")
"""


def test_a_script_that_leaves_the_env_open_exits():
    """At exit the lane threads (daemons) no longer run: closing the env then must not wait for them."""
    result = subprocess.run(
        [sys.executable, "-c", LEFT_OPEN_AT_EXIT], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["stepped"]


class LaneTagInfo(gym.Wrapper):
    """A user's lane wrapper adding ``info["tag"]``, its value (and type) chosen per lane; no tag if None."""

    def __init__(self, env: gym.Env, tag: object) -> None:
        super().__init__(env)
        self.tag = tag

    def _tagged(self, info: dict) -> dict:
        return info if self.tag is None else {**info, "tag": self.tag}

    def reset(self, **kwargs):
        observation, info = super().reset(**kwargs)
        return observation, self._tagged(info)

    def step(self, action):
        *result, info = super().step(action)
        return *result, self._tagged(info)


@pytest.mark.parametrize(
    "tags", [(1, 2.5, None, 4), (1, 2.5, True, 4)], ids=["a lane without a tag", "mixed types"]
)
def test_lanes_whose_infos_differ_in_keys_or_types_batch_as_gymnasium_batches_them(make_env, tags):
    lanes = iter(tags)
    ours = make_env(
        SuperMarioBrosVectorEnv,
        4,
        target="1-1",
        actions=SIMPLE_MOVEMENT,
        lane_wrappers=lambda lane: LaneTagInfo(lane, next(lanes)),
    )
    reference = make_env(
        gym.vector.SyncVectorEnv,
        [
            lambda tag=tag: LaneTagInfo(JoypadSpace(gym.make("SuperMarioBros-1-1-v0"), SIMPLE_MOVEMENT), tag)
            for tag in tags
        ],
        autoreset_mode=AutoresetMode.NEXT_STEP,
    )
    assert_same_step(ours.reset(seed=3), reference.reset(seed=3), step=0)
    for step, actions in enumerate(np.random.default_rng(3).integers(len(SIMPLE_MOVEMENT), size=(20, 4)), 1):
        result = ours.step(actions)
        assert_same_step(result, reference.step(actions), step)
    assert result[-1]["_tag"].tolist() == [tag is not None for tag in tags]
    assert result[-1]["tag"].dtype == int  # the first lane's type, as Gymnasium batches it
