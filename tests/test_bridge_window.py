"""The bridge's window for real, under a virtual X display: play(visualize=True) shows the agent play.

Needs `xvfb-run` and `xdotool` (Debian packages xvfb, xdotool); skipped without them. A key closes
the result screen (tests/window_driver.py); the person-at-the-keyboard window is driven with real
key presses in tests/test_simulator_window.py.
"""

import json
import shutil
import sys
from pathlib import Path

import pytest
from simulator_support import flat_level, run_in_virtual_display

SHOW_THE_AGENT = """
import json, sys
from gym_mario_latent.simulator_bridge import Simulator
with Simulator(workers=1) as simulator:
    telemetry = simulator.play(json.loads(sys.argv[1]), visualize=True)
print(json.dumps({"status": telemetry.status, "agent": telemetry.raw.get("agent")}))
"""


MISSING = [tool for tool in ("xvfb-run", "xdotool") if shutil.which(tool) is None]
DRIVER = str(Path(__file__).with_name("window_driver.py"))


@pytest.mark.skipif(bool(MISSING), reason=f"needs {' and '.join(MISSING)} (Debian packages xvfb, xdotool)")
def test_play_with_visualize_opens_a_window_in_which_the_agent_wins_a_flat_level():
    level = json.dumps(flat_level(width=20))
    command = [sys.executable, "-c", SHOW_THE_AGENT, level]
    result = run_in_virtual_display(sys.executable, DRIVER, "--close-result", "--", *command)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["result_screen"] and report["exit"] == 0, report
    assert "no display" not in report["stderr"]  # a real window, not the headless fallback
    assert json.loads(report["stdout"].strip().splitlines()[-1]) == {"status": "win", "agent": "astar"}
