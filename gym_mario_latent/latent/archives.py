"""The published quality-diversity archives of Mario latent search, by name, for pyribs.

Each :class:`ArchivePreset` holds an archive's measures, cells and bounds as its paper's configuration
gives them, and the scene its bounds assume. :func:`make_archive` builds the ``ribs`` ``GridArchive``,
:meth:`ArchivePreset.measures_of` computes a level's measures in the archive's order, :class:`QDLogger`
writes the QD metrics of each iteration to CSV, and :func:`save_heatmap` draws the archive as a PNG.

    archive = make_archive("lsi-sky-enemies", solution_dim=32)
    preset = ARCHIVE_PRESETS["lsi-sky-enemies"]
    archive.add(solutions, objectives, [preset.measures_of(level) for level in levels])

Needs the ``search`` extra (``ribs[visualize]``, which brings matplotlib).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from gym_mario_latent.latent import measures as m

if TYPE_CHECKING:
    from ribs.archives import GridArchive

_LSI = "Fontaine et al., AAAI 2021 (MarioGAN-LSI): search/search.py, search/config/elite_map/"
_DSAGE = "Bhatt et al., NeurIPS 2022 (DSAGE): config/mario/sky_jumps_base.gin"


@dataclass(frozen=True)
class ArchivePreset:
    """A published grid archive: what it measures, its cells per measure and their bounds.

    Attributes:
        name: the preset's name in :data:`ARCHIVE_PRESETS`.
        measure_names: the measures, in the archive's axis order.
        dims: cells along each measure.
        ranges: (low, high) of each measure; values outside land in the edge cells.
        scene_columns: the scene width, in tiles, the bounds were set for (counts such as sky tiles grow with
            it); ``scene_rows`` its height in our 14-row levels (the papers' 16 rows, see
            :mod:`~gym_mario_latent.latent.measures`).
        compute: (level tile ids, telemetry) → the measures; telemetry may be None for content-only presets.
        source: the paper and the file of its code that gives these numbers.
        needs_telemetry: the measures come from a game played, not from the level alone.
    """

    name: str
    measure_names: tuple[str, ...]
    dims: tuple[int, ...]
    ranges: tuple[tuple[float, float], ...]
    scene_columns: int
    compute: Callable[[Any, Any], tuple[float, ...]]
    source: str
    needs_telemetry: bool = False
    scene_rows: int = 14

    @property
    def cells(self) -> int:
        """Cells of the archive."""
        return int(np.prod(self.dims))

    def measures_of(self, level: Any, telemetry: Any = None) -> np.ndarray:
        """The preset's measures of one level (tile ids) and, for behaviour presets, its game's telemetry."""
        if self.needs_telemetry and telemetry is None:
            raise ValueError(f"archive preset {self.name!r} measures a game: pass the level's telemetry")
        return np.asarray(self.compute(level, telemetry), dtype=float)


def _sky_enemies(level: Any, telemetry: Any) -> tuple[float, ...]:
    return m.sky_tiles(level), m.enemies(level)


def _kl(level: Any, telemetry: Any) -> tuple[float, ...]:
    return m.kl_to_vglc(level, "mario-1-1"), m.kl_to_vglc(level, "mario-1-3")


def _mechanics(level: Any, telemetry: Any) -> tuple[float, ...]:
    return tuple(m.mechanics(telemetry))


def _sky_jumps(level: Any, telemetry: Any) -> tuple[float, ...]:
    return m.sky_tiles(level), m.jumps(telemetry)


#: The published archives by name. LSI and DSAGE both search 16 × 56 scenes of the MarioGAN generator.
ARCHIVE_PRESETS: dict[str, ArchivePreset] = {
    preset.name: preset
    for preset in (
        ArchivePreset(
            "lsi-sky-enemies",
            ("sky_tiles", "enemies"),
            (151, 26),
            ((0.0, 150.0), (0.0, 25.0)),
            56,
            _sky_enemies,
            _LSI + "mario_gan_BC.tml (one cell per count)",
        ),
        ArchivePreset(
            "lsi-kl",
            ("kl_1_1", "kl_1_3"),
            (60, 60),
            ((0.0, 4.5), (0.0, 4.5)),
            56,
            _kl,
            _LSI + "KL_BC.tml (1×1 tile patterns against 1-1 and 1-3, columns 16..71)",
        ),
        ArchivePreset(
            "lsi-mechanics",
            m.MECHANICS,
            (2,) * len(m.MECHANICS),
            ((0.0, 1.0),) * len(m.MECHANICS),
            56,
            _mechanics,
            _LSI + "8Binary.tml (256 cells: the mechanics' code, measures.mechanics_code)",
            needs_telemetry=True,
        ),
        ArchivePreset(
            "dsage-sky-jumps",
            ("sky_tiles", "jumps"),
            (150, 100),
            ((0.0, 150.0), (0.0, 100.0)),
            56,
            _sky_jumps,
            _DSAGE + " (counts 0..149 and 0..99 one cell each, the top ones shared)",
            needs_telemetry=True,
        ),
    )
}


def archive_preset(name: str) -> ArchivePreset:
    """The preset `name`; a ValueError lists the names when there is none."""
    try:
        return ARCHIVE_PRESETS[name]
    except KeyError:
        raise ValueError(
            f"unknown archive preset {name!r}: expected one of {list(ARCHIVE_PRESETS)}"
        ) from None


def make_archive(name: str, solution_dim: int, **archive_options: Any) -> GridArchive:
    """A new, empty ``ribs.archives.GridArchive`` laid out as the preset `name`.

    Args:
        name: a key of :data:`ARCHIVE_PRESETS`.
        solution_dim: length of a solution (the generator's ``z_dim``).
        **archive_options: more ``GridArchive`` arguments (``seed``, ``qd_score_offset``, ``learning_rate``…).
    """
    from ribs.archives import GridArchive

    preset = archive_preset(name)
    return GridArchive(solution_dim=solution_dim, dims=preset.dims, ranges=preset.ranges, **archive_options)


class QDLogger:
    """Writes one CSV row of QD metrics per iteration: the archive's QD score, coverage, best and mean
    objective and its elites (ribs' ``archive.stats``; best and mean are empty while the archive is).
    ``extra_columns`` come first in each row, their values given to :meth:`log` by name (which run, trial,
    evaluations so far...), so one file can hold many runs.

    >>> with QDLogger("qd.csv") as log:  # doctest: +SKIP
    ...     for iteration in range(1, 101):
    ...         ...  # ask, evaluate, tell
    ...         log.log(iteration, archive)
    """

    COLUMNS = ("iteration", "qd_score", "coverage", "best", "mean", "elites")

    def __init__(self, path: str | Path, extra_columns: Sequence[str] = ()) -> None:
        clash = set(extra_columns) & set(self.COLUMNS)
        if clash or len(set(extra_columns)) != len(extra_columns):
            raise ValueError(
                f"extra_columns must be distinct and not {self.COLUMNS}; got {list(extra_columns)}"
            )
        self.path = Path(path)
        self.extra_columns = tuple(extra_columns)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = self.path.open("w", newline="", encoding="utf-8")
        self._writer = csv.writer(self._file)
        self._writer.writerow(self.extra_columns + self.COLUMNS)
        self._file.flush()

    def log(self, iteration: int, archive: GridArchive, /, **extra: Any) -> dict[str, Any]:
        """Appends the archive's metrics now as row `iteration`, after the ``extra`` values (one for each
        extra column, else ValueError); returns the row."""
        if set(extra) != set(self.extra_columns):
            raise ValueError(
                f"log needs a value for each extra column {list(self.extra_columns)}; got {list(extra)}"
            )
        stats = archive.stats
        row = {
            **extra,
            "iteration": int(iteration),
            "qd_score": float(stats.qd_score),
            "coverage": float(stats.coverage),
            "best": None if stats.obj_max is None else float(stats.obj_max),
            "mean": None if stats.obj_mean is None else float(stats.obj_mean),
            "elites": int(stats.num_elites),
        }
        columns = self.extra_columns + self.COLUMNS
        self._writer.writerow(["" if row[column] is None else row[column] for column in columns])
        self._file.flush()
        return row

    def close(self) -> None:
        """Closes the CSV file."""
        self._file.close()

    def __enter__(self) -> QDLogger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def save_heatmap(archive: GridArchive, path: str | Path, preset: str | None = None, title: str = "") -> Path:
    """Draws the archive's objectives as a heat map PNG (ribs' ``grid_archive_heatmap`` for one or two
    measures; the eight mechanics as a 16 × 16 grid of their codes, the first four bits down, the last four
    across). `preset` names the axes. Returns the path."""
    from matplotlib.figure import Figure

    names = archive_preset(preset).measure_names if preset else tuple(f"measure {i}" for i in archive.dims)
    figure = Figure(figsize=(7, 5.5), layout="constrained")
    axes = figure.add_subplot()
    if len(archive.dims) <= 2:
        from ribs.visualize import grid_archive_heatmap

        grid_archive_heatmap(archive, ax=axes)
        axes.set_xlabel(names[0])
        if len(names) > 1:
            axes.set_ylabel(names[1])
    elif tuple(archive.dims) == (2,) * len(m.MECHANICS):
        _mechanics_heatmap(figure, axes, archive, names)
    else:
        raise ValueError(f"a heat map draws 1 or 2 measures, or the eight mechanics; got dims {archive.dims}")
    axes.set_title(title or (preset or ""))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png", dpi=100)
    return path


def _mechanics_heatmap(figure: Any, axes: Any, archive: GridArchive, names: tuple[str, ...]) -> None:
    grid = np.full(archive.cells, np.nan)
    data = archive.data(["index", "objective"])
    grid[data["index"]] = data["objective"]
    image = axes.imshow(grid.reshape(16, 16), cmap="magma", origin="upper")
    figure.colorbar(image, ax=axes, label="objective")
    axes.set_xlabel("code of " + ", ".join(names[4:]))
    axes.set_ylabel("code of " + ", ".join(names[:4]))
