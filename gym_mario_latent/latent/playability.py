"""Playability maps of a latent plane: a grid of latents, each cell's segment played by an agent, and the
walks that stay on its playable cells ("Mario Plays on a Manifold", González-Duque et al., CoG 2022, in
discrete form: the playable cells as a graph).

A map's plane passes through ``center`` along two latent axes; its ``size`` × ``size`` cells span
[-bound, bound] on each, row-major, the top row at the largest value of the second axis (the layout of
``vae grid``). For a 2-d generator the plane through the origin is the whole latent space. The explorer's maps
(:mod:`gym_mario_latent.explorer.playability`) and ``experiments/manifold_playability.py`` are computed here.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

import numpy as np

from gym_mario_latent.simulator_bridge import Simulator, Telemetry

_DIAGONAL = 2**0.5


@dataclass(frozen=True)
class MapSpec:
    """Where a map lies: ``size`` cells per side over [-bound, bound]² around ``center`` along ``axes``."""

    size: int
    bound: float
    center: tuple[float, ...]
    axes: tuple[int, int] = (0, 1)

    def steps(self) -> np.ndarray:
        """The cells' offsets along each axis, smallest first."""
        return np.linspace(-self.bound, self.bound, self.size)

    def points(self) -> np.ndarray:
        """Every cell's latent, row-major from the top row: (size², z_dim) float32."""
        steps = self.steps()
        u, v = np.meshgrid(steps, steps[::-1])
        z = np.tile(np.asarray(self.center, dtype=np.float64), (self.size * self.size, 1))
        z[:, self.axes[0]] += u.ravel()
        z[:, self.axes[1]] += v.ravel()
        return z.astype(np.float32)

    def nearest_cell(self, z: np.ndarray) -> int:
        """The cell whose latent lies nearest to `z`'s projection on the plane."""
        offset = np.asarray(z, dtype=np.float64) - np.asarray(self.center)
        scale = (self.size - 1) / (2 * self.bound)
        column = int(np.clip(round((offset[self.axes[0]] + self.bound) * scale), 0, self.size - 1))
        row = (
            self.size - 1 - int(np.clip(round((offset[self.axes[1]] + self.bound) * scale), 0, self.size - 1))
        )
        return row * self.size + column

    def neighbours(self, cell: int) -> Iterator[tuple[int, float]]:
        """The cells around `cell` (8 at most) and their distance from it in cells (1, or √2 diagonally)."""
        row, column = divmod(cell, self.size)
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                r, c = row + dr, column + dc
                if (dr or dc) and 0 <= r < self.size and 0 <= c < self.size:
                    yield r * self.size + c, _DIAGONAL if dr and dc else 1.0

    def to_json(self) -> dict[str, Any]:
        return {"size": self.size, "bound": self.bound, "center": list(self.center), "axes": list(self.axes)}


def play_all(pool: Simulator, segments: np.ndarray, on_played: Any = None) -> list[Telemetry]:
    """Every segment played on `pool`, each distinct one once, all workers busy; ``on_played(done, total)``
    after each distinct segment."""
    unique, inverse = np.unique(segments.reshape(len(segments), -1), axis=0, return_inverse=True)
    unique = unique.reshape(-1, *segments.shape[1:])
    played: list[Telemetry | None] = [None] * len(unique)
    with ThreadPoolExecutor(pool.n_workers, thread_name_prefix="playability-map") as threads:
        futures = {threads.submit(pool.evaluate, level): index for index, level in enumerate(unique)}
        for done, future in enumerate(as_completed(futures), start=1):
            played[futures[future]] = future.result()
            if on_played is not None:
                on_played(done, len(unique))
    return [played[index] for index in inverse.ravel()]


def playability_map(
    decode: Callable[[np.ndarray], np.ndarray], pool: Simulator, spec: MapSpec, on_played: Any = None
) -> tuple[np.ndarray, list[Telemetry]]:
    """The map of `spec`: every cell's segment (``decode`` of its latent) and the agent's game on it,
    row-major from the top row (see :func:`play_all` for ``on_played``)."""
    segments = decode(spec.points())
    return segments, play_all(pool, segments, on_played)


def playable_path(spec: MapSpec, playable: Sequence[bool], start: int, end: int) -> list[int] | None:
    """The shortest chain of playable cells from cell `start` to cell `end`, each a neighbour of the one
    before (8 neighbours, diagonal steps √2 long), or None when either end is unplayable or no chain joins
    them."""
    if not (playable[start] and playable[end]):
        return None
    distance = {start: 0.0}
    previous: dict[int, int] = {}
    queue = [(0.0, start)]
    while queue:
        cost, cell = heapq.heappop(queue)
        if cell == end:
            path = [end]
            while path[-1] != start:
                path.append(previous[path[-1]])
            return path[::-1]
        if cost > distance[cell]:
            continue
        for neighbour, length in spec.neighbours(cell):
            if playable[neighbour] and cost + length < distance.get(neighbour, np.inf):
                distance[neighbour], previous[neighbour] = cost + length, cell
                heapq.heappush(queue, (cost + length, neighbour))
    return None


def playable_walk(
    spec: MapSpec, playable: Sequence[bool], steps: int, rng: np.random.Generator, start: int | None = None
) -> list[int]:
    """A random walk of `steps` cells over the playable cells: from `start` (default: a playable cell drawn
    uniformly), each step moves to one of the current cell's playable neighbours drawn uniformly (it stays put
    on a cell with none). The first cell is part of the walk.

    Raises:
        ValueError: no playable cell, or an unplayable `start`.
    """
    cells = np.flatnonzero(np.asarray(playable, dtype=bool))
    if len(cells) == 0:
        raise ValueError("the map has no playable cell to walk on")
    cell = int(rng.choice(cells)) if start is None else start
    if not playable[cell]:
        raise ValueError(f"the walk's start, cell {cell}, is not playable")
    walk = [cell]
    while len(walk) < steps:
        choices = [neighbour for neighbour, _ in spec.neighbours(cell) if playable[neighbour]]
        cell = int(rng.choice(choices)) if choices else cell
        walk.append(cell)
    return walk
