"""The playability map: a grid over a 2-d plane of the latent space, each cell's segment played by an
agent, computed in the background with its progress, and kept on disk by the generator's hash.

A map's plane passes through ``center`` along two latent axes; its ``size`` × ``size`` cells span
[-bound, bound] on each, row-major, the top row at the largest value of the second axis (the layout of
``vae grid``). For a 2-d generator the plane through the origin is the whole latent space.
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from gym_mario_latent.errors import ExplorerError
from gym_mario_latent.explorer.generator import ExplorerGenerator
from gym_mario_latent.explorer.layers import behaviour_values
from gym_mario_latent.simulator_bridge import Simulator, Telemetry

CACHE_FORMAT = 1
#: Maps queued or being computed at most; more are refused until one is done.
MAX_PENDING_MAPS = 4
#: Maps remembered in memory (finished ones beyond this are forgotten, oldest first: the disk keeps them).
MAX_REMEMBERED_MAPS = 32


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

    def to_json(self) -> dict[str, Any]:
        return {"size": self.size, "bound": self.bound, "center": list(self.center), "axes": list(self.axes)}


def playable_path(spec: MapSpec, playable: list[bool], start: int, end: int) -> list[int] | None:
    """The shortest chain of playable cells from cell `start` to cell `end`, each a neighbour of the one
    before (8 neighbours, diagonal steps √2 long), or None when either end is unplayable or no chain joins
    them."""
    if not (playable[start] and playable[end]):
        return None
    size = spec.size
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
        row, column = divmod(cell, size)
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                r, c = row + dr, column + dc
                if (dr or dc) and 0 <= r < size and 0 <= c < size and playable[r * size + c]:
                    step = cost + (1.4142135623730951 if dr and dc else 1.0)
                    if step < distance.get(r * size + c, np.inf):
                        distance[r * size + c], previous[r * size + c] = step, cell
                        heapq.heappush(queue, (step, r * size + c))
    return None


@dataclass
class MapJob:
    """One map being computed (or read from the cache): its progress and, once done, its result."""

    id: str
    spec: MapSpec
    agent: str
    state: str = "queued"  # queued, running, done, failed
    done: int = 0
    total: int = 0
    cached: bool = False
    error: str | None = None
    result: dict[str, Any] | None = field(default=None, repr=False)

    def to_json(self, with_result: bool = True) -> dict[str, Any]:
        answer = {
            "id": self.id,
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "cached": self.cached,
            "error": self.error,
            "agent": self.agent,
            "map": self.spec.to_json(),
        }
        if with_result and self.state == "done":
            answer["result"] = self.result
        return answer


def play_all(pool: Simulator, segments: np.ndarray, on_played: Any = None) -> list[Telemetry]:
    """Every segment played on `pool`, each distinct one once, all workers busy; ``on_played(done, total)``
    after each distinct segment."""
    unique, inverse = np.unique(segments.reshape(len(segments), -1), axis=0, return_inverse=True)
    unique = unique.reshape(-1, *segments.shape[1:])
    played: list[Telemetry | None] = [None] * len(unique)
    with ThreadPoolExecutor(pool.n_workers, thread_name_prefix="explorer-map") as threads:
        futures = {threads.submit(pool.evaluate, level): index for index, level in enumerate(unique)}
        for done, future in enumerate(as_completed(futures), start=1):
            played[futures[future]] = future.result()
            if on_played is not None:
                on_played(done, len(unique))
    return [played[index] for index in inverse.ravel()]


class PlayabilityMaps:
    """Computes maps one at a time in the background, remembers them by id, and keeps finished ones in
    ``cache_dir`` (a JSON file per map, named by the hash of the generator, the simulator jar, the game
    settings and the map's plane).

    Args:
        generator: the generator whose segments are played.
        pool: the simulator pool of an agent (a callable: agent name → :class:`Simulator`).
        cache_dir: the folder of the cached maps.
        simulator_sha256: the jar's hash (part of every key: another simulator plays differently).
    """

    def __init__(
        self, generator: ExplorerGenerator, pool: Any, cache_dir: Path, simulator_sha256: str
    ) -> None:
        self.generator, self.pool, self.cache_dir = generator, pool, Path(cache_dir)
        self.simulator_sha256 = simulator_sha256
        self._jobs: dict[str, MapJob] = {}
        self._lock = threading.Lock()
        self._runner = ThreadPoolExecutor(1, thread_name_prefix="explorer-maps")

    def key(self, spec: MapSpec, agent: str) -> dict[str, Any]:
        """What a map's result depends on."""
        pool = self.pool(agent)
        settings = pool.settings.request_fields() | {"trace": False}
        padding = pool.padding
        return {
            "format": CACHE_FORMAT,
            "generator_sha256": self.generator.sha256,
            "simulator_sha256": self.simulator_sha256,
            "settings": settings,
            "padding": None if padding is None else [padding.start, padding.finish, padding.ground_rows],
            "map": spec.to_json(),
        }

    def cache_path(self, job_id: str) -> Path:
        return self.cache_dir / f"{job_id}.json"

    def start(self, spec: MapSpec, agent: str) -> MapJob:
        """The map's job: finished at once from memory or the cache, else queued."""
        key = self.key(spec, agent)
        job_id = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:32]
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None and job.state != "failed":
                return job
            pending = sum(job.state in ("queued", "running") for job in self._jobs.values())
            if pending >= MAX_PENDING_MAPS:
                raise ExplorerError(f"{pending} playability maps are being computed: wait for one to finish")
            self._forget_old_maps()
            job = self._jobs[job_id] = MapJob(job_id, spec, agent)
            cached = self._read_cache(job_id, key)
            if cached is not None:
                job.state, job.cached, job.result = "done", True, cached
                job.done = job.total = spec.size * spec.size
                return job
        self._runner.submit(self._compute, job, key)
        return job

    def _forget_old_maps(self) -> None:
        """Drops the oldest finished maps from memory beyond :data:`MAX_REMEMBERED_MAPS` (under the lock)."""
        finished = [job_id for job_id, job in self._jobs.items() if job.state in ("done", "failed")]
        for job_id in finished[: max(0, len(self._jobs) + 1 - MAX_REMEMBERED_MAPS)]:
            del self._jobs[job_id]

    def get(self, job_id: str) -> MapJob | None:
        """The job of that id (started in this server's life), or None."""
        with self._lock:
            return self._jobs.get(job_id)

    def _read_cache(self, job_id: str, key: dict[str, Any]) -> dict[str, Any] | None:
        with contextlib.suppress(OSError, ValueError):
            stored = json.loads(self.cache_path(job_id).read_text(encoding="utf-8"))
            if stored.get("key") == key:
                return stored["result"]
        return None

    def _compute(self, job: MapJob, key: dict[str, Any]) -> None:
        def progress(done: int, total: int) -> None:
            job.done, job.total = done, total

        try:
            job.state = "running"
            segments = self.generator.decode(job.spec.points())
            telemetry = play_all(self.pool(job.agent), segments, progress)
            job.result = {
                "status": [t.status for t in telemetry],
                "layers": behaviour_values(telemetry, segments),
            }
            if all(t.reason is None for t in telemetry):  # a game the bridge cut short depends on the machine
                self._write_cache(job.id, {"key": key, "result": job.result})
            job.state = "done"
        except Exception as error:
            job.state, job.error = "failed", f"{type(error).__name__}: {error}"

    def _write_cache(self, job_id: str, content: dict[str, Any]) -> None:
        with contextlib.suppress(OSError):  # a cache that cannot be written only costs a recomputation
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            path = self.cache_path(job_id)
            partial = path.with_name(f".{path.name}.{os.getpid()}.part")
            partial.write_text(json.dumps(content), encoding="utf-8")
            os.replace(partial, path)

    def close(self) -> None:
        """Stops taking maps (a map being computed ends when its pool closes)."""
        self._runner.shutdown(wait=False, cancel_futures=True)
