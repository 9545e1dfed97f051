"""Experiments 3 and 4 (``experiments/manifold_playability.py``, ``experiments/mfedrl_designer.py``) run
end to end with ``--quick``: their files are written and their printed tables parse."""

import csv
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]


def run_quick(script: str, out: Path) -> list[dict[str, str]]:
    """The script's ``--quick`` run into `out`; its printed table (the lines from the header on) as rows."""
    done = subprocess.run(
        [sys.executable, str(REPO / "experiments" / script), "--quick", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    lines = done.stdout.strip().splitlines()
    header = next(index for index, line in enumerate(lines) if line.startswith(("sampler ", "designer ")))
    names = re.split(r"\s{2,}", lines[header].strip())
    return [dict(zip(names, re.split(r"\s{2,}", line.strip()), strict=True)) for line in lines[header + 1 :]]


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_manifold_quick_writes_the_map_and_the_samplers_table(tmp_path):
    printed = run_quick("manifold_playability.py", tmp_path)
    playable = np.load(tmp_path / "manifold_map.npy")
    assert playable.shape == (10, 10) and playable.dtype == bool
    assert (tmp_path / "manifold_map.png").stat().st_size > 1000
    rows = read_csv(tmp_path / "manifold_samplers.csv")
    assert [row["sampler"] for row in rows][1:] == [
        "prior N(0, I)",
        "walk on playable cells",
        "rejection on the simulator",
    ]
    assert [row["sampler"] for row in printed] == [row["sampler"] for row in rows]
    assert float(rows[0]["playable_share"]) == playable.mean()
    by_name = {row["sampler"]: row for row in rows}
    # the walk's levels were played for the map and won there; played again they are won again
    assert float(by_name["walk on playable cells"]["playable_share"]) == 1.0
    assert float(by_name["rejection on the simulator"]["playable_share"]) == 1.0
    for row in rows[1:]:
        assert int(row["levels"]) == 50 and 0 < float(row["diversity"]) < 1


def test_designer_quick_trains_saves_and_compares_three_designers(tmp_path):
    printed = run_quick("mfedrl_designer.py", tmp_path)
    rows = read_csv(tmp_path / "designer_vae32.csv")
    assert [row["designer"] for row in rows] == ["SAC designer", "random designer", "prior N(0, I)"]
    assert printed == rows
    for row in rows:
        assert int(row["levels"]) == 5 and 0 <= float(row["playable_share"]) <= 1
        assert 0 <= float(row["diversity"]) <= 1 and float(row["content_fun"]) <= 1
        assert float(row["behaviour_fun"]) <= 1  # MFEDRL's default reward: content and behaviour fun
    assert int(rows[0]["train_steps"]) >= 100
    curve = read_csv(tmp_path / "designer_vae32_curve.csv")
    assert curve and all(float(row["playable_share"]) <= 1 for row in curve)
    for name in (
        "designer_vae32.zip",
        "designer_vae32_actor.safetensors",
        "designer_vae32_curve.png",
        "designer_vae32_levels.png",
    ):
        assert (tmp_path / name).stat().st_size > 1000
