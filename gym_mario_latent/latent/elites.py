"""A MAP-Elites archive as a file: its measures, cells and bounds and every elite (cell, objective,
measures, solution), in JSON, so that a search's result can be opened again without pyribs
(``gym-mario-latent explore --archive FILE`` draws it as a heat map and plays its elites).

    save_elites(archive, "out/map_elites/elites.json", ("sky_tiles", "enemies"), generator="pretrained-32")
    save_elites(archive, "out/lsi/elites.json", ("sky_tiles", "enemies"), generator="gan", scene_segments=2)
    elites = read_elites("out/map_elites/elites.json")
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gym_mario_latent.errors import ExplorerError
from gym_mario_latent.files import check_file_format, output_file

if TYPE_CHECKING:
    from ribs.archives import GridArchive

FORMAT = "gym-mario-latent/elites"
FORMAT_VERSION = 1
#: The largest elites file read (bytes).
MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Elite:
    """One elite: its archive cell (one index per measure), objective, measures and solution (latent)."""

    cell: tuple[int, ...]
    objective: float
    measures: tuple[float, ...]
    solution: tuple[float, ...]


@dataclass(frozen=True)
class EliteArchive:
    """A grid archive read from a file (see :func:`read_elites`)."""

    measure_names: tuple[str, ...]
    dims: tuple[int, ...]
    ranges: tuple[tuple[float, float], ...]
    objective: str
    generator: str | None
    elites: tuple[Elite, ...]
    #: segments side by side in the scene a solution makes (1 when the file does not say)
    scene_segments: int = 1

    @property
    def solution_dim(self) -> int:
        """Length of every solution."""
        return len(self.elites[0].solution)

    def summary(self) -> dict[str, Any]:
        """The archive as JSON for a page: everything, elites as lists."""
        return {
            "measure_names": list(self.measure_names),
            "dims": list(self.dims),
            "ranges": [list(r) for r in self.ranges],
            "objective": self.objective,
            "generator": self.generator,
            "scene_segments": self.scene_segments,
            "elites": [
                {
                    "cell": list(e.cell),
                    "objective": e.objective,
                    "measures": list(e.measures),
                    "solution": list(e.solution),
                }
                for e in self.elites
            ],
        }


def save_elites(
    archive: GridArchive,
    path: str | Path,
    measure_names: tuple[str, ...] | list[str],
    generator: str | None = None,
    objective: str = "completion",
    scene_segments: int = 1,
) -> Path:
    """Writes a pyribs ``GridArchive``'s elites as JSON; returns the path.

    Args:
        archive: the archive (its dims and bounds are written with it).
        path: the file to write.
        measure_names: what each measure axis is.
        generator: the generator whose latents the solutions are (a shipped name or a checkpoint path).
        objective: what the objective is.
        scene_segments: the generator's segments side by side in the scene a solution makes.
    """
    data = archive.data(["index", "objective", "measures", "solution"])
    cells = archive.int_to_grid_index(data["index"]) if len(data["index"]) else []
    content = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generator": None if generator is None else str(generator),
        "objective": objective,
        "scene_segments": int(scene_segments),
        "measure_names": list(measure_names),
        "dims": [int(d) for d in archive.dims],
        "ranges": [
            [float(lo), float(hi)] for lo, hi in zip(archive.lower_bounds, archive.upper_bounds, strict=True)
        ],
        "elites": [
            {
                "cell": [int(i) for i in cell],
                "objective": float(o),
                "measures": [float(x) for x in m],
                "solution": [float(x) for x in s],
            }
            for cell, o, m, s in zip(
                cells, data["objective"], data["measures"], data["solution"], strict=True
            )
        ],
    }
    path = Path(path)
    with output_file(path) as temporary:
        temporary.write_text(json.dumps(content) + "\n", encoding="utf-8")
    return path


def _numbers(value: Any, length: int, what: str) -> tuple[float, ...]:
    if not isinstance(value, list) or len(value) != length:
        raise ExplorerError(f"{what} must be a list of {length} numbers")
    if not all(isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) for x in value):
        raise ExplorerError(f"{what} must hold finite numbers")
    return tuple(float(x) for x in value)


def read_elites(path: str | Path) -> EliteArchive:
    """The archive in an elites file (:func:`save_elites`'s).

    Raises:
        ExplorerError: the file cannot be read, is too large, is not an elites file, or is inconsistent
            (the message names the first problem).
    """
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ExplorerError(f"{path} is larger than {MAX_FILE_BYTES // 2**20} MiB: not an elites file")
        content = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ExplorerError(f"cannot read the archive {path}: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ExplorerError(f"{path} is not JSON: not an elites file ({FORMAT})") from None
    what = f"an elites file ({FORMAT}, as examples/map_elites.py writes)"
    check_file_format(content, path, format=FORMAT, version=FORMAT_VERSION, what=what, error=ExplorerError)
    try:
        names = tuple(str(n) for n in content["measure_names"])
        dims = tuple(int(d) for d in content["dims"])
        if not 1 <= len(dims) <= 2 or len(names) != len(dims) or min(dims) < 1:
            raise ExplorerError(
                f"{path}: the explorer draws archives of 1 or 2 measures; got dims {list(dims)}"
            )
        ranges = tuple(_numbers(r, 2, f"{path}: a range") for r in content["ranges"])
        if len(ranges) != len(dims):
            raise ExplorerError(f"{path}: {len(ranges)} ranges for {len(dims)} measures")
        elites, solution_dim = [], None
        for number, item in enumerate(content["elites"]):
            what = f"{path}: elite {number}"
            cell = tuple(int(i) for i in _numbers(item["cell"], len(dims), f"{what}'s cell"))
            if not all(0 <= i < d for i, d in zip(cell, dims, strict=True)):
                raise ExplorerError(f"{what}'s cell {list(cell)} is outside the archive's dims {list(dims)}")
            solution = item["solution"]
            solution_dim = len(solution) if solution_dim is None else solution_dim
            elites.append(
                Elite(
                    cell,
                    _numbers([item["objective"]], 1, f"{what}'s objective")[0],
                    _numbers(item["measures"], len(dims), f"{what}'s measures"),
                    _numbers(solution, solution_dim, f"{what}'s solution"),
                )
            )
        generator = content.get("generator")
        objective = str(content.get("objective", "objective"))
        scene_segments = content.get("scene_segments", 1)
        if isinstance(scene_segments, bool) or not isinstance(scene_segments, int) or scene_segments < 1:
            raise ExplorerError(f"{path}: scene_segments must be a positive integer; got {scene_segments!r}")
        if solution_dim is not None and solution_dim % scene_segments:
            raise ExplorerError(
                f"{path}: solutions of {solution_dim} numbers cannot be {scene_segments} segments' latents"
            )
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, ExplorerError):
            raise
        raise ExplorerError(f"{path} is not a complete elites file: {type(error).__name__} {error}") from None
    if not elites:
        raise ExplorerError(f"{path} holds no elites")
    return EliteArchive(
        names,
        dims,
        ranges,
        objective,
        None if generator is None else str(generator),
        tuple(elites),
        scene_segments,
    )
