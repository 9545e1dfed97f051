"""The classic Atari-style observation stack for the NES envs, built from Gymnasium's own wrappers.

One call gives an env (or the native vector env) whose observations are what CleanRL's and
Stable-Baselines3's CNN policies expect: ``(4, 84, 84)`` uint8, channels first::

    import gym_mario_latent
    from gym_mario_latent.actions import SIMPLE_MOVEMENT
    from gym_mario_latent.preprocessing import make_preprocessed

    env = make_preprocessed("SuperMarioBros-1-1-v0", actions=SIMPLE_MOVEMENT)
    envs = make_preprocessed("SuperMarioBros-1-1-v0", num_envs=8, actions=SIMPLE_MOVEMENT)

The stack, applied per lane: optional max-pool over the last two of ``max_pool_skip`` frames
(``MaxAndSkipObservation``, on a 1-frame-per-step env), resize to ``size × size`` (``ResizeObservation``,
OpenCV: the ``rl`` extra), grayscale without a channel axis (``GrayscaleObservation``), optional reward
scaling (``TransformReward``), and a stack of the last ``stack`` frames (``FrameStackObservation``).
On our NES core (``emulator="native"``) the resize and the grayscale are one C call,
:class:`ResizedGrayscaleObservation`, with the same arithmetic: the same pixels (tested against the two
wrappers on nes-py), several times faster.
"""

from collections.abc import Callable
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium.vector import VectorEnv
from gymnasium.wrappers import (
    FrameStackObservation,
    GrayscaleObservation,
    MaxAndSkipObservation,
    ResizeObservation,
    TransformObservation,
    TransformReward,
)

from gym_mario_latent.emulator import NATIVE
from gym_mario_latent.wrappers import JoypadSpace

DEFAULT_SIZE = 84
DEFAULT_STACK = 4
RGB_MODES = ("rgb", "rgb_view")
FEWEST_NATIVE_COLUMNS = 32  # the C resize handles up to 8 screen columns per output column


class ResizedGrayscaleObservation(gym.ObservationWrapper):
    """``ResizeObservation`` then ``GrayscaleObservation(keep_dim=False)`` on our NES core, in one C call
    (:meth:`~gym_mario_latent.envs.smb.SuperMarioBrosEnv.resized_grayscale`): the same pixels, read straight
    from the emulator's screen, so the env below may hand out its zero-copy ``rgb_view``."""

    def __init__(self, env: gym.Env, shape: tuple[int, int]) -> None:
        super().__init__(env)
        self.observation_space = gym.spaces.Box(0, 255, shape, np.uint8)

    def observation(self, observation: np.ndarray) -> np.ndarray:
        return self.env.unwrapped.resized_grayscale(self.observation_space.shape)


def _runs_on_our_core(env: gym.Env) -> bool:
    """Whether ``env`` shows the RGB screen of our NES core unchanged (no observation wrapper in between)."""
    while isinstance(env, gym.Wrapper):
        if isinstance(env, gym.ObservationWrapper):
            return False
        env = env.env
    return getattr(env, "emulator", None) == NATIVE and getattr(env, "observation_mode", None) in RGB_MODES


def preprocessing_wrappers(
    *,
    size: int = DEFAULT_SIZE,
    stack: int = DEFAULT_STACK,
    max_pool_skip: int | None = None,
    reward_scale: float | None = None,
    channels_last: bool = False,
) -> Callable[[gym.Env], gym.Env]:
    """A function that wraps one env in the stack (see the module docstring), e.g. as ``lane_wrappers``.

    Args:
        size: side of the square observation, in pixels.
        stack: frames stacked along the first axis.
        max_pool_skip: if given, repeat each action this many frames and max-pool the last two; the env must
            advance 1 frame per step (a ``NoFrameskip`` ID, or ``frame_skip=1``).
        reward_scale: if given, multiply every reward by it (e.g. ``1 / 15`` maps the NES reward to [-1, 1]).
        channels_last: stack the frames along the last axis, ``(size, size, stack)``, the image layout RLlib's
            default CNN encoder takes (CleanRL and Stable-Baselines3 take the default, channels first).
    """
    for name, value in (("size", size), ("stack", stack), ("max_pool_skip", max_pool_skip)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if max_pool_skip is not None and max_pool_skip < 2:
        raise ValueError(
            f"max_pool_skip must be at least 2 (it pools the last two frames), got {max_pool_skip}"
        )
    if reward_scale is not None and not isinstance(reward_scale, int | float):
        raise ValueError(f"reward_scale must be a number or None, got {reward_scale!r}")

    def wrap(env: gym.Env) -> gym.Env:
        if max_pool_skip is not None:
            frame_skip = getattr(env.unwrapped, "frame_skip", 1)
            if frame_skip != 1:
                raise ValueError(
                    f"max_pool_skip needs an env that advances 1 frame per step (a NoFrameskip ID or "
                    f"frame_skip=1); this one advances {frame_skip}"
                )
            env = MaxAndSkipObservation(env, skip=max_pool_skip)
        if max_pool_skip is None and size >= FEWEST_NATIVE_COLUMNS and _runs_on_our_core(env):
            env = ResizedGrayscaleObservation(env, (size, size))
        else:
            # Resize first: the grayscale conversion then runs on 84×84 pixels instead of 240×256.
            env = ResizeObservation(env, (size, size))
            env = GrayscaleObservation(env, keep_dim=False)
        if reward_scale is not None:
            env = TransformReward(env, lambda reward: reward * reward_scale)
        env = FrameStackObservation(env, stack)
        return _stack_last(env) if channels_last else env

    return wrap


def _stack_last(env: gym.Env) -> gym.Env:
    """Move the stacked frames' axis from first to last: ``(stack, h, w)`` → ``(h, w, stack)``."""
    space = env.observation_space
    stacked_last = gym.spaces.Box(
        np.moveaxis(space.low, 0, -1), np.moveaxis(space.high, 0, -1), dtype=space.dtype
    )
    return TransformObservation(env, lambda frames: np.moveaxis(frames, 0, -1), stacked_last)


def make_preprocessed(
    env_or_id: gym.Env | str,
    *,
    num_envs: int | None = None,
    actions: list[list[str]] | None = None,
    size: int = DEFAULT_SIZE,
    stack: int = DEFAULT_STACK,
    max_pool_skip: int | None = None,
    reward_scale: float | None = None,
    channels_last: bool = False,
    **make_kwargs: Any,
) -> gym.Env | VectorEnv:
    """The env ``env_or_id`` with the classic stack: observations ``(stack, size, size)`` uint8.

    Args:
        env_or_id: a registered ID (``"SuperMarioBros-1-1-v0"``) or an env already made.
        num_envs: with an ID, build the native vector env of that many lanes (the stack wraps each lane);
            ``None``: one env.
        actions: an action list of :mod:`gym_mario_latent.actions` (``JoypadSpace`` for one env, the vector
            env's ``actions`` for many).
        size, stack, max_pool_skip, reward_scale, channels_last: see :func:`preprocessing_wrappers`. With an
            ID and ``max_pool_skip``, the env is made with ``frame_skip=1`` so that the wrapper does the
            skipping.
        make_kwargs: passed to ``gym.make`` / ``gym.make_vec`` (``max_episode_steps``, ``num_threads``...).
    """
    wrap = preprocessing_wrappers(
        size=size,
        stack=stack,
        max_pool_skip=max_pool_skip,
        reward_scale=reward_scale,
        channels_last=channels_last,
    )
    if isinstance(env_or_id, str):
        if max_pool_skip is not None:
            make_kwargs = {"frame_skip": 1, **make_kwargs}
        # The first wrapper (max-pool or resize) copies the screen, so the env may hand out zero-copy views.
        make_kwargs = {"observation_mode": "rgb_view", **make_kwargs}
        if num_envs is not None:
            return gym.make_vec(
                env_or_id,
                num_envs=num_envs,
                vectorization_mode="vector_entry_point",
                actions=actions,
                lane_wrappers=wrap,
                **make_kwargs,
            )
        env_or_id = gym.make(env_or_id, **make_kwargs)
    elif not isinstance(env_or_id, gym.Env):
        raise TypeError(f"expected an env ID or a gymnasium.Env, got {type(env_or_id).__name__}")
    elif num_envs is not None or make_kwargs:
        raise ValueError(
            "num_envs and make arguments need an env ID; for a vector env pass lane_wrappers="
            "preprocessing_wrappers(...) to gym.make_vec"
        )
    if actions is not None:
        env_or_id = JoypadSpace(env_or_id, actions)
    return wrap(env_or_id)
