"""The bridge's window for real, under a virtual X display: play(visualize=True) shows the agent play.

Needs `xvfb-run` (Debian package xvfb); skipped without it. The person-at-the-keyboard window is
driven with real key presses in tests/test_simulator_window.py.
"""

import json
import shutil
import sys

import pytest
from simulator_support import flat_level, run_in_virtual_display

SHOW_THE_AGENT = """
import json, sys
from gym_mario_latent.simulator_bridge import Simulator
with Simulator(workers=1) as simulator:
    telemetry = simulator.play(json.loads(sys.argv[1]), visualize=True)
print(json.dumps({"status": telemetry.status, "agent": telemetry.raw.get("agent")}))
"""


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run (Debian package xvfb)")
def test_play_with_visualize_opens_a_window_in_which_the_agent_wins_a_flat_level():
    level = json.dumps(flat_level(width=20))
    result = run_in_virtual_display(sys.executable, "-c", SHOW_THE_AGENT, level)
    assert result.returncode == 0, result.stderr
    assert "no display" not in result.stderr  # a real window, not the headless fallback
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {"status": "win", "agent": "astar"}
