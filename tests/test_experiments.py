"""The published experiments' scripts run end to end with --quick (real GAN, real jar, real pyribs): their
files exist and the table they print parses and agrees with their CSV."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from gym_mario_latent.latent.elites import read_elites

EXPERIMENTS = Path(__file__).resolve().parents[1] / "experiments"
NUMBER = r"(-?[\d.]+)"


def run_quick(name: str, out: Path) -> str:
    result = subprocess.run(
        [sys.executable, str(EXPERIMENTS / name), "--quick", "--workers", "2", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_lsi_quick_run_prints_a_table_that_matches_its_csv_and_draws_its_figures(tmp_path):
    out = run_quick("lsi_mario_scenes.py", tmp_path)
    pattern = (
        rf"^\| gan \| lsi-sky-enemies \| (\S+) \| 2 \| (\d+) \| {NUMBER} ± {NUMBER} \| "
        rf"{NUMBER} ± {NUMBER} \| {NUMBER} ± {NUMBER} \| {NUMBER} ± {NUMBER} \|$"
    )
    rows = {
        match[0]: [float(value) for value in match[1:]] for match in re.findall(pattern, out, re.MULTILINE)
    }
    # 150 evaluations: one generation of 5 × 37 latents, or the 100 initial latents and then one generation
    assert {name: int(row[0]) for name, row in rows.items()} == {
        "cma-me": 185,
        "map-elites": 285,
        "random": 185,
    }
    summary = {row["algorithm"]: row for row in read_csv(tmp_path / "summary.csv")}
    for name, (_, qd_score, _, coverage, _, valid, _, seconds, _) in rows.items():
        assert 0 <= valid <= coverage <= 1 and seconds > 0
        assert 0 <= qd_score <= coverage * 151 * 26 + 0.1  # completion: at most 1 an elite
        assert float(summary[name]["qd_score"]) == pytest.approx(qd_score, abs=0.05)
        assert float(summary[name]["coverage"]) == pytest.approx(coverage, abs=5e-5)
        heatmap = tmp_path / f"heatmap_gan_lsi-sky-enemies_{name}.png"
        assert Image.open(heatmap).size == (700, 550)
        elites = read_elites(
            tmp_path / f"elites_gan_lsi-sky-enemies_{name}.json"
        )  # trial 0's, for the explorer
        assert (elites.generator, elites.scene_segments, elites.solution_dim) == ("gan", 2, 64)
        assert elites.dims == (151, 26) and elites.measure_names == ("sky_tiles", "enemies")
        assert f"elites_gan_lsi-sky-enemies_{name}.json" in out
    curves = read_csv(tmp_path / "curves.csv")
    for name in rows:
        for trial in ("0", "1"):
            last = [row for row in curves if row["algorithm"] == name and row["trial"] == trial][-1]
            assert int(last["evaluations"]) == int(rows[name][0])
    assert Image.open(tmp_path / "qd_gan_lsi-sky-enemies.png").width > 400


def test_dsage_quick_run_prints_each_trial_and_the_published_rows(tmp_path):
    out = run_quick("dsage_sky_jumps.py", tmp_path)
    pattern = rf"^\| ours, trial (\d) \| {NUMBER} \| {NUMBER} \| {NUMBER} \| not within the run \| (\d+), "
    trials = re.findall(pattern, out, re.MULTILINE)
    assert [trial[0] for trial in trials] == ["0", "1"]
    summary = read_csv(tmp_path / "summary.csv")
    for (trial, qd_score, coverage, minutes, final), row in zip(trials, summary, strict=True):
        assert row["trial"] == trial and int(row["evaluations"]) == int(final) == 250  # 100 + 5 × 30
        assert float(row["qd_score"]) == pytest.approx(float(qd_score), abs=0.05)
        assert 0 < float(qd_score) <= float(coverage) * 150 * 100 + 0.1
        # the table rounds to 0.1 min (a trial that finds its scenes in the evaluator's cache may print 0.0)
        assert float(row["minutes"]) > 0 and float(minutes) == pytest.approx(float(row["minutes"]), abs=0.05)
    assert re.search(r"^\| ours, mean ± s\.d\. of 2 \|", out, re.MULTILINE)
    assert re.search(
        r"^\| DSAGE, DSAGE's README \| [\d.]+ ± [\d.]+ \| [\d.]+ \| not published", out, re.MULTILINE
    )
    assert Image.open(tmp_path / "heatmap_gan.png").size == (700, 550)
    elites = read_elites(tmp_path / "elites_gan.json")
    assert (elites.generator, elites.scene_segments, elites.dims) == ("gan", 2, (150, 100))
    assert f"explore --archive {tmp_path / 'elites_gan.json'}" in out
    for x in ("evaluations", "seconds"):
        assert Image.open(tmp_path / f"qd_gan_{x}.png").width > 400
