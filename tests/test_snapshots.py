"""Snapshots: restoring a state and replaying the same actions repeats the trajectory bit for bit."""

import json
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import snapshot_replay
from joypad_support import random_joypad_actions

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.envs.snapshots import FORMAT_MAGIC, FORMAT_VERSION, MarioSnapshot
from gym_mario_latent.envs.vector import SuperMarioBrosVectorEnv
from gym_mario_latent.errors import SnapshotError


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
    with pytest.raises(SnapshotError, match=f"{message}; this env plays Super Mario Bros. in ROM mode 0"):
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


def replay_in_another_process(tmp_path, kind: str, snapshots: list, actions: list) -> list[list]:
    """Save ``snapshots`` to files and have a second Python process load and replay them (the records of
    :mod:`snapshot_replay`)."""
    files = []
    for index, snapshot in enumerate(snapshots):
        snapshot.save(tmp_path / f"snapshot-{index}.gmlsnap")
        files.append(str(tmp_path / f"snapshot-{index}.gmlsnap"))
    job = tmp_path / "job.json"
    job.write_text(json.dumps({"kind": kind, "files": files, "actions": actions}))
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("snapshot_replay.py")), str(job)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_native_snapshot_saved_to_disk_replays_in_another_process(make_env, tmp_path):
    """Observation, RAM, reward, termination and info agree at every step, across a death and a reset."""
    env = make_env(snapshot_replay.SINGLE_ENV_ID, emulator="native")
    env.reset(seed=0)
    play_single(env, np.full(25, 0x80))  # run right a little
    snapshot = env.get_wrapper_attr("dump_state")()
    actions = random_joypad_actions(seed=10, steps=150)[:, 0].tolist()
    here = snapshot_replay.env_records(env, actions)
    assert any(record[3] for record in here), "the replay should span an episode end"
    assert replay_in_another_process(tmp_path, "env", [snapshot], actions) == here


def test_every_lane_of_the_vector_env_saved_to_disk_replays_in_another_process(make_env, tmp_path):
    env = make_env(SuperMarioBrosVectorEnv, **snapshot_replay.VECTOR_ENV_ARGS)
    env.reset(seed=0)
    for actions in random_joypad_actions(seed=8, steps=40, lanes=env.num_envs):
        env.step(actions)
    snapshots = env.dump_states()
    actions = random_joypad_actions(seed=9, steps=200, lanes=env.num_envs).tolist()
    here = snapshot_replay.lane_records(env, actions)
    assert any(record[3] or record[4] for record in here), "the replay should span an episode end"
    assert replay_in_another_process(tmp_path, "lanes", snapshots, actions) == here


def test_snapshot_bytes_load_like_the_snapshot_and_pickle_through_them(make_env):
    env = make_env("SuperMarioBros-1-1-v0", emulator="native").unwrapped
    vector = make_env(SuperMarioBrosVectorEnv, 2, target="1-1", emulator="native")
    env.reset(seed=0)
    vector.reset(seed=0)
    data = env.dump_state().to_bytes()
    assert data.startswith(FORMAT_MAGIC) and len(data) < 20_000  # the state is compressed
    assert pickle.loads(pickle.dumps(env.dump_state())).to_bytes() == data
    recorded = play_single(env, np.full(30, 0x81))
    env.load_state(data)
    assert_same_trajectory(play_single(env, np.full(30, 0x81)), recorded)
    lane = vector.dump_state(0).to_bytes()
    vector.step(np.array([0x80, 0x80]))
    vector.load_state(1, lane)
    assert vector.dump_state(1).to_bytes() == lane


@pytest.fixture
def native_snapshot(make_env) -> bytes:
    env = make_env("SuperMarioBros-1-1-v0", emulator="native")
    env.reset(seed=0)
    env.step(0x80)
    return env.unwrapped.dump_state().to_bytes()


def with_format_version(data: bytes, version: int) -> bytes:
    return data[: len(FORMAT_MAGIC)] + version.to_bytes(2, "little") + data[len(FORMAT_MAGIC) + 2 :]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda data: b"hello", "not a gym-mario-latent snapshot"),
        (lambda data: with_format_version(data, FORMAT_VERSION + 1), "format version 2; this version of gym"),
        (lambda data: data[: len(data) // 2], "is truncated"),
        (lambda data: data[:20], "is truncated"),
        (lambda data: data[:40] + bytes([data[40] ^ 1]) + data[41:], "CRC-32 does not match"),  # the header
        (lambda data: data + b"\0", "bytes after its end"),
        (lambda data: data[:-100] + bytes([data[-100] ^ 1]) + data[-99:], "CRC-32 does not match"),
    ],
)
def test_bytes_that_are_no_intact_snapshot_of_this_format_are_refused(native_snapshot, damage, message):
    with pytest.raises(SnapshotError, match=message):
        MarioSnapshot.from_bytes(damage(native_snapshot))


@pytest.mark.parametrize(
    ("env_id", "kwargs", "message"),
    [
        ("SuperMarioBros-1-2-v0", {}, "plays stage 1-1 \\(one life\\); this env plays stage 1-2 \\(one life"),
        ("SuperMarioBros-v0", {}, "this env plays the whole game from 1-1"),
        ("SuperMarioBros-1-1-v1", {}, "taken in Super Mario Bros. in ROM mode 0; this env plays Super Mario"),
        ("SuperMarioBros-1-1-v0", {"emulator": "nes-py"}, "taken on the 'native' emulator; this env runs"),
    ],
)
def test_snapshot_bytes_load_only_into_an_env_of_their_stage_game_and_emulator(
    native_snapshot, make_env, env_id, kwargs, message
):
    env = make_env(env_id, **{"emulator": "native", **kwargs})
    env.reset(seed=0)
    with pytest.raises(SnapshotError, match=message):
        env.get_wrapper_attr("load_state")(native_snapshot)


def test_a_random_stages_env_takes_a_snapshot_of_any_stage_but_not_of_the_whole_game(make_env):
    random_stages = make_env("SuperMarioBrosRandomStages-v0", emulator="native").unwrapped
    stage = make_env("SuperMarioBros-4-2-v0", emulator="native").unwrapped
    whole_game = make_env("SuperMarioBros-v0", emulator="native").unwrapped
    for env in (random_stages, stage, whole_game):
        env.reset(seed=0)
    random_stages.load_state(stage.dump_state().to_bytes())
    assert random_stages.step(0)[4]["world"] == 4
    with pytest.raises(SnapshotError, match="this env plays a stage drawn at each reset"):
        random_stages.load_state(whole_game.dump_state())


def test_lane_and_single_env_bytes_are_told_apart(make_env, native_snapshot):
    vector = make_env(SuperMarioBrosVectorEnv, 2, target="1-1", emulator="native")
    vector.reset(seed=0)
    with pytest.raises(SnapshotError, match="a single env's snapshot, not a vector env lane's"):
        vector.load_state(0, native_snapshot)
    with pytest.raises(SnapshotError, match=r"load them with vector_env\.load_state"):
        MarioSnapshot.from_bytes(vector.dump_state(0).to_bytes())


def test_snapshots_reach_through_the_preprocessing_stack(make_env):
    """``get_wrapper_attr`` finds the game's ``dump_state`` under Gymnasium's wrappers (the frame stack itself
    is not in the snapshot: the game is)."""
    from gym_mario_latent.preprocessing import make_preprocessed

    env = make_env(make_preprocessed, "SuperMarioBros-1-1-v0", emulator="native")
    env.reset(seed=0)
    snapshot = env.get_wrapper_attr("dump_state")()
    recorded = [env.step(0x81)[0][-1].copy() for _ in range(20)]  # the newest frame of each stack
    env.get_wrapper_attr("load_state")(snapshot.to_bytes())
    assert all(np.array_equal(env.step(0x81)[0][-1], frame) for frame in recorded)


def test_saving_an_nes_py_snapshot_names_the_emulator_to_use(make_env, tmp_path):
    env = make_env("SuperMarioBros-1-1-v0").unwrapped
    env.reset(seed=0)
    snapshot = env.dump_state()
    for save in (pickle.dumps, MarioSnapshot.to_bytes, lambda snapshot: snapshot.save(tmp_path / "x")):
        with pytest.raises(SnapshotError, match="emulator='native' to pickle or save snapshots"):
            save(snapshot)
    assert not (tmp_path / "x").exists()


def test_reading_a_missing_snapshot_file_is_a_snapshot_error(tmp_path):
    with pytest.raises(SnapshotError, match=r"cannot read the snapshot .*missing"):
        MarioSnapshot.from_file(tmp_path / "missing")
