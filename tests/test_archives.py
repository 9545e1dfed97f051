"""The published archive presets (latent/archives.py): their shapes and bounds, where measures land, the
per-iteration QD log and the heat maps."""

import csv
import itertools

import numpy as np
import pytest
from PIL import Image

from gym_mario_latent.latent import measures as m
from gym_mario_latent.latent.archives import (
    ARCHIVE_PRESETS,
    QDLogger,
    archive_preset,
    make_archive,
    save_heatmap,
)
from gym_mario_latent.vae.data import load_vglc_level

PUBLISHED = {  # name: (measures, cells per measure, ranges), from the papers' configurations
    "lsi-sky-enemies": (("sky_tiles", "enemies"), (151, 26), ((0, 150), (0, 25))),
    "lsi-kl": (("kl_1_1", "kl_1_3"), (60, 60), ((0, 4.5), (0, 4.5))),
    "lsi-mechanics": (m.MECHANICS, (2,) * 8, ((0, 1),) * 8),
    "dsage-sky-jumps": (("sky_tiles", "jumps"), (150, 100), ((0, 150), (0, 100))),
}


@pytest.mark.parametrize("name", PUBLISHED)
def test_each_preset_makes_the_published_grid(name):
    names, dims, ranges = PUBLISHED[name]
    preset = archive_preset(name)
    archive = make_archive(name, solution_dim=32, seed=3)
    assert preset.measure_names == names and preset.scene_columns == 56
    assert tuple(archive.dims) == dims and archive.solution_dim == 32
    np.testing.assert_array_equal(archive.lower_bounds, [low for low, _ in ranges])
    np.testing.assert_array_equal(archive.upper_bounds, [high for _, high in ranges])
    assert archive.cells == preset.cells == int(np.prod(dims))


def test_the_presets_are_the_four_published_ones_with_their_cell_counts():
    assert {name: p.cells for name, p in ARCHIVE_PRESETS.items()} == {
        "lsi-sky-enemies": 3926,
        "lsi-kl": 3600,
        "lsi-mechanics": 256,
        "dsage-sky-jumps": 15000,
    }
    with pytest.raises(ValueError, match=r"unknown archive preset 'lsi'.*lsi-sky-enemies"):
        make_archive("lsi", 32)


def test_lsi_counts_each_land_in_a_cell_of_their_own():
    archive = make_archive("lsi-sky-enemies", 2)
    counts = np.array(list(itertools.product(range(151), range(26))), dtype=float)
    cells = archive.int_to_grid_index(archive.index_of(counts))
    np.testing.assert_array_equal(cells, counts.astype(int))


def test_dsage_counts_each_land_in_their_own_cell_and_the_top_ones_share():
    archive = make_archive("dsage-sky-jumps", 2)
    cells = archive.int_to_grid_index(archive.index_of(np.array([[0, 0], [37, 61], [149, 99], [150, 100]])))
    assert cells.tolist() == [[0, 0], [37, 61], [149, 99], [149, 99]]


def test_the_mechanics_cell_is_their_code():
    archive = make_archive("lsi-mechanics", 2)
    every_bits = np.array(list(itertools.product((0, 1), repeat=8)))
    np.testing.assert_array_equal(archive.index_of(every_bits), [m.mechanics_code(b) for b in every_bits])
    assert m.mechanics_code([1, 0, 0, 0, 0, 0, 0, 0]) == 128


def test_content_presets_measure_a_level_and_behaviour_presets_need_its_game():
    scene = load_vglc_level("mario-1-1")[:, 16:72]  # LSI's 56-column reference scene of 1-1
    # one Q block in the top 8 rows; goombas at columns 21, 41, 53 and 55
    assert ARCHIVE_PRESETS["lsi-sky-enemies"].measures_of(scene).tolist() == [1, 4]
    kl = ARCHIVE_PRESETS["lsi-kl"].measures_of(scene)
    assert kl[0] == 0.0 and kl[1] == pytest.approx(m.kl_to_vglc(scene, "mario-1-3"))
    for name in ("lsi-mechanics", "dsage-sky-jumps"):
        with pytest.raises(ValueError, match="pass the level's telemetry"):
            ARCHIVE_PRESETS[name].measures_of(scene)
    assert ARCHIVE_PRESETS["dsage-sky-jumps"].measures_of(scene, {"jumps": 7}).tolist() == [1, 7]


def _fill(archive, count, rng):
    measures = np.column_stack([rng.integers(0, 151, count), rng.integers(0, 26, count)])
    archive.add(rng.normal(size=(count, 2)), rng.uniform(1, 2, count), measures)


def test_qd_logger_writes_the_archives_metrics_each_iteration(tmp_path):
    archive, rng = make_archive("lsi-sky-enemies", 2), np.random.default_rng(0)
    with QDLogger(tmp_path / "logs" / "qd.csv") as log:
        first = log.log(0, archive)
        for iteration in (1, 2):
            _fill(archive, 40, rng)
            last = log.log(iteration, archive)
    rows = list(csv.DictReader((tmp_path / "logs" / "qd.csv").open()))
    assert [row["iteration"] for row in rows] == ["0", "1", "2"]
    assert first["best"] is None and rows[0]["best"] == rows[0]["mean"] == "" and rows[0]["elites"] == "0"
    stats = archive.stats
    assert float(rows[2]["qd_score"]) == pytest.approx(float(stats.qd_score)) == last["qd_score"]
    assert float(rows[2]["coverage"]) == pytest.approx(stats.num_elites / 3926)
    assert float(rows[2]["best"]) == pytest.approx(float(stats.obj_max))
    assert float(rows[2]["mean"]) == pytest.approx(float(stats.obj_mean))
    assert 0 < int(rows[1]["elites"]) <= int(rows[2]["elites"]) == stats.num_elites


def test_qd_logger_puts_extra_columns_first_and_wants_a_value_for_each(tmp_path):
    archive, rng = make_archive("lsi-sky-enemies", 2), np.random.default_rng(2)
    _fill(archive, 25, rng)
    with QDLogger(tmp_path / "qd.csv", extra_columns=("algorithm", "archive")) as log:
        log.log(1, archive, algorithm="cma-me", archive="lsi-sky-enemies")
        with pytest.raises(ValueError, match="a value for each extra column"):
            log.log(2, archive, algorithm="cma-me")
    with (tmp_path / "qd.csv").open() as file:
        header, row = list(csv.reader(file))
    assert header == ["algorithm", "archive", *QDLogger.COLUMNS]
    assert row[:3] == ["cma-me", "lsi-sky-enemies", "1"] and int(row[-1]) == archive.stats.num_elites
    for wrong in (("qd_score",), ("trial", "trial")):
        with pytest.raises(ValueError, match="extra_columns must be distinct"):
            QDLogger(tmp_path / "wrong.csv", extra_columns=wrong)


@pytest.mark.parametrize("name", ["lsi-sky-enemies", "lsi-mechanics"])
def test_heatmaps_are_written_as_png(tmp_path, name):
    archive, rng = make_archive(name, 2), np.random.default_rng(1)
    if name == "lsi-mechanics":
        archive.add(rng.normal(size=(30, 2)), rng.uniform(size=30), rng.integers(0, 2, (30, 8)))
    else:
        _fill(archive, 30, rng)
    path = save_heatmap(archive, tmp_path / "maps" / f"{name}.png", preset=name)
    with Image.open(path) as image:
        assert image.format == "PNG" and image.size == (700, 550)
        assert len(np.unique(np.asarray(image.convert("RGB")).reshape(-1, 3), axis=0)) > 20  # cells drawn


def test_a_heatmap_of_other_many_measures_is_refused(tmp_path):
    from ribs.archives import GridArchive

    archive = GridArchive(solution_dim=2, dims=(3, 3, 3), ranges=[(0, 1)] * 3)
    with pytest.raises(ValueError, match="1 or 2 measures"):
        save_heatmap(archive, tmp_path / "x.png")


def test_a_short_lsi_run_on_the_vaes_56_column_scenes(tmp_path):
    """pyribs' MAP-Elites over the real 32-d VAE: four decoded segments make one of LSI's 56-column scenes,
    measured by the sky tiles × enemies preset, objective linearity; logged and drawn each iteration."""
    import torch
    from ribs.emitters import GaussianEmitter
    from ribs.schedulers import Scheduler

    from gym_mario_latent.vae import load_pretrained

    vae, preset = load_pretrained("pretrained-32"), ARCHIVE_PRESETS["lsi-sky-enemies"]
    segments = 56 // 14
    archive = make_archive(preset.name, solution_dim=32 * segments, seed=0)
    emitter = GaussianEmitter(archive, sigma=0.5, x0=np.zeros(32 * segments), batch_size=6, seed=0)
    scheduler = Scheduler(archive, [emitter])
    with QDLogger(tmp_path / "qd.csv") as log:
        for iteration in range(1, 4):
            solutions = scheduler.ask()
            with torch.no_grad():
                tiles = vae.decode_levels(torch.as_tensor(solutions, dtype=torch.float32).reshape(-1, 32))
            scenes = tiles.numpy().reshape(len(solutions), segments, 14, 14).transpose(0, 2, 1, 3)
            scenes = scenes.reshape(len(solutions), 14, 56)
            scheduler.tell([m.linearity(s) for s in scenes], [preset.measures_of(s) for s in scenes])
            log.log(iteration, archive)
    rows = list(csv.DictReader((tmp_path / "qd.csv").open()))
    assert [int(row["iteration"]) for row in rows] == [1, 2, 3]
    assert 0 < int(rows[0]["elites"]) <= int(rows[-1]["elites"]) == archive.stats.num_elites
    assert 0 < float(rows[-1]["best"]) <= 1  # linearity
    sky, enemies_ = archive.data("measures").T
    assert ((sky >= 0) & (sky <= 8 * 56)).all() and ((enemies_ >= 0) & (enemies_ <= 14 * 56)).all()
    assert save_heatmap(archive, tmp_path / "map.png", preset=preset.name).stat().st_size > 0
