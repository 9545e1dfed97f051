"""Replaying actions from snapshot files, step by step, as JSON records: a test runs it in a second process
(``python tests/snapshot_replay.py JOB.json``) and compares the records with its own.

A job is ``{"kind": "env" | "lanes", "files": [...], "actions": [[...], ...]}``: ``env`` loads one
``MarioSnapshot`` file into ``SuperMarioBros-1-1-v0``; ``lanes`` loads one ``LaneSnapshot`` file per lane
into :data:`VECTOR_ENV_ARGS`'s vector env. Both on the native emulator, reset with seed 0 before loading.
"""

import hashlib
import json
import sys

import gymnasium as gym
import numpy as np

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.envs.snapshots import LaneSnapshot, MarioSnapshot
from gym_mario_latent.envs.vector import SuperMarioBrosVectorEnv

SINGLE_ENV_ID = "SuperMarioBros-1-1-v0"
VECTOR_ENV_ARGS = {"num_envs": 3, "target": "1-1", "max_episode_steps": 150, "emulator": "native"}


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def _digest(array) -> str:
    return hashlib.sha1(np.ascontiguousarray(array).tobytes()).hexdigest()


def env_records(env: gym.Env, actions: list[int]) -> list[list]:
    """Per step: the observation's and the RAM's SHA-1, reward, terminated, truncated, info."""
    records = []
    for action in actions:
        observation, reward, terminated, truncated, info = env.step(int(action))
        ram = _digest(env.unwrapped.ram)
        records.append([_digest(observation), ram, reward, terminated, truncated, info])
        if terminated or truncated:
            env.reset()
    return json.loads(json.dumps(records, default=_plain))


def lane_records(env: SuperMarioBrosVectorEnv, actions: list[list[int]]) -> list[list]:
    """Per step and lane: the lane's observation and RAM SHA-1, reward, terminated, truncated, info."""
    records = []
    for step_actions in actions:
        observations, rewards, terminated, truncated, info = env.step(np.array(step_actions))
        for lane in range(env.num_envs):
            lane_info = {key: value[lane] for key, value in info.items() if not key.startswith("_")}
            ram = _digest(env.lanes[lane].ram)
            ended = [terminated[lane], truncated[lane]]
            records.append([_digest(observations[lane]), ram, rewards[lane], *ended, lane_info])
    return json.loads(json.dumps(records, default=_plain))


def replay(job: dict) -> list[list]:
    """Load the job's snapshot files into a fresh env and replay its actions."""
    if job["kind"] == "env":
        env = gym.make(SINGLE_ENV_ID, emulator="native")
        env.reset(seed=0)
        env.get_wrapper_attr("load_state")(MarioSnapshot.from_file(job["files"][0]))
        records = env_records(env, job["actions"])
    else:
        env = SuperMarioBrosVectorEnv(**VECTOR_ENV_ARGS)
        env.reset(seed=0)
        env.load_states([LaneSnapshot.from_file(path) for path in job["files"]])
        records = lane_records(env, job["actions"])
    env.close()
    return records


if __name__ == "__main__":
    with open(sys.argv[1]) as job_file:
        print(json.dumps(replay(json.load(job_file))))
