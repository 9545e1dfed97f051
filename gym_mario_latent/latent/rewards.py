"""Reward presets of the latent-level envs: functions of ``(telemetry, segment, history)``.

``telemetry`` is the :class:`~gym_mario_latent.simulator_bridge.Telemetry` of the A* agent's game on the
played part of the level, ``segment`` the new segment's tile ids (14, 14) and ``history`` the earlier
segments of the episode (oldest first; empty in the one-segment env). A preset returns a float, or a
mapping of named parts whose sum is the reward (the env reports the parts in ``info["reward_parts"]``).
Any callable of the same signature can be given as ``reward=``; every value it returns must be a finite real
number (NaN, infinities and other types raise, naming what came back: see :func:`reward_parts`).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from gym_mario_latent.latent.measures import tile_pattern_js
from gym_mario_latent.simulator_bridge import Telemetry

RewardFunction = Callable[[Telemetry, np.ndarray, Sequence[np.ndarray]], float | Mapping[str, float]]

# ED(PCG)RL's constants (Shu, Liu & Yannakakis, "Experience-Driven PCG via Reinforcement Learning: a Super
# Mario Bros study", CoG 2021; as published in SUSTechGameAI/MFEDRL, CoG 2022: its FunContent term).
EDPCG_PATTERN_SIZE = 2  # tile patterns are 2×2 windows, slid with stride 1
EDPCG_GOAL_DIVERGENCE = 0.1  # the divergence from a recent segment that earns the most "fun"
EDPCG_RECENT_SEGMENTS = 4  # how many earlier segments the new one is compared with
EDPCG_UNPLAYABLE_PENALTY = -1.0


def completion(telemetry: Telemetry, segment: np.ndarray, history: Sequence[np.ndarray]) -> float:
    """Share of the played segments the agent crossed, 0–1 (1 for a win)."""
    return float(telemetry.completion)


def win(telemetry: Telemetry, segment: np.ndarray, history: Sequence[np.ndarray]) -> float:
    """1 if the agent reached the finish, else 0."""
    return 1.0 if telemetry.won else 0.0


def jumps(telemetry: Telemetry, segment: np.ndarray, history: Sequence[np.ndarray]) -> float:
    """The MarioVAE blog's objective: jumps the agent took in a playable level, 0 if it is unplayable."""
    return float(telemetry.jumps) if telemetry.won else 0.0


def edpcg_fun(segment: np.ndarray, history: Sequence[np.ndarray]) -> float:
    """ED(PCG)RL's "fun" of a new segment: how close its tile-pattern divergence from each recent segment
    is to the goal divergence, weighted towards the most recent ones.

    For the k-th most recent of the last :data:`EDPCG_RECENT_SEGMENTS` segments, with weight
    ``w_k = 1 - k / (n + 1)`` and divergence ``d_k`` (the Jensen-Shannon divergence of 2×2 tile patterns,
    :func:`gym_mario_latent.latent.measures.tile_pattern_js`), the term is ``min(w_k, 1 - |d_k - g| / g)``;
    fun is their sum divided by the sum of the weights (0 without history):
    at most 1 (each divergence at the goal ``g``), 0 for a copy of the recent segments, negative for
    segments far more different than ``g``.
    """
    n = EDPCG_RECENT_SEGMENTS
    recent = list(history[-n:])[::-1]  # most recent first: k = 1, 2, ...
    if not recent:
        return 0.0
    weights = [1 - k / (n + 1) for k in range(1, len(recent) + 1)]
    goal = EDPCG_GOAL_DIVERGENCE
    terms = [
        min(weight, 1 - abs(tile_pattern_js(segment, earlier, EDPCG_PATTERN_SIZE) - goal) / goal)
        for weight, earlier in zip(weights, recent, strict=True)
    ]
    return sum(terms) / sum(weights)


def edpcg(telemetry: Telemetry, segment: np.ndarray, history: Sequence[np.ndarray]) -> dict[str, float]:
    """ED(PCG)RL's reward: playability (0 when the agent gets through, -1 when not) plus fun
    (:func:`edpcg_fun`)."""
    playability = 0.0 if telemetry.won else EDPCG_UNPLAYABLE_PENALTY
    return {"playability": playability, "fun": edpcg_fun(segment, history)}


#: Reward presets by name.
REWARD_PRESETS: dict[str, RewardFunction] = {
    "completion": completion,
    "win": win,
    "jumps": jumps,
    "edpcg": edpcg,
}


def reward_function(reward: str | RewardFunction) -> RewardFunction:
    """The preset named ``reward``, or ``reward`` itself if it is callable."""
    if callable(reward):
        return reward
    if reward not in REWARD_PRESETS:
        raise ValueError(
            f"unknown reward preset {reward!r}: expected one of {list(REWARD_PRESETS)} or a callable"
        )
    return REWARD_PRESETS[reward]


def reward_parts(
    reward: RewardFunction, telemetry: Telemetry, segment: np.ndarray, history: Sequence[np.ndarray]
) -> dict[str, float]:
    """The parts of ``reward``'s value (``{"reward": value}`` for a plain number); the reward is their sum.

    Each value must be a finite real number: a Python or NumPy int or float (a bool counts as 0 or 1).

    Raises:
        TypeError: the reward returned something else (a string, None, a list, an array, a complex number).
        ValueError: it returned NaN or an infinity (no reward an agent can learn from).
    """
    value = reward(telemetry, segment, history)
    parts = dict(value) if isinstance(value, Mapping) else {"reward": value}
    for name, part in parts.items():
        named = f" for {name!r}" if isinstance(value, Mapping) else ""
        what = f"{part!r} (a {type(part).__name__}){named}"
        if not isinstance(part, numbers.Real):
            raise TypeError(f"the reward function returned {what}, expected a finite real number")
        if not math.isfinite(part):
            raise ValueError(f"the reward function returned {what}, expected a finite real number")
    return {name: float(part) for name, part in parts.items()}
