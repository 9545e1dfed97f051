"""What the explorer's routes do, without HTTP: decode maps, play levels and latents, interpolate.

:class:`Explorer` owns the generator, one simulator pool per agent (started when the agent first plays,
every game traced), the playability maps and the archive given on the command line.
"""

from __future__ import annotations

import base64
import hashlib
import io
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from gym_mario_latent.errors import ExplorerError
from gym_mario_latent.explorer.generator import ExplorerGenerator
from gym_mario_latent.explorer.layers import content_values, layer_descriptions
from gym_mario_latent.explorer.playability import PlayabilityMaps
from gym_mario_latent.latent.elites import EliteArchive
from gym_mario_latent.latent.playability import MapSpec, play_all, playable_path
from gym_mario_latent.levels import (
    EMPTY_ID,
    FINISH_MARK,
    VAE_TILES,
    draw_trace,
    ids_to_rows,
    save_trace_animation,
)
from gym_mario_latent.levels.sprites import SPRITE_KINDS
from gym_mario_latent.levels.trace import MODE_COLORS, OUTCOMES, TICK_MS
from gym_mario_latent.paths import user_cache_dir
from gym_mario_latent.simulator_bridge import Simulator, Telemetry, default_facts, ensure_jar

#: Bounds of a request: map cells per side, segments in a built level, interpolation steps.
MAX_MAP_SIZE = 64
MAX_SEGMENTS = 32
MAX_STEPS = 32
#: Largest latent component accepted (the prior puts nearly all its mass within ±4).
MAX_LATENT = 100.0
#: Games remembered (their traces), so a level opened again or downloaded as a GIF is not played again.
PLAYS_REMEMBERED = 64
#: Cells of a playable path shown at most (longer paths are thinned evenly).
MAX_PATH_CELLS = 64


def png_data_url(image: Image.Image) -> str:
    """A picture as a ``data:image/png;base64,...`` URL."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@dataclass(frozen=True)
class Played:
    """One game: the level's segments side by side (tile ids), the level as played (padded) and the
    telemetry with its trace."""

    level: np.ndarray
    played_rows: list[str]
    segment_start: int  # the level's first column in the rows as played
    telemetry: Telemetry

    @property
    def outcome(self) -> str | None:
        return self.telemetry.status if self.telemetry.status in OUTCOMES else None


class Explorer:
    """The explorer's state and actions.

    Args:
        generator: the generator shown.
        workers: JVMs per agent's pool (default: the CPUs).
        time_limit: game seconds of each game (default: the simulator's; a built level of many segments may
            need more).
        archive: a MAP-Elites archive to show (its solutions must fit the generator).
        cache_dir: where playability maps are kept (default: the user cache's ``explorer/playability``).
    """

    def __init__(
        self,
        generator: ExplorerGenerator,
        workers: int | None = None,
        archive: EliteArchive | None = None,
        time_limit: float | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        if archive is not None and archive.solution_dim != generator.z_dim:
            raise ExplorerError(
                f"the archive's solutions have {archive.solution_dim} dimensions, the generator "
                f"{generator.name!r} takes {generator.z_dim}: give the generator the archive was made with"
            )
        self.generator, self.workers, self.archive = generator, workers, archive
        self.facts = default_facts()
        self.time_limit = self.facts.defaults["time_limit"] if time_limit is None else time_limit
        limits = self.facts.limits
        if not limits.min_time_limit <= self.time_limit <= limits.max_time_limit:
            raise ExplorerError(
                f"the time limit must be {limits.min_time_limit:g} to {limits.max_time_limit:g} game "
                f"seconds; got {self.time_limit:g}"
            )
        jar_sha256 = hashlib.sha256(ensure_jar().read_bytes()).hexdigest()
        self._pools: dict[str, Simulator] = {}
        self._pools_lock = threading.Lock()
        self._plays: OrderedDict[tuple, Played] = OrderedDict()
        self._plays_lock = threading.Lock()
        cache_dir = cache_dir or user_cache_dir() / "explorer" / "playability"
        self.maps = PlayabilityMaps(generator, self.pool, cache_dir, jar_sha256)

    # -- simulator pools -------------------------------------------------------------------------------

    def agent(self, name: str | None) -> str:
        """`name` checked against the simulator's agents (None: its default agent)."""
        if name is None:
            return self.facts.defaults["agent"]
        if name not in self.facts.agents:
            raise ExplorerError(f"unknown agent {name!r}: expected one of {list(self.facts.agents)}")
        return name

    def pool(self, agent: str) -> Simulator:
        """The pool where `agent` plays (started on first use), every game traced."""
        with self._pools_lock:
            if agent not in self._pools:
                self._pools[agent] = Simulator(
                    self.workers, agent=agent, time_limit=self.time_limit, trace=True
                )
            return self._pools[agent]

    # -- what the page is told -------------------------------------------------------------------------

    def info(self) -> dict[str, Any]:
        """The generator, the agents, the layers, the bounds and the art's colours."""
        return {
            "generator": {
                "name": self.generator.name,
                "z_dim": self.generator.z_dim,
                "shape": list(self.generator.shape),
                "sha256": self.generator.sha256,
            },
            "agents": list(self.facts.agents),
            "default_agent": self.facts.defaults["agent"],
            "tiles": VAE_TILES,
            "tile_pixels": self.facts.tile_pixels,
            "tick_ms": TICK_MS,
            "mode_colors": [list(color) for color in MODE_COLORS],
            "sprite_kinds": list(SPRITE_KINDS),
            "layers": layer_descriptions(),
            "limits": {
                "max_map_size": MAX_MAP_SIZE,
                "max_segments": MAX_SEGMENTS,
                "max_steps": MAX_STEPS,
                "max_latent": MAX_LATENT,
            },
            "archive": None
            if self.archive is None
            else {
                "measure_names": list(self.archive.measure_names),
                "dims": list(self.archive.dims),
                "elites": len(self.archive.elites),
            },
        }

    def archive_view(self) -> dict[str, Any]:
        """The archive given on the command line, each elite's segment and the content layers of them.

        Raises:
            ExplorerError: no archive was given.
        """
        if self.archive is None:
            raise ExplorerError("no archive: start the explorer with --archive FILE")
        segments = self.generator.decode(np.array([elite.solution for elite in self.archive.elites]))
        return self.archive.summary() | {
            "segments": ["".join(ids_to_rows(segment)) for segment in segments],
            "layers": content_values(segments),
        }

    # -- checks ----------------------------------------------------------------------------------------

    def latents(self, latents: Any, what: str = "latent") -> np.ndarray:
        """Latents as float32 (n, z_dim), checked: the generator's size, finite, within ±:data:`MAX_LATENT`
        (the request models check the same; this is for callers in Python)."""
        z = np.asarray(latents, dtype=np.float64)
        if z.ndim != 2 or z.shape[1] != self.generator.z_dim:
            got = f"{len(z[0])} components" if z.ndim == 2 else f"shape {z.shape}"
            raise ExplorerError(
                f"a {what} has {self.generator.z_dim} components (the generator's z_dim); got {got}"
            )
        if not np.isfinite(z).all() or np.abs(z).max() > MAX_LATENT:
            raise ExplorerError(f"every {what} component must be a finite number within ±{MAX_LATENT:g}")
        return z.astype(np.float32)

    def map_spec(self, size: int, bound: float, center: Any = None, axes: Any = (0, 1)) -> MapSpec:
        """A map's plane, checked against the generator."""
        z_dim = self.generator.z_dim
        center = np.zeros(z_dim) if center is None else self.latents([center], "map center")[0]
        axes = tuple(int(axis) for axis in axes)
        if len(axes) != 2 or axes[0] == axes[1] or not all(0 <= axis < z_dim for axis in axes):
            raise ExplorerError(
                f"a map's axes are two different latent axes in 0..{z_dim - 1}; got {list(axes)}"
            )
        if not 2 <= size <= MAX_MAP_SIZE:
            raise ExplorerError(f"a map has 2 to {MAX_MAP_SIZE} cells per side; got {size}")
        if not 0 < bound <= MAX_LATENT:
            raise ExplorerError(f"a map's bound must be > 0 and ≤ {MAX_LATENT:g}; got {bound}")
        return MapSpec(size, float(bound), tuple(float(x) for x in center), axes)

    # -- the latent map --------------------------------------------------------------------------------

    def decoded_map(self, spec: MapSpec) -> dict[str, Any]:
        """Every cell's latent, segment (one string of rows × columns tile characters) and content layers."""
        points = spec.points()
        segments = self.generator.decode(points)
        return {
            "map": spec.to_json(),
            "points": np.round(points, 5).tolist(),
            "segments": ["".join(ids_to_rows(segment)) for segment in segments],
            "layers": content_values(segments),
        }

    # -- games -----------------------------------------------------------------------------------------

    def play(self, latents: Any, agent: str | None = None) -> Played:
        """The level of the latents' segments side by side, played by `agent` (remembered)."""
        agent = self.agent(agent)
        z = self.latents(latents)
        if len(z) > MAX_SEGMENTS:
            raise ExplorerError(f"a level has at most {MAX_SEGMENTS} segments; got {len(z)}")
        key = (agent, z.tobytes())
        with self._plays_lock:
            if key in self._plays:
                self._plays.move_to_end(key)
                return self._plays[key]
        level = np.concatenate(list(self.generator.decode(z)), axis=1)
        pool = self.pool(agent)
        telemetry = pool.evaluate(level)
        rows = ids_to_rows(level)
        played_rows = pool.padding.apply(rows) if pool.padding is not None else rows
        played_rows = [
            row.replace(FINISH_MARK, VAE_TILES[EMPTY_ID]) for row in played_rows
        ]  # a pole: drawn as sky
        start = pool.padding.start if pool.padding is not None else 0
        played = Played(level, played_rows, start, telemetry)
        if telemetry.reason is None:
            with self._plays_lock:
                self._plays[key] = played
                while len(self._plays) > PLAYS_REMEMBERED:
                    self._plays.popitem(last=False)
        return played

    def played_json(self, played: Played) -> dict[str, Any]:
        """A game for the page: the level's rows, the rows as played, the telemetry, the trace, the sprite
        trace (the enemies and other sprites, tick by tick) and the picture of the level as played with
        the agent's path."""
        telemetry = played.telemetry.to_dict()
        trace = telemetry.pop("trace", None)
        sprites = telemetry.pop("sprite_trace", None)
        picture = draw_trace(played.played_rows, trace, played.outcome) if trace else None
        return {
            "rows": ids_to_rows(played.level),
            "played_rows": played.played_rows,
            "segment_start": played.segment_start,
            "telemetry": telemetry,
            "trace": trace,
            "sprites": sprites,
            "picture": None if picture is None else png_data_url(picture),
        }

    def gif(self, latents: Any, agent: str | None = None) -> bytes:
        """The playthrough as an animated GIF (the level as played, following Mario, the enemies moving)."""
        played = self.play(latents, agent)
        trace = played.telemetry.trace
        if not trace:
            raise ExplorerError(f"the game has no trace to animate: {played.telemetry.reason or 'no ticks'}")
        with tempfile.TemporaryDirectory() as folder:
            path = save_trace_animation(
                played.played_rows,
                trace,
                Path(folder) / "play.gif",
                played.outcome,
                sprite_trace=played.telemetry.sprite_trace,
            )
            return path.read_bytes()

    # -- interpolation ---------------------------------------------------------------------------------

    @staticmethod
    def _strip(
        z: np.ndarray, segments: np.ndarray, statuses: list[str], completions: list[float]
    ) -> list[dict]:
        """Strip items: each latent, its segment (one string of tile characters) and how its game ended."""
        return [
            {
                "z": np.round(latent, 5).tolist(),
                "segment": "".join(ids_to_rows(segment)),
                "status": status,
                "playable": status == "win",
                "completion": completion,
            }
            for latent, segment, status, completion in zip(z, segments, statuses, completions, strict=True)
        ]

    def interpolate(
        self, a: Any, b: Any, steps: int, agent: str | None = None, map_id: str | None = None
    ) -> dict[str, Any]:
        """The segments on the straight line from `a` to `b` (`steps` of them, each played), and on the
        shortest chain of playable cells of playability map `map_id` between the cells nearest to them
        (thinned evenly to :data:`MAX_PATH_CELLS`; ``path_cells`` holds the whole chain)."""
        agent = self.agent(agent)
        ends = self.latents([a, b], "interpolation end")
        if not 2 <= steps <= MAX_STEPS:
            raise ExplorerError(f"an interpolation has 2 to {MAX_STEPS} steps; got {steps}")
        line = ends[0] + np.linspace(0, 1, steps)[:, None] * (ends[1] - ends[0])
        segments = self.generator.decode(line)
        played = play_all(self.pool(agent), segments)
        answer: dict[str, Any] = {
            "line": self._strip(line, segments, [t.status for t in played], [t.completion for t in played]),
            "path": None,
            "path_cells": None,
            "path_note": "compute the playability map to get the playable path",
        }
        if map_id is None:
            return answer
        job = self.maps.get(map_id)
        if job is None or job.state != "done":
            raise ExplorerError(f"no finished playability map {map_id!r}: compute it first")
        spec, status = job.spec, job.result["status"]
        start, end = spec.nearest_cell(ends[0]), spec.nearest_cell(ends[1])
        cells = playable_path(spec, [s == "win" for s in status], start, end)
        if cells is None:
            unplayable_end = status[start] != "win" or status[end] != "win"
            answer["path_note"] = "no playable path: " + (
                "an end's cell is unplayable"
                if unplayable_end
                else "no chain of playable cells joins the ends' cells"
            )
            return answer
        picked = np.linspace(0, len(cells) - 1, min(len(cells), MAX_PATH_CELLS)).round().astype(int)
        shown = [cells[i] for i in np.unique(picked)]
        points = spec.points()[shown]
        completion = job.result["layers"]["completion"]
        answer["path"] = self._strip(
            points, self.generator.decode(points), [status[c] for c in shown], [completion[c] for c in shown]
        )
        answer["path_cells"] = cells
        answer["path_note"] = (
            f"a chain of {len(cells)} neighbouring playable cells on {job.agent}'s "
            f"{spec.size}×{spec.size} playability map"
        )
        return answer

    # -- lifetime --------------------------------------------------------------------------------------

    def close(self) -> None:
        """Stops the maps and every pool's JVMs."""
        self.maps.close()
        with self._pools_lock:
            for pool in self._pools.values():
                pool.close()
            self._pools.clear()
