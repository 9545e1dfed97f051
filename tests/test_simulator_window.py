"""The `play` window for real, under a virtual X display with real key presses (tests/window_driver.py):
Right held for a second moves Mario right and Esc ends the game at once; a game that ends by itself
stays on a result screen until a key is pressed; `gym-mario-latent level play` / `watch` open it.

Needs the `xvfb` (xvfb-run) and `xdotool` packages; skipped without them.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from simulator_support import (
    JVM_OPTIONS,
    ensure_jar,
    flat_level,
    java,
    level_text,
    run_in_virtual_display,
    run_jar,
)

DRIVER = str(Path(__file__).with_name("window_driver.py"))
CONSOLE_SCRIPT = str(Path(sys.executable).parent / "gym-mario-latent")
MISSING = [tool for tool in ("xvfb-run", "xdotool") if shutil.which(tool) is None]
pytestmark = pytest.mark.skipif(
    bool(MISSING), reason=f"needs {' and '.join(MISSING)} (Debian packages xvfb, xdotool)"
)


def drive(*driver_options: str, command: list[str]) -> dict:
    """Runs `command` under Xvfb with the driver pressing keys; returns the driver's report."""
    driver = run_in_virtual_display(sys.executable, DRIVER, *driver_options, "--", *command)
    assert driver.returncode == 0, driver.stderr
    report = json.loads(driver.stdout.strip().splitlines()[-1])
    assert report["window"] and report["focus"], f"no window with the keyboard focus: {report}"
    assert report["exit"] == 0, report["stderr"]
    return report


def play_command(*options: str) -> list[str]:
    return [java(), *JVM_OPTIONS, "-cp", str(ensure_jar()), "Main", "play", *options]


def test_holding_right_in_the_play_window_moves_mario_right_and_esc_closes_it(tmp_path):
    level = tmp_path / "flat.txt"
    level.write_text(level_text(flat_level(width=80)))
    standing = run_jar("eval", "--agent", "noop", "--time-limit", "1", str(level))
    start_x = json.loads(standing.stdout)["mario_x"]

    report = drive("--hold-right", "1", "--escape", command=play_command(str(level)))
    telemetry = json.loads(report["stdout"].strip().splitlines()[-1])
    assert telemetry["agent"] == "human" and telemetry["totalTimeGiven"] == 300
    # Esc ends the game as a timeout after about a second, long before the 300 s a person gets,
    # and closes the window at once: no result screen waits for a key
    assert telemetry["status"] == "timeout" and not telemetry["stalled"], telemetry
    assert 0 < telemetry["ticks"] < 300, telemetry
    # about 9 tiles in that second; a busy machine runs fewer game ticks in it
    assert telemetry["mario_x"] > start_x + 16, (start_x, telemetry)
    assert telemetry["jumps"] == 0


def test_a_game_that_ends_stays_on_a_result_screen_until_a_key_is_pressed(tmp_path):
    level = tmp_path / "flat.txt"
    level.write_text(level_text(flat_level(width=16)))
    report = drive("--close-result", command=play_command("--agent", "astar", str(level)))
    assert report["result_screen"] and report["open_on_result"], report
    assert json.loads(report["stdout"].strip().splitlines()[-1])["status"] == "win"


def test_level_play_lets_a_person_walk_to_the_finish_and_shows_the_result(tmp_path):
    level = tmp_path / "short.txt"
    level.write_text(level_text(["-" * 6] * 13 + ["X" * 6]))  # a VGLC-style segment: one row of ground
    report = drive(
        "--hold-right-to-the-end", "--close-result", command=[CONSOLE_SCRIPT, "level", "play", str(level)]
    )
    assert report["result_screen"] and report["open_on_result"], report
    assert report["jvms_on_result"] == 1, report  # the window's: no worker pool beside it
    _header, row = report["stdout"].splitlines()
    assert row.split()[:3] == [str(level), "win", "1.00"]


def test_level_watch_shows_the_agent_and_prints_its_telemetry(tmp_path):
    level = tmp_path / "short.txt"
    level.write_text(level_text(flat_level(width=10)))
    report = drive("--close-result", command=[CONSOLE_SCRIPT, "level", "watch", str(level), "--json"])
    assert report["result_screen"], report
    assert report["jvms_on_result"] == 1, report  # the window's: no worker pool beside it
    telemetry = json.loads(report["stdout"])
    assert telemetry["file"] == str(level) and telemetry["status"] == "win" and telemetry["agent"] == "astar"
