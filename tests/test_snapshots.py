"""Snapshots: restoring a state and replaying the same actions repeats the trajectory bit for bit."""

import numpy as np
import pytest
from joypad_support import random_joypad_actions

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.envs.vector import SuperMarioBrosVectorEnv


@pytest.fixture(autouse=True)
def _needs_rom(smb_rom_path):
    """Every test here runs the real emulator on a verified ROM."""


def play_single(env, actions: np.ndarray) -> list[tuple]:
    """Step ``env`` through ``actions`` (resetting after an episode ends); record every step."""
    trajectory = []
    for action in actions:
        observation, reward, terminated, truncated, info = env.step(int(action))
        trajectory.append((observation.copy(), reward, terminated, truncated, info))
        if terminated or truncated:
            env.reset()
    return trajectory


def play_lanes(env, actions: np.ndarray, lane: int) -> list[tuple]:
    """Step the vector ``env`` through ``actions``; record lane ``lane`` of every step."""
    trajectory = []
    for step_actions in actions:
        observations, rewards, terminated, truncated, info = env.step(step_actions)
        lane_info = {key: value[lane] for key, value in info.items()}
        ended = (terminated[lane], truncated[lane])
        trajectory.append((observations[lane].copy(), rewards[lane], *ended, lane_info))
    return trajectory


def assert_same_trajectory(replayed: list[tuple], recorded: list[tuple]) -> None:
    assert len(replayed) == len(recorded)
    for step, (again, before) in enumerate(zip(replayed, recorded, strict=True)):
        assert np.array_equal(again[0], before[0]), f"observation differs at step {step}"
        assert again[1:] == before[1:], f"reward/termination/info differ at step {step}"


def test_single_env_replays_bit_for_bit_from_a_snapshot_across_deaths(make_env):
    env = make_env("SuperMarioBros-v0").unwrapped
    env.reset(seed=0)
    play_single(env, random_joypad_actions(seed=1, steps=50)[:, 0])
    snapshot = env.dump_state()
    actions = random_joypad_actions(seed=2, steps=400)[:, 0]
    recorded = play_single(env, actions)
    assert len({step[4]["life"] for step in recorded}) > 1, "the replay should span a death"
    env.load_state(snapshot)
    assert_same_trajectory(play_single(env, actions), recorded)


def test_single_env_snapshot_of_an_ended_episode_stays_ended(make_env):
    env = make_env("SuperMarioBros-1-1-v0").unwrapped
    env.reset(seed=0)
    while not env.step(0x80)[2]:  # run right into the first goomba
        pass
    ended = env.dump_state()
    env.reset()
    env.load_state(ended)
    with pytest.raises(RuntimeError, match="reset"):
        env.step(0)


def test_vector_lane_replays_bit_for_bit_from_its_snapshot_across_episode_ends(make_env):
    env = make_env(SuperMarioBrosVectorEnv, 3, target="1-1", max_episode_steps=150)
    env.reset(seed=0)
    for actions in random_joypad_actions(seed=3, steps=30, lanes=3):
        env.step(actions)
    snapshot = env.dump_state(1)
    actions = random_joypad_actions(seed=4, steps=250, lanes=3)
    recorded = play_lanes(env, actions, lane=1)
    assert any(step[2] or step[3] for step in recorded), "the replay should span an episode end"
    env.load_state(1, snapshot)
    assert_same_trajectory(play_lanes(env, actions, lane=1), recorded)


def test_lane_snapshot_moves_a_game_from_one_lane_to_another(make_env):
    env = make_env(SuperMarioBrosVectorEnv, 2, target="1-1")
    env.reset(seed=0)
    for actions in random_joypad_actions(seed=5, steps=40, lanes=2):
        env.step(actions)
    env.load_state(1, env.dump_state(0))
    for actions in random_joypad_actions(seed=6, steps=100, lanes=1):
        observations, rewards, *_, info = env.step(np.repeat(actions, 2))
        assert np.array_equal(observations[0], observations[1])
        assert rewards[0] == rewards[1] and info["x_pos"][0] == info["x_pos"][1]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("SuperMarioBros2-1-1-v0", "taken in Super Mario Bros.: The Lost Levels in ROM mode 0"),
        ("SuperMarioBros-1-1-v1", "taken in Super Mario Bros. in ROM mode 1"),
    ],
)
def test_a_snapshot_loads_only_into_an_env_of_its_game_and_rom_mode(
    lost_levels_rom_path, source, message, make_env
):
    other = make_env(source).unwrapped
    env = make_env("SuperMarioBros-1-1-v0").unwrapped
    other.reset(seed=0)
    env.reset(seed=0)
    with pytest.raises(ValueError, match=f"{message}; this env plays Super Mario Bros. in ROM mode 0"):
        env.load_state(other.dump_state())
    env.load_state(env.dump_state())  # its own snapshots still load


def test_load_state_rejects_what_dump_state_did_not_make(make_env):
    single = make_env("SuperMarioBros-1-1-v0").unwrapped
    vector = make_env(SuperMarioBrosVectorEnv, 2, target="1-1")
    single.reset(seed=0)
    vector.reset(seed=0)
    with pytest.raises(TypeError, match="dump_state"):
        single.load_state(vector.dump_state(0))
    with pytest.raises(TypeError, match="dump_state"):
        vector.load_state(0, single.dump_state())
    with pytest.raises(IndexError, match="lane index 2"):
        vector.dump_state(2)


def test_snapshots_reach_through_joypad_space_and_other_wrappers(make_env):
    """``dump_state`` / ``load_state`` on a ``JoypadSpace`` over Gymnasium's own wrappers act on the game."""
    from gymnasium.wrappers import TimeLimit

    from gym_mario_latent.actions import SIMPLE_MOVEMENT
    from gym_mario_latent.wrappers import JoypadSpace

    env = JoypadSpace(TimeLimit(make_env("SuperMarioBros-1-1-v0"), 1000), SIMPLE_MOVEMENT)
    env.reset(seed=0)
    snapshot = env.dump_state()
    recorded = play_single(env, np.full(30, 1))  # right
    env.load_state(snapshot)
    assert_same_trajectory(play_single(env, np.full(30, 1)), recorded)


REPLAY_IN_ANOTHER_PROCESS = """
import pickle, sys
import gymnasium as gym
import numpy as np
import gym_mario_latent

env = gym.make("SuperMarioBros-1-1-v0", emulator="native")
env.reset(seed=0)
env.unwrapped.load_state(pickle.loads(open(sys.argv[1], "rb").read()))
rewards = [env.step(0x81)[1] for _ in range(40)]  # right + A
print(env.unwrapped.game.info()["x_pos"], sum(rewards))
"""


def test_a_native_snapshot_saved_to_disk_replays_in_another_process(make_env, tmp_path):
    import pickle
    import subprocess
    import sys

    env = make_env("SuperMarioBros-1-1-v0", emulator="native").unwrapped
    env.reset(seed=0)
    play_single(env, np.full(25, 0x80))  # run right a little
    (tmp_path / "snapshot.pickle").write_bytes(pickle.dumps(env.dump_state()))
    rewards = [env.step(0x81)[1] for _ in range(40)]
    here = f"{env.game.info()['x_pos']} {sum(rewards)}"
    result = subprocess.run(
        [sys.executable, "-c", REPLAY_IN_ANOTHER_PROCESS, str(tmp_path / "snapshot.pickle")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == here


def test_pickling_an_nes_py_snapshot_names_the_emulator_to_use(make_env):
    import pickle

    env = make_env("SuperMarioBros-1-1-v0", emulator="nes-py").unwrapped
    env.reset(seed=0)
    with pytest.raises(TypeError, match="emulator='native' to pickle or save snapshots"):
        pickle.dumps(env.dump_state())
