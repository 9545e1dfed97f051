"""Gymnasium's RecordVideo records every env headless (MoviePy comes with the ``rl`` extra)."""

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.wrappers import RecordVideo

import gym_mario_latent  # noqa: F401  (registers the IDs)

moviepy = pytest.importorskip("moviepy", reason="RecordVideo needs MoviePy: the rl extra")


def recorded_clip(env: gym.Env, folder, steps: int):
    """Record one episode of ``steps`` random steps; the clip RecordVideo wrote and the first observation."""
    folder = folder / "videos"  # a new folder: RecordVideo warns before writing into one that exists
    env = RecordVideo(env, str(folder), episode_trigger=lambda episode: episode == 0, disable_logger=True)
    first_observation, _ = env.reset(seed=0)
    for _ in range(steps):
        env.step(env.action_space.sample())
    env.close()  # writes the episode's video
    (video,) = folder.glob("*.mp4")
    return moviepy.VideoFileClip(str(video)), first_observation


def frame_count(clip) -> int:
    return sum(1 for _ in clip.iter_frames())


def test_an_nes_episode_is_recorded_frame_for_frame(tmp_path):
    env = gym.make("SuperMarioBros-1-1-v0", render_mode="rgb_array", max_episode_steps=40)
    clip, first_observation = recorded_clip(env, tmp_path, steps=30)
    assert clip.size == [256, 240]
    assert clip.fps == env.metadata["render_fps"] == 15  # 60 NES frames/s over a frame skip of 4
    # the reset's frame and one per step: 31, of which MoviePy's writer may drop the last (its rounding of
    # 31 / 15 s)
    assert frame_count(clip) in (30, 31)
    difference = np.abs(clip.get_frame(0).astype(int) - first_observation.astype(int)).mean()
    assert difference < 8  # the video's first frame is the screen after reset, up to the codec's loss
    clip.close()


def test_a_latent_level_episode_is_recorded_with_a_picture_per_segment(tmp_path):
    env = gym.make("MarioLatentLevel-v0", render_mode="rgb_array", segments=3)
    clip, _ = recorded_clip(env, tmp_path, steps=3)
    height, width = env.render().shape[:2]  # the whole level's picture, the same size at every step
    assert clip.size == [width, height]
    assert frame_count(clip) == 4
    clip.close()
