"""The explorer's playability maps: computed in the background with their progress, and kept on disk by the
generator's hash. The map itself (its grid, the games, the playable paths) is
:mod:`gym_mario_latent.latent.playability`'s.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gym_mario_latent.errors import ExplorerError
from gym_mario_latent.explorer.generator import ExplorerGenerator
from gym_mario_latent.explorer.layers import behaviour_values
from gym_mario_latent.latent.playability import MapSpec, playability_map

CACHE_FORMAT = 1
#: Maps queued or being computed at most; more are refused until one is done.
MAX_PENDING_MAPS = 4
#: Maps remembered in memory (finished ones beyond this are forgotten, oldest first: the disk keeps them).
MAX_REMEMBERED_MAPS = 32


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
            segments, telemetry = playability_map(
                self.generator.decode, self.pool(job.agent), job.spec, progress
            )
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
