"""The latent-space search examples run end to end (real VAE, real jar) on a tiny budget."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from PIL import Image

from gym_mario_latent.latent.elites import read_elites

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run_example(name: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_cmaes_example_prints_a_line_per_generation_and_draws_the_best_segments(tmp_path):
    out = run_example("cmaes_jumps.py", "--generations", "3", "--population", "8", "--workers", "2",
                      "--out", str(tmp_path))  # fmt: skip
    generations = re.findall(r"^\s+(\d+)\s+(\d+)\s+([\d.]+)\s+(\d+)%\s+(\d+)", out, flags=re.MULTILINE)
    assert [int(g[0]) for g in generations] == [1, 2, 3]
    assert [int(g[4]) for g in generations] == [8, 16, 24]  # evaluations so far
    assert all(int(best) >= float(mean) for _, best, mean, _, _ in generations)
    picture = Image.open(tmp_path / "best.png")
    assert picture.height == 2 + 14 * 16 + 2 and picture.width > 14 * 16
    two_d = run_example("cmaes_jumps.py", "--checkpoint", "pretrained", "--generations", "1", "--population",
                        "6", "--workers", "1", "--out", str(tmp_path / "2d"))  # fmt: skip
    assert "best segments" in two_d and (tmp_path / "2d" / "best.png").exists()
    gan = run_example("cmaes_jumps.py", "--generator", "gan", "--scene-segments", "2", "--generations", "1",
                      "--population", "4", "--workers", "2", "--out", str(tmp_path / "gan"))  # fmt: skip
    assert re.search(r"^\s+1\s+\d+\s", gan, flags=re.MULTILINE)
    scenes = Image.open(tmp_path / "gan" / "best.png")  # 56-column scenes of two GAN segments
    assert scenes.height == 2 + 14 * 16 + 2 and scenes.width > 56 * 16


def test_map_elites_example_fills_an_archive_and_saves_the_heat_map_and_elites(tmp_path):
    out = run_example("map_elites.py", "--iterations", "2", "--workers", "2", "--out", str(tmp_path))
    elites, cells, coverage, qd_score, evaluations = re.search(
        r"(\d+) elites in (\d+) cells \(coverage ([\d.]+)%, QD score ([\d.]+)\) from (\d+) evaluations", out
    ).groups()
    assert int(evaluations) == 2 * 5 * 20 and int(cells) == 300
    assert 0 < int(elites) <= int(evaluations)
    assert float(coverage) == round(100 * int(elites) / int(cells), 1)
    assert 0 < float(qd_score) <= int(elites)  # objective: completion, at most 1 per elite
    assert Image.open(tmp_path / "heatmap.png").width > 400
    assert Image.open(tmp_path / "elites.png").width > 6 * 14 * 8
    archive = read_elites(tmp_path / "elites.json")
    assert len(archive.elites) == int(elites) and archive.dims == (30, 10) and archive.solution_dim == 32
    assert archive.measure_names == ("sky_tiles", "enemies") and archive.generator == "pretrained-32"
    assert archive.scene_segments == 1
    assert f"explore --archive {tmp_path / 'elites.json'}" in out

    mae = run_example("map_elites.py", "--algorithm", "cma-mae", "--iterations", "2", "--measures", "jumps",
                      "enemies", "--workers", "2", "--out", str(tmp_path / "mae"))  # fmt: skip
    assert "from 200 evaluations" in mae and (tmp_path / "mae" / "heatmap.png").exists()


def test_ppo_latent_example_trains_and_prints_the_mean_return_before_and_after(tmp_path):
    out = run_example("ppo_latent.py", "--steps", "64", "--envs", "2", "--segments", "2", "--eval-episodes",
                      "2", "--workers", "2", "--out", str(tmp_path))  # fmt: skip
    before = re.search(r"before training: mean return ([\d.]+) ± ([\d.]+) over 2 episodes", out)
    after = re.search(r"after 64 steps: mean return ([\d.]+) ± ([\d.]+) over 2 episodes", out)
    assert before and after, out
    assert float(before.group(1)) >= 0 and float(after.group(1)) >= 0  # jumps: never negative
    assert (tmp_path / "ppo_latent.zip").stat().st_size > 1000


def test_the_examples_refuse_a_file_given_as_their_output_folder_with_a_usage_error(tmp_path):
    file = tmp_path / "file"
    file.write_text("keep")
    for name in ("cmaes_jumps.py", "map_elites.py", "ppo_latent.py", "demo.py"):
        result = subprocess.run(
            [sys.executable, str(EXAMPLES / name), "--out", str(file)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        error = result.stderr.splitlines()[-1]  # after argparse's usage lines
        assert f"error: argument --out: {file} is not a folder (it is a regular file)" in error
    assert file.read_text() == "keep"
