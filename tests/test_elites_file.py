"""Elites files: a pyribs archive written by ``save_elites`` reads back whole, and a file that is not one is
refused with one error naming the problem."""

from __future__ import annotations

import json

import numpy as np
import pytest

from gym_mario_latent.errors import ExplorerError
from gym_mario_latent.latent.elites import read_elites, save_elites

ribs_archives = pytest.importorskip("ribs.archives", reason="the search extra is not installed")


@pytest.fixture
def archive():
    grid = ribs_archives.GridArchive(solution_dim=3, dims=(4, 2), ranges=[(0, 4), (0, 2)], seed=0)
    solutions = np.array([[0.1, 0.2, 0.3], [1.0, -1.0, 0.5], [2.0, 2.0, 2.0]])
    grid.add(solutions, np.array([0.5, 1.0, 0.25]), np.array([[0.5, 0.5], [3.5, 1.5], [1.2, 0.2]]))
    return grid


def test_an_archive_reads_back_with_every_elite_in_its_cell(archive, tmp_path):
    path = save_elites(archive, tmp_path / "elites.json", ("sky_tiles", "enemies"), generator="pretrained-32")
    elites = read_elites(path)
    assert elites.measure_names == ("sky_tiles", "enemies") and elites.dims == (4, 2)
    assert elites.ranges == ((0.0, 4.0), (0.0, 2.0)) and elites.generator == "pretrained-32"
    by_cell = {e.cell: e for e in elites.elites}
    assert set(by_cell) == {(0, 0), (3, 1), (1, 0)}
    assert by_cell[(3, 1)].solution == pytest.approx((1.0, -1.0, 0.5)) and by_cell[(3, 1)].objective == 1.0
    assert by_cell[(1, 0)].measures == pytest.approx((1.2, 0.2))
    assert elites.solution_dim == 3
    assert elites.scene_segments == 1


def test_scene_segments_are_recorded_and_a_file_without_them_reads_as_one_segment(archive, tmp_path):
    path = save_elites(archive, tmp_path / "scenes.json", ("a", "b"), generator="gan", scene_segments=3)
    content = json.loads(path.read_text())
    assert content["scene_segments"] == 3 and read_elites(path).scene_segments == 3
    del content["scene_segments"]  # as files written before scenes were recorded
    assert read_elites(_write(tmp_path, content)).scene_segments == 1


def _write(tmp_path, content) -> str:
    path = tmp_path / "elites.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda c: c | {"format": "something-else"}, "is not an elites file"),
        (lambda c: c | {"format_version": 9}, "has format version 9"),
        (lambda c: c | {"dims": [4, 2, 2], "measure_names": ["a", "b", "c"]}, "archives of 1 or 2 measures"),
        (lambda c: c | {"elites": []}, "holds no elites"),
        (lambda c: {k: v for k, v in c.items() if k != "ranges"}, "is not a complete elites file"),
        (lambda c: c | {"elites": [c["elites"][0] | {"cell": [9, 0]}]}, "is outside the archive's dims"),
        (
            lambda c: c | {"elites": [c["elites"][0] | {"solution": [1.0]}, c["elites"][1]]},
            "solution must be",
        ),
        (lambda c: c | {"scene_segments": 0}, "scene_segments must be a positive integer; got 0"),
        (lambda c: c | {"scene_segments": "2"}, "scene_segments must be a positive integer; got '2'"),
        (lambda c: c | {"scene_segments": 2}, "solutions of 3 numbers cannot be 2 segments' latents"),
    ],
)
def test_a_broken_elites_file_gets_one_error_naming_the_problem(archive, tmp_path, change, says):
    content = json.loads(save_elites(archive, tmp_path / "good.json", ("a", "b")).read_text())
    with pytest.raises(ExplorerError, match=says):
        read_elites(_write(tmp_path, change(content)))


def test_a_file_that_is_not_json_is_named(tmp_path):
    with pytest.raises(ExplorerError, match="is not JSON"):
        read_elites(_write(tmp_path, "sky_tiles,enemies\n1,2\n"))
