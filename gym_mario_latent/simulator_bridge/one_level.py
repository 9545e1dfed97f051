"""A JVM started for one level (windows, legacy jars): run it, read the telemetry from the last
stdout line, and explain a missing display."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from typing import Any

from gym_mario_latent.errors import SimulatorError

_DISPLAY_HINTS = ("HeadlessException", "DISPLAY", "display", "X11")
XVFB_HINT = "on a machine without a screen, run under a virtual display: xvfb-run -a python …"


def run_one_level(command: Sequence[str], timeout: float | None, stdin: str | None = None) -> dict[str, Any]:
    """Runs `command` (no shell) and returns the JSON object on the last line of its stdout.

    Raises:
        subprocess.TimeoutExpired: it ran longer than `timeout` seconds (it was killed).
        SimulatorError: no telemetry line; says so when the JVM needed a display.
    """
    result = subprocess.run(list(command), input=stdin, capture_output=True, text=True, timeout=timeout)
    lines = result.stdout.strip().splitlines()
    try:
        telemetry = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        telemetry = None
    if isinstance(telemetry, dict):
        return telemetry
    message = result.stderr.strip()[-2000:] or "no output"
    if any(hint in message for hint in _DISPLAY_HINTS):
        raise SimulatorError(f"the game needs a display and none is available ({message}); {XVFB_HINT}")
    raise SimulatorError(f"the simulator printed no telemetry (exit {result.returncode}): {message}")
