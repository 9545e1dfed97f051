"""Reward presets of the latent-level envs: functions of ``(telemetry, segment, history)``.

``telemetry`` is the :class:`~gym_mario_latent.simulator_bridge.Telemetry` of the A* agent's game on the
played part of the level, ``segment`` the new segment's tile ids (14, 14) and ``history`` the earlier
segments of the episode (oldest first; empty in the one-segment env). A preset returns a float, or a
mapping of named parts whose sum is the reward (the env reports the parts in ``info["reward_parts"]``).
A reward with ``needs_traces = True`` (the ``edpcg`` preset) is also given ``traces=``: the agent's path on
each segment of the episode so far (:func:`segment_trace`), oldest first, the new segment's last; the latent
envs then play with the simulator's per-tick trace on (only then).
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

RewardFunction = Callable[..., float | Mapping[str, float]]

# ED(PCG)RL's constants (Shu, Liu & Yannakakis, "Experience-Driven PCG via Reinforcement Learning: a Super
# Mario Bros study", CoG 2021; as published in SUSTechGameAI/MFEDRL, CoG 2022: src/environment/
# reward_function.py, its FunContent and FunBehaviour terms, both of weight 1 in rfuncs.py's default).
EDPCG_PATTERN_SIZE = 2  # tile patterns are 2×2 windows, slid with stride 1
EDPCG_GOAL_DIVERGENCE = 0.1  # the tile-pattern divergence from a recent segment that earns the most "fun"
EDPCG_BEHAVIOUR_GOAL = 0.25  # the same for the divergence of the agent's paths (FunBehaviour's g)
EDPCG_DTW_WINDOW = 10  # FunBehaviour's w: the DTW band, at least the two paths' difference in ticks
EDPCG_RECENT_SEGMENTS = 4  # how many earlier segments the new one is compared with
EDPCG_UNPLAYABLE_PENALTY = -1.0
TILE_PIXELS = 16  # trace positions are pixels (simulator/PROTOCOL.md)


def completion(telemetry: Telemetry, segment: np.ndarray, history: Sequence[np.ndarray]) -> float:
    """Share of the played segments the agent crossed, 0–1 (1 for a win)."""
    return float(telemetry.completion)


def win(telemetry: Telemetry, segment: np.ndarray, history: Sequence[np.ndarray]) -> float:
    """1 if the agent reached the finish, else 0."""
    return 1.0 if telemetry.won else 0.0


def jumps(telemetry: Telemetry, segment: np.ndarray, history: Sequence[np.ndarray]) -> float:
    """The MarioVAE blog's objective: jumps the agent took in a playable level, 0 if it is unplayable."""
    return float(telemetry.jumps) if telemetry.won else 0.0


def recent_fun(divergence: Callable[[int], float | None], available: int, goal: float) -> float:
    """ED(PCG)RL's "fun" shape: how close the new segment's divergence from each recent one is to ``goal``,
    weighted towards the most recent ones.

    For the k-th most recent of the last :data:`EDPCG_RECENT_SEGMENTS` earlier segments (of ``available``),
    with weight ``w_k = 1 - k / (n + 1)`` and divergence ``d_k = divergence(k)``, the term is
    ``min(w_k, 1 - |d_k - g| / g)``; fun is their sum divided by the sum of the weights (0 with nothing to
    compare): at most 1 (each divergence at the goal), 0 for a copy, negative far beyond the goal. A
    ``divergence`` of None leaves that segment (and its weight) out.
    """
    n = EDPCG_RECENT_SEGMENTS
    terms, weights = [], []
    for k in range(1, min(n, available) + 1):
        d = divergence(k)
        if d is None:
            continue
        weight = 1 - k / (n + 1)
        weights.append(weight)
        terms.append(min(weight, 1 - abs(d - goal) / goal))
    return sum(terms) / sum(weights) if weights else 0.0


def content_fun(segment: np.ndarray, history: Sequence[np.ndarray]) -> float:
    """ED(PCG)RL's content fun (MFEDRL's FunContent): :func:`recent_fun` of the Jensen-Shannon divergence of
    2×2 tile patterns (:func:`gym_mario_latent.latent.measures.tile_pattern_js`), goal 0.1."""
    return recent_fun(
        lambda k: tile_pattern_js(segment, history[-k], EDPCG_PATTERN_SIZE),
        len(history),
        EDPCG_GOAL_DIVERGENCE,
    )


def segment_trace(trace: Sequence[Sequence[float]] | None, first_column: int, columns: int) -> np.ndarray:
    """The agent's path on one segment of a played level: the ``[x, y]`` of the ticks whose x lies in the
    segment's ``columns`` starting at ``first_column`` (of the level as played, padding included), x counted
    from the first of those ticks (as MFEDRL's per-segment traces); shape (ticks, 2), in pixels, empty when
    the agent never got there."""
    if not trace:
        return np.empty((0, 2))
    points = np.asarray(trace, dtype=float)[:, :2]
    start, end = first_column * TILE_PIXELS, (first_column + columns) * TILE_PIXELS
    inside = points[(points[:, 0] >= start) & (points[:, 0] < end)]
    return inside - [inside[0, 0], 0.0] if len(inside) else inside


def dtw_distance(a: np.ndarray, b: np.ndarray, window: int) -> float:
    """Dynamic time warping of two paths (points × dims): the least sum of Euclidean point distances over
    monotone alignments that pair ticks at most ``max(window, |len(a) - len(b)|)`` apart."""
    band = max(window, abs(len(a) - len(b)))
    cost = np.linalg.norm(a[:, None, :] - b[None, :, :], axis=-1)
    total = np.full((len(a) + 1, len(b) + 1), np.inf)
    total[0, 0] = 0.0
    for i in range(1, len(a) + 1):
        for j in range(max(1, i - band), min(len(b), i + band) + 1):
            total[i, j] = cost[i - 1, j - 1] + min(total[i - 1, j], total[i, j - 1], total[i - 1, j - 1])
    return float(total[-1, -1])


def trace_divergence(a: np.ndarray, b: np.ndarray, columns: int) -> float:
    """MFEDRL's divergence of the agent's paths on two segments of ``columns`` columns: the DTW distance
    (window :data:`EDPCG_DTW_WINDOW`) of the paths in tiles, divided by the segment's width in pixels."""
    return dtw_distance(a / TILE_PIXELS, b / TILE_PIXELS, EDPCG_DTW_WINDOW) / (TILE_PIXELS * columns)


def behaviour_fun(traces: Sequence[np.ndarray], columns: int) -> float:
    """ED(PCG)RL's behaviour fun (MFEDRL's FunBehaviour): :func:`recent_fun` of :func:`trace_divergence`
    between the agent's path on the new segment (``traces[-1]``) and on each recent one, goal 0.25. Paths
    of segments the agent never entered are left out (0 when it never entered the new one)."""
    *earlier, new = traces
    if not len(new):
        return 0.0
    return recent_fun(
        lambda k: trace_divergence(new, earlier[-k], columns) if len(earlier[-k]) else None,
        len(earlier),
        EDPCG_BEHAVIOUR_GOAL,
    )


def _playability(telemetry: Telemetry) -> float:
    return 0.0 if telemetry.won else EDPCG_UNPLAYABLE_PENALTY


def edpcg(
    telemetry: Telemetry,
    segment: np.ndarray,
    history: Sequence[np.ndarray],
    traces: Sequence[np.ndarray] | None = None,
) -> dict[str, float]:
    """MFEDRL's default reward: playability (0 when the agent gets through, -1 when not) plus content fun
    (:func:`content_fun`) plus behaviour fun (:func:`behaviour_fun`, from the agent's per-segment
    ``traces``), each of weight 1.

    Raises:
        ValueError: no ``traces`` (the latent envs pass them; elsewhere use ``edpcg-content``).
    """
    if traces is None:
        raise ValueError(
            "the edpcg reward needs the agent's per-segment traces (traces=), which the latent envs pass; "
            "use 'edpcg-content' (content fun + playability) where there are none"
        )
    return {
        "playability": _playability(telemetry),
        "content_fun": content_fun(segment, history),
        "behaviour_fun": behaviour_fun(traces, segment.shape[1]),
    }


edpcg.needs_traces = True


def edpcg_content(
    telemetry: Telemetry, segment: np.ndarray, history: Sequence[np.ndarray]
) -> dict[str, float]:
    """MFEDRL's ``fun_c`` reward: playability plus content fun (no behaviour fun, so no traces)."""
    return {"playability": _playability(telemetry), "content_fun": content_fun(segment, history)}


#: Reward presets by name.
REWARD_PRESETS: dict[str, RewardFunction] = {
    "completion": completion,
    "win": win,
    "jumps": jumps,
    "edpcg": edpcg,
    "edpcg-content": edpcg_content,
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


def needs_traces(reward: RewardFunction) -> bool:
    """True for a reward that is given the agent's per-segment ``traces=`` (see the module docstring)."""
    return bool(getattr(reward, "needs_traces", False))


def reward_parts(
    reward: RewardFunction,
    telemetry: Telemetry,
    segment: np.ndarray,
    history: Sequence[np.ndarray],
    traces: Sequence[np.ndarray] | None = None,
) -> dict[str, float]:
    """The parts of ``reward``'s value (``{"reward": value}`` for a plain number); the reward is their sum.
    ``traces`` go to a reward that :func:`needs_traces`.

    Each value must be a finite real number: a Python or NumPy int or float (a bool counts as 0 or 1).

    Raises:
        TypeError: the reward returned something else (a string, None, a list, an array, a complex number).
        ValueError: it returned NaN or an infinity (no reward an agent can learn from).
    """
    value = reward(telemetry, segment, history, **({"traces": traces} if needs_traces(reward) else {}))
    parts = dict(value) if isinstance(value, Mapping) else {"reward": value}
    for name, part in parts.items():
        named = f" for {name!r}" if isinstance(value, Mapping) else ""
        what = f"{part!r} (a {type(part).__name__}){named}"
        if not isinstance(part, numbers.Real):
            raise TypeError(f"the reward function returned {what}, expected a finite real number")
        if not math.isfinite(part):
            raise ValueError(f"the reward function returned {what}, expected a finite real number")
    return {name: float(part) for name, part in parts.items()}
