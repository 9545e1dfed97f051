"""Command-line modes of the jar: eval, MarioVAE's geometry.EvalLevel, headless use, errors."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from simulator_support import (
    Server,
    ensure_jar,
    flat_level,
    gap_level,
    java,
    level_text,
    run_jar,
    vglc_levels,
    wall_level,
)

from gym_mario_latent.levels import VAE_TILES

FLAT = level_text(flat_level())


def headless_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}


def vae_rows(rows: list[str]) -> str:
    """A level as MarioVAE passes it: a Python list of int rows in the VAE alphabet."""
    return str([[VAE_TILES.index(c) for c in row] for row in rows])


def test_eval_reads_a_level_file_and_prints_one_telemetry_line(tmp_path):
    path = tmp_path / "level.txt"
    path.write_text(FLAT)
    result = run_jar("eval", str(path), env=headless_env())
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["status"] == "win"


def test_eval_reads_stdin_and_honours_options():
    result = run_jar(
        "eval",
        "--agent",
        "noop",
        "--time-limit",
        "2",
        "--trace",
        "-",
        stdin=FLAT,
        env=headless_env(),
    )
    assert result.returncode == 0, result.stderr
    telemetry = json.loads(result.stdout)
    assert telemetry["status"] == "timeout"
    assert telemetry["totalTimeGiven"] == 2
    assert len(telemetry["trace"]) == telemetry["ticks"]


def test_eval_with_a_bad_level_exits_with_a_clear_error():
    result = run_jar("eval", "-", stdin="--\n-Z\n", env=headless_env())
    assert result.returncode == 2
    assert "unknown tile 'Z'" in result.stderr
    assert result.stdout == ""


def test_unknown_mode_and_missing_level_are_usage_errors():
    assert run_jar("fly").returncode == 2
    result = run_jar("eval")
    assert result.returncode == 2
    assert "missing level" in result.stderr


def test_mariovae_evallevel_prints_telemetry_as_last_line_without_a_display():
    result = run_jar(
        vae_rows(flat_level()), "20", "false", main_class="geometry.EvalLevel", env=headless_env()
    )
    assert result.returncode == 0, result.stderr
    telemetry = json.loads(result.stdout.splitlines()[-1])
    assert telemetry["marioStatus"] == 1
    assert telemetry["totalTimeGiven"] == 20


def vglc_window(name: str, column: int, width: int = 30) -> list[str]:
    return [row[column : column + width] for row in vglc_levels()[name].splitlines()]


def test_serve_eval_and_mariovae_evallevel_play_a_vglc_level_the_same():
    rows = vglc_window("mario-1-1", 10)  # blocks to bump, goombas, pipes
    with Server() as server:
        served = server.play(rows)
    evaluated = run_jar("eval", "-", stdin=level_text(rows), env=headless_env())
    geometry = run_jar(vae_rows(rows), main_class="geometry.EvalLevel", env=headless_env())
    assert json.loads(evaluated.stdout) == served
    assert json.loads(geometry.stdout.splitlines()[-1]) == served
    assert served["kills_total"] + served["blocks_bumped"] + served["jumps"] > 0


def test_eval_reads_the_mario_ai_alphabet_as_serve_does():
    rows = ["-" * 24] * 10 + ["-------#-------C--------", "M--g----k--#--r---K---F-", "X" * 24, "X" * 24]
    with Server() as server:
        served = server.play(rows, alphabet="mario-ai", trace=True)
    evaluated = run_jar("eval", "--alphabet", "mario-ai", "--trace", "-", stdin=level_text(rows))
    assert evaluated.returncode == 0, evaluated.stderr
    assert json.loads(evaluated.stdout) == served
    assert run_jar("eval", "-", stdin=level_text(rows)).returncode == 2  # not VGLC text


def test_eval_measures_completion_from_segment_start_as_serve_does():
    rows = wall_level(6, width=20, at=12)
    with Server() as server:
        served = server.play(rows, agent="forward", time_limit=3, segment_start=4)
    options = ["--agent", "forward", "--time-limit", "3", "--segment-start", "4", "-"]
    evaluated = run_jar("eval", *options, stdin=level_text(rows))
    assert evaluated.returncode == 0, evaluated.stderr
    assert json.loads(evaluated.stdout) == served
    refused = run_jar("eval", "--segment-start", "-1", "-", stdin=level_text(rows))
    assert refused.returncode == 2 and "--segment-start needs a column" in refused.stderr


def test_mariovae_evallevel_reports_a_lost_level():
    result = run_jar(vae_rows(gap_level(12)), "20", "false", main_class="geometry.EvalLevel")
    telemetry = json.loads(result.stdout.splitlines()[-1])
    assert telemetry["marioStatus"] == 0
    assert 0 < telemetry["lengthOfLevelPassedPhys"] < telemetry["totalLengthOfLevelPassedPhys"]


def test_mariovae_evallevel_accepts_numpy_printed_rows():
    rows = flat_level()
    numpy_style = (
        "[" + "\n ".join("[" + " ".join(str(VAE_TILES.index(c)) for c in row) + "]" for row in rows) + "]"
    )
    python_style = run_jar(vae_rows(rows), "20", "false", main_class="geometry.EvalLevel")
    numpy = run_jar(numpy_style, "20", "false", main_class="geometry.EvalLevel")
    assert numpy.returncode == 0, numpy.stderr
    assert numpy.stdout == python_style.stdout


@pytest.mark.parametrize("level", ["[[2, 2], [0]]", "[[2, 11]]", "not a list", "[]", "[[2, [3]]]"])
def test_mariovae_evallevel_rejects_malformed_int_rows(level):
    result = run_jar(level, "20", "false", main_class="geometry.EvalLevel")
    assert result.returncode == 2
    assert result.stderr.startswith("error:")


def test_window_modes_fail_clearly_without_a_display():
    result = run_jar("play", "-", stdin=FLAT, env=headless_env())
    assert result.returncode == 2
    assert "display" in result.stderr
    result = run_jar(vae_rows(flat_level()), main_class="geometry.PlayLevel", env=headless_env())
    assert result.returncode == 2
    assert "display" in result.stderr


def test_window_modes_fail_clearly_when_the_display_does_not_answer():
    unreachable = {**headless_env(), "DISPLAY": "127.0.0.1:4321"}
    result = run_jar("play", "-", stdin=FLAT, env=unreachable)
    assert result.returncode == 2
    assert "a window needs a display" in result.stderr and "Exception" not in result.stderr
    result = run_jar(vae_rows(flat_level()), "20", "true", main_class="geometry.EvalLevel", env=unreachable)
    assert result.returncode == 0
    assert "no display" in result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["marioStatus"] == 1


def test_visualize_without_a_display_warns_and_still_evaluates():
    result = run_jar(
        vae_rows(flat_level()), "20", "true", main_class="geometry.EvalLevel", env=headless_env()
    )
    assert result.returncode == 0
    assert "no display" in result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["marioStatus"] == 1
    result = run_jar("eval", "--visualize", "-", stdin=FLAT, env=headless_env())
    assert result.returncode == 0
    assert json.loads(result.stdout)["status"] == "win"


def test_snapshot_draws_the_level_to_a_png_without_a_display(tmp_path):
    from PIL import Image

    out = tmp_path / "level.png"
    result = run_jar("snapshot", "-", str(out), stdin=FLAT, env=headless_env())
    assert result.returncode == 0, result.stderr
    with Image.open(out) as image:
        assert image.size == (14 * 16, 14 * 16)
        colors = {color for _, color in image.getcolors(maxcolors=4096)}
    assert len(colors) >= 3  # sky, ground and Mario at least


def test_snapshot_writes_the_png_to_stdout_for_dash_and_a_write_error_in_one_line(tmp_path):
    out = tmp_path / "level.png"
    assert run_jar("snapshot", "-", str(out), stdin=FLAT, env=headless_env()).returncode == 0
    result = subprocess.run(
        [java(), "-Djava.awt.headless=true", "-cp", str(ensure_jar()), "Main", "snapshot", "-", "-"],
        input=FLAT.encode(),
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0 and result.stdout == out.read_bytes()
    (tmp_path / "folder" / "inside").mkdir(parents=True)
    result = run_jar("snapshot", "-", str(tmp_path / "folder"), stdin=FLAT, env=headless_env())
    assert (
        result.returncode == 2
        and result.stderr == f"error: cannot write {tmp_path / 'folder'}: Is a directory\n"
    )
    assert (tmp_path / "folder" / "inside").is_dir()
