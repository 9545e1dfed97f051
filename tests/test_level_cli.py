"""The ``gym-mario-latent level`` command end to end: the console script, real level files, the real jar.

The window actions (``play``, ``watch``) are driven under Xvfb in tests/test_simulator_window.py.
"""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from simulator_support import flat_level, level_text, vglc_levels, with_tiles

from gym_mario_latent.levels import ids_to_int_list_string, render_level, text_to_ids
from gym_mario_latent.levels.render import GOOMBA
from gym_mario_latent.simulator_bridge import Simulator, default_facts
from gym_mario_latent.vae import load_pretrained, sample_levels

CONSOLE_SCRIPT = str(Path(sys.executable).parent / "gym-mario-latent")
VGLC_1_1 = Path(__file__).resolve().parents[1] / "gym_mario_latent" / "vae" / "vglc" / "mario-1-1.txt"


def level(*args: str) -> subprocess.CompletedProcess:
    """Runs ``gym-mario-latent level ARGS`` and returns the finished process."""
    return subprocess.run([CONSOLE_SCRIPT, "level", *args], capture_output=True, text=True, timeout=300)


def json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines()]


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> list[Path]:
    """Four prior samples written by ``level sample``."""
    out = tmp_path_factory.mktemp("samples")
    result = level("sample", "--count", "4", "--seed", "3", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return sorted(out.glob("sample_*.txt"))


def test_level_sample_writes_the_vaes_prior_samples_as_vglc_text(samples):
    expected = sample_levels(load_pretrained(), 4, seed=3)
    assert [path.name for path in samples] == [f"sample_{i:03d}.txt" for i in range(4)]
    for path, ids in zip(samples, expected, strict=True):
        np.testing.assert_array_equal(text_to_ids(path.read_text()), ids)


def test_level_eval_json_lines_are_the_simulators_telemetry_of_each_file_in_order(samples, tmp_path):
    mario_vae_rows = tmp_path / "int_rows.txt"  # MarioVAE's list-of-int-rows form
    mario_vae_rows.write_text(ids_to_int_list_string(text_to_ids(samples[0].read_text())))
    files = [*samples, VGLC_1_1, mario_vae_rows]
    result = level("eval", *map(str, files), "--json", "--workers", "2")
    assert result.returncode == 0, result.stderr
    lines = json_lines(result.stdout)
    assert [line.pop("file") for line in lines] == [str(path) for path in files]
    with Simulator(workers=1) as simulator:
        expected = [simulator.evaluate(path.read_text()).to_dict() for path in [*samples, VGLC_1_1]]
    assert lines == [*expected, expected[0]]
    assert lines[len(samples)]["status"] == "win"  # the A* agent wins VGLC 1-1
    assert "level" in result.stderr  # the progress bar


def test_level_eval_table_has_a_row_per_file_and_a_summary(tmp_path):
    pit = tmp_path / "pit.txt"
    pit.write_text(level_text(["-" * 14] * 13 + ["XX" + "-" * 12]))
    result = level("eval", str(VGLC_1_1), str(pit), "--quiet")
    assert result.returncode == 0, result.stderr
    header, first, second, summary = result.stdout.splitlines()
    assert header.split() == ["level", "status", "completion", "jumps", "kills", "coins", "time"]
    assert first.split()[:3] == [str(VGLC_1_1), "win", "1.00"]
    assert second.split()[:2] == [str(pit), "lose"]
    assert summary == "2 level(s): 1 win, 1 lose, 0 timeout"
    assert result.stderr == ""  # --quiet: no progress bar


def test_level_eval_settings_reach_the_simulator(tmp_path):
    koopa = tmp_path / "koopa.txt"
    koopa.write_text(level_text(with_tiles(flat_level(30), {(20, 11): "k"})))
    options = ["--alphabet", "mario-ai", "--agent", "forward", "--time-limit", "4", "--no-padding", "--json"]
    (telemetry,) = json_lines(level("eval", str(koopa), *options, "--quiet").stdout)
    assert telemetry["agent"] == "forward" and telemetry["totalTimeGiven"] == 4
    assert telemetry["totalLengthOfLevelPassedCells"] == 30  # not padded
    assert telemetry["status"] == "lose" and telemetry["jumps"] == 0  # walked into the koopa
    small_budget = json_lines(level("eval", str(VGLC_1_1), "--node-budget", "5", "--json", "--quiet").stdout)
    assert 0 < small_budget[0]["nodes_expanded"] <= 5 * small_budget[0]["ticks"]


BAD_RUNS = {
    "a missing file": (["eval", "missing.txt"], "cannot read level file missing.txt"),
    "an unknown tile": (["eval", "{bad}"], "bad.txt: unknown tile 'Z' at row 0, column 1"),
    "a time limit of 0": (
        ["eval", "{good}", "--time-limit", "0"],
        "time_limit (game seconds; one tick is 0.03 s) must be a number ≥ 0.03",
    ),
    "an unknown agent": (["eval", "{good}", "--agent", "mario"], "invalid choice: 'mario'"),
    "no display for play": (["play", "{good}"], "needs a display"),
}


@pytest.mark.parametrize("args, message", BAD_RUNS.values(), ids=BAD_RUNS.keys())
def test_level_errors_are_one_line_with_exit_status_2(tmp_path, monkeypatch, args, message):
    (tmp_path / "bad.txt").write_text("XZ\nXX\n")
    (tmp_path / "good.txt").write_text(level_text(flat_level()))
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.chdir(tmp_path)
    result = level(*(arg.format(bad=tmp_path / "bad.txt", good=tmp_path / "good.txt") for arg in args))
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_level_render_draws_the_file_with_our_tile_art(tmp_path):
    out = tmp_path / "pictures" / "1-1.png"
    result = level("render", str(VGLC_1_1), "--out", str(out), "--tile-size", "8")
    assert result.returncode == 0 and str(out) in result.stdout
    expected = render_level(text_to_ids(VGLC_1_1.read_text()), tile_size=8)
    np.testing.assert_array_equal(np.asarray(Image.open(out).convert("RGB")), np.asarray(expected))


def test_level_snapshot_draws_the_simulators_picture_with_the_enemies(tmp_path):
    rows = with_tiles(flat_level(20), {(12, 11): "E"})
    with_goomba, without = tmp_path / "goomba.txt", tmp_path / "empty.txt"
    with_goomba.write_text(level_text(rows))
    without.write_text(level_text(flat_level(20)))
    for path in (with_goomba, without):
        result = level("snapshot", str(path))  # default: the file's name with .png
        assert result.returncode == 0, result.stderr
    picture, empty = (
        np.asarray(Image.open(p.with_suffix(".png")).convert("RGB")) for p in (with_goomba, without)
    )
    assert picture.shape == (14 * 16, 20 * 16, 3)
    changed = np.argwhere((picture != empty).any(axis=-1))
    assert len(changed) > 50  # the goomba, drawn ...
    (top, left), (bottom, right) = changed.min(axis=0), changed.max(axis=0)
    tile_x, tile_y = 12 * 16, 11 * 16  # ... on its tile, give or take its outline
    assert tile_x - 4 <= left and right < tile_x + 20 and tile_y - 4 <= top and bottom < tile_y + 18


def test_vglc_1_1_snapshot_shows_its_goombas(tmp_path):
    out = tmp_path / "1-1.png"
    assert level("snapshot", str(VGLC_1_1), "--out", str(out)).returncode == 0
    picture = np.asarray(Image.open(out).convert("RGB"))
    goomba_brown = (picture == (150, 84, 40)).all(axis=-1)  # SpriteArt's goomba colour
    rows = vglc_levels()["mario-1-1"].splitlines()
    goomba_columns = {x for row in rows for x, char in enumerate(row) if char == "E"}
    drawn_columns = {x // 16 for x in np.nonzero(goomba_brown.any(axis=0))[0]}
    assert goomba_columns <= drawn_columns | {x - 1 for x in drawn_columns} | {x + 1 for x in drawn_columns}
    assert len(goomba_columns) > 10


def hostile_files(folder: Path) -> dict[str, str]:
    """Level files and targets that must each be refused in one line, by name."""
    os.mkfifo(folder / "fifo.txt")
    limit = default_facts().limits.max_line_bytes
    with (folder / "huge.txt").open("wb") as huge:
        huge.truncate(limit + 1)  # one byte more than the simulator reads in a request
    (folder / "deep.txt").write_text("[" * 100_000 + "]" * 100_000)
    (folder / "tall.txt").write_text(json.dumps([[2] * 14] * 100_000))  # 100 000 int rows
    (folder / "good.txt").write_text(level_text(flat_level()))
    (folder / "folder").mkdir()
    (folder / "folder" / "keep.txt").write_text("keep")
    (folder / "full.png").symlink_to("/dev/full")
    return {"folder": str(folder), "limit": str(limit)}


ONE_LINE_REFUSALS = {
    "eval of /dev/zero": (
        ["eval", "/dev/zero"],
        "cannot read level file: /dev/zero is not a regular file (it is a character device)",
    ),
    "render of /dev/zero": (
        ["render", "/dev/zero", "--out", "{folder}/zero.png"],
        "/dev/zero is not a regular file (it is a character device)",
    ),
    "snapshot of a FIFO": (
        ["snapshot", "{folder}/fifo.txt"],
        "fifo.txt is not a regular file (it is a FIFO)",
    ),
    "eval of a file larger than a request": (
        ["eval", "{folder}/huge.txt"],
        "huge.txt is larger than the simulator reads (at most {limit} bytes",
    ),
    "render of a file larger than a request": (
        ["render", "{folder}/huge.txt"],
        "huge.txt is larger than the simulator reads (at most {limit} bytes",
    ),
    "int rows nested 100 000 deep": (["eval", "{folder}/deep.txt"], "nested deeper than Python parses"),
    "render of 100 000 int rows": (
        ["render", "{folder}/tall.txt"],
        "of 224×1600000 pixels is too large to draw: 358400000 pixels, at most 89478485",
    ),
    "eval of 100 000 int rows": (["eval", "{folder}/tall.txt"], "14 columns × 100000 rows is too large"),
    "render at tile size 100 000": (
        ["render", "{folder}/good.txt", "--tile-size", "100000"],
        "pixels is too large to draw: 1960000000000 pixels, at most 89478485",
    ),
    "render --out a folder": (
        ["render", "{folder}/good.txt", "--out", "{folder}/folder"],
        "folder is a folder: give the path of the file to write",
    ),
    "snapshot --out a folder with files": (
        ["snapshot", "{folder}/good.txt", "--out", "{folder}/folder"],
        "folder is a folder: give the path of the file to write",
    ),
    "snapshot --out a link to /dev/full": (  # a link: code that deletes the target first removes only it
        ["snapshot", "{folder}/good.txt", "--out", "{folder}/full.png"],
        "full.png is not a regular file (it is a character device): give a new path or a regular file",
    ),
    "render --out /dev/null": (
        ["render", "{folder}/good.txt", "--out", "/dev/null"],
        "/dev/null is not a regular file (it is a character device)",
    ),
    "sample --out a file": (
        ["sample", "--out", "{folder}/good.txt"],
        "good.txt is not a folder (it is a regular file): give a folder to write into",
    ),
    "sample --seed 2**64": (
        ["sample", "--seed", str(2**64), "--out", "{folder}/samples"],
        f"argument --seed: {2**64} is not a seed: torch and numpy take 0 to 2**64 - 1",
    ),
}


@pytest.mark.parametrize("args, message", ONE_LINE_REFUSALS.values(), ids=ONE_LINE_REFUSALS.keys())
def test_hostile_files_and_targets_are_refused_in_one_line_and_left_as_they_were(tmp_path, args, message):
    names = hostile_files(tmp_path)
    before = sorted(path.name for path in tmp_path.rglob("*"))
    result = level(*(arg.format(**names) for arg in args))
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and message.format(**names) in result.stderr
    assert sorted(path.name for path in tmp_path.rglob("*")) == before  # nothing written, nothing deleted
    assert (tmp_path / "folder" / "keep.txt").read_text() == "keep"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode) and stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_full_disk_is_one_line_and_leaves_the_old_file_and_no_temporary_file(full_disk, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(level_text(flat_level()))
    before = sorted(path.name for path in full_disk.iterdir())
    for args in (
        ["render", str(good), "--out", str(full_disk / "new.png")],
        ["render", str(good), "--out", str(full_disk / "old.txt")],
        ["snapshot", str(good), "--out", str(full_disk / "old.txt")],
        ["sample", "-n", "1", "--out", str(full_disk)],
    ):
        result = level(*args)
        assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
        assert ": No space left on device" in result.stderr
        assert sorted(path.name for path in full_disk.iterdir()) == before
        assert (full_disk / "old.txt").read_text() == "old"


def test_snapshot_and_render_replace_a_regular_file_keeping_its_permissions(tmp_path):
    for action in ("snapshot", "render"):
        out = tmp_path / f"{action}.png"
        out.write_text("an old picture")
        out.chmod(0o604)
        assert level(action, str(VGLC_1_1), "--out", str(out)).returncode == 0
        assert Image.open(out).format == "PNG" and stat.S_IMODE(out.stat().st_mode) == 0o604
    assert sorted(path.name for path in tmp_path.iterdir()) == ["render.png", "snapshot.png"]


def test_a_byte_order_mark_and_the_start_and_finish_marks_read_as_eval_reads_them(tmp_path):
    rows = with_tiles(flat_level(), {(1, 11): "M", (12, 11): "F"})
    marked, plain, with_bom = tmp_path / "marked.txt", tmp_path / "plain.txt", tmp_path / "bom.txt"
    marked.write_text(level_text(rows))
    plain.write_text(level_text([row.replace("M", "-").replace("F", "-") for row in rows]))
    with_bom.write_bytes(b"\xef\xbb\xbf" + marked.read_bytes())  # as some Windows editors save text
    for path in (marked, plain, with_bom):
        result = level("render", str(path), "--tile-size", "4")
        assert result.returncode == 0, result.stderr
    pictures = [np.asarray(Image.open(path.with_suffix(".png"))) for path in (marked, plain, with_bom)]
    np.testing.assert_array_equal(pictures[0], pictures[1])
    np.testing.assert_array_equal(pictures[2], pictures[0])
    results = json_lines(level("eval", str(marked), str(with_bom), "--json", "--quiet").stdout)
    assert [{**line, "file": None} for line in results] == [{**results[0], "file": None}] * 2


def test_level_sample_and_vae_sample_count_levels_with_the_same_flags(tmp_path, capsys):
    """``-n`` / ``--count`` name the number of levels in both commands, and 0 is refused by both."""
    from gym_mario_latent.cli.main import main

    for command in (["level", "sample", "--out", str(tmp_path / "levels")], ["vae", "sample"]):
        for flag in ("-n", "--count"):
            with pytest.raises(SystemExit) as usage_error:
                main([*command, flag, "0"])
            assert usage_error.value.code == 2
            assert "argument -n/--count: 0 is not a positive integer" in capsys.readouterr().err


def test_render_trace_draws_the_agents_path_and_animate_writes_the_playthrough(tmp_path):
    file = tmp_path / "pit.txt"
    rows = with_tiles(flat_level(width=30), {(9, 11): "E"})  # a goomba before the pit
    file.write_text(
        level_text([row[:12] + ("--" if row.startswith("X") else row[12:14]) + row[14:] for row in rows])
    )
    plain, traced, gif = tmp_path / "plain.png", tmp_path / "traced.png", tmp_path / "play.gif"
    assert level("render", str(file), "--out", str(plain)).returncode == 0
    result = level("render", str(file), "--trace", "--animate", str(gif), "--out", str(traced))
    assert result.returncode == 0, result.stderr
    assert "astar win, completion 1.00" in result.stdout  # a 2-tile pit: jumped
    before, after = np.asarray(Image.open(plain)), np.asarray(Image.open(traced))
    assert before.shape == after.shape  # the same picture of the level ...
    changed = np.any(before != after, axis=2)
    assert changed[:, :100].any() and changed[:, -100:].any()  # ... with a path from the start to the end
    animation = Image.open(gif)
    assert animation.n_frames > 10 and animation.size[1] == after.shape[0]
    # the goomba walks towards Mario in the first frames (the camera has not moved yet)
    goomba_x = []
    for index in (0, 5):
        animation.seek(index)
        columns = np.flatnonzero((np.asarray(animation.convert("RGB")) == GOOMBA).all(axis=2).any(axis=0))
        goomba_x.append(columns.mean())
    assert goomba_x[1] < goomba_x[0] - 5
    refused = level("render", str(file), "--trace", "--animate", str(tmp_path))  # a folder
    assert refused.returncode == 2 and "is a folder" in refused.stderr
    video = tmp_path / "play.mp4"
    assert level("render", str(file), "--animate", str(video), "--out", str(traced)).returncode == 0
    import imageio.v3 as iio  # the video extra

    frames = iio.imread(video, plugin="FFMPEG")
    assert frames.shape[1:] == (after.shape[0], animation.size[0], 3) and len(frames) > animation.n_frames
    avi = level("render", str(file), "--animate", str(tmp_path / "play.avi"))
    assert avi.returncode == 2 and "--animate: an animation is written as .gif or .mp4" in avi.stderr
