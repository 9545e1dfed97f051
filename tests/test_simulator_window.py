"""The `play` window for real: under a virtual X display, Right held for a second moves Mario right.

Needs the `xvfb` (xvfb-run) and `xdotool` packages; skipped without them. Run as a script (inside a
display) this module is also the driver: it opens the window, presses the keys and prints the
telemetry line the jar printed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time

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

WINDOW_TITLE = "gym-mario-latent"
MISSING = [tool for tool in ("xvfb-run", "xdotool") if shutil.which(tool) is None]


def xdotool(*args: str) -> str:
    """xdotool's output ("" when it fails, e.g. no window has the keyboard focus yet)."""
    result = subprocess.run(["xdotool", *args], capture_output=True, text=True, timeout=10)
    return result.stdout.strip() if result.returncode == 0 else ""


def hold_right_then_escape(jar: str, level_path: str, seconds: float) -> None:
    """Opens the play window, holds Right for `seconds`, presses Esc; prints the jar's exit and stdout."""
    game = subprocess.Popen(
        [java(), *JVM_OPTIONS, "-cp", jar, "Main", "play", level_path],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        window = focus = ""
        deadline = time.monotonic() + 15
        # the window shows, then Java takes the X keyboard focus (no window manager hands it over)
        while not (window and focus) and game.poll() is None and time.monotonic() < deadline:
            window = window or xdotool("search", "--name", WINDOW_TITLE).split("\n")[0]
            focus = xdotool("getwindowfocus") if window else ""
            time.sleep(0.1)
        if window and focus:
            time.sleep(0.3)  # and gives it to the game's canvas
            xdotool("keydown", "Right")
            time.sleep(seconds)
            xdotool("keyup", "Right")
            xdotool("key", "Escape")
        stdout, stderr = game.communicate(timeout=10)
    finally:
        if game.poll() is None:
            game.kill()
    report = {"window": bool(window), "focus": bool(focus), "exit": game.returncode}
    print(json.dumps({**report, "stdout": stdout, "stderr": stderr}))


@pytest.mark.skipif(bool(MISSING), reason=f"needs {' and '.join(MISSING)} (Debian packages xvfb, xdotool)")
def test_holding_right_in_the_play_window_moves_mario_right_and_esc_closes_it(tmp_path):
    level = tmp_path / "flat.txt"
    level.write_text(level_text(flat_level(width=80)))
    standing = run_jar("eval", "--agent", "noop", "--time-limit", "1", str(level))
    start_x = json.loads(standing.stdout)["mario_x"]

    driver = run_in_virtual_display(sys.executable, __file__, str(ensure_jar()), str(level))
    assert driver.returncode == 0, driver.stderr
    run = json.loads(driver.stdout.strip().splitlines()[-1])
    assert run["window"] and run["focus"], f"no window with the keyboard focus: {run}"
    assert run["exit"] == 0, run["stderr"]
    telemetry = json.loads(run["stdout"].strip().splitlines()[-1])
    assert telemetry["agent"] == "human" and telemetry["totalTimeGiven"] == 300
    # Esc ends the game as a timeout after about a second, long before the 300 s a person gets
    assert telemetry["status"] == "timeout" and not telemetry["stalled"], telemetry
    assert 0 < telemetry["ticks"] < 300, telemetry
    # about 9 tiles in that second; a busy machine runs fewer game ticks in it
    assert telemetry["mario_x"] > start_x + 16, (start_x, telemetry)
    assert telemetry["jumps"] == 0


if __name__ == "__main__":
    hold_right_then_escape(sys.argv[1], sys.argv[2], seconds=1.0)
