"""A JVM started for one level (windows, legacy jars): run it, read the telemetry from the last
stdout line, and explain a missing display."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Sequence
from typing import Any

from gym_mario_latent.errors import SimulatorError, SimulatorTimeoutError
from gym_mario_latent.simulator_bridge.jar import ensure_jar
from gym_mario_latent.simulator_bridge.level_requests import LevelRequests
from gym_mario_latent.simulator_bridge.protocol import GameSettings
from gym_mario_latent.simulator_bridge.runtime import ONE_LEVEL_JVM_OPTIONS, find_java
from gym_mario_latent.simulator_bridge.telemetry import Telemetry
from gym_mario_latent.viewer import XVFB_HINT

_DISPLAY_HINTS = ("HeadlessException", "DISPLAY", "display", "X11")


def run_one_level(command: Sequence[str], timeout: float | None, stdin: str | None = None) -> dict[str, Any]:
    """Runs `command` (no shell) and returns the JSON object on the last line of its stdout.

    Raises:
        SimulatorTimeoutError: it ran longer than `timeout` seconds (it was killed).
        SimulatorError: no telemetry line; says so when the JVM needed a display.
    """
    try:
        result = subprocess.run(list(command), input=stdin, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise SimulatorTimeoutError(f"the simulator ran longer than {timeout:g} s; killed") from None
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


def play_in_window(
    level: Any,
    requests: LevelRequests | None = None,
    visualize: bool = False,
    time_limit: float | None = None,
    java: str | os.PathLike | None = None,
    jar: str | os.PathLike | None = None,
) -> Telemetry:
    """Opens a window on one level in a JVM of its own (no worker pool): a person plays it at the
    keyboard (arrows, ``s`` jumps, ``a`` runs; Esc gives up) or, with `visualize`, watches the agent.

    When the game ends the window shows the result until a key is pressed; there is no wall-clock
    cap, since a person ends the window (a key, Esc, closing it), and the JVM ends with this process.

    Args:
        level: anything :meth:`Simulator.evaluate` takes.
        requests: the settings, alphabet and padding (default: the simulator's defaults, padded).
        visualize: show the agent instead of reading the keyboard.
        time_limit: game seconds (default: the settings' ``time_limit`` for the agent, 300 for a
            person, who also gets no stall limit).
        java: the ``java`` executable (default: :func:`find_java`).
        jar: the simulator jar (default: the package's; `requests` must then be checked against its
            facts).

    Raises:
        LevelFormatError: a bad level. ValueError: a bad `time_limit`.
        SimulatorError: no display (use ``xvfb-run`` on a headless machine) or the JVM failed.
    """
    requests = requests if requests is not None else LevelRequests(GameSettings())
    text = requests.prepare(level)
    options = requests.command_line_options(visualize, time_limit)
    java = str(java) if java is not None else find_java().path
    jar = str(jar) if jar is not None else str(ensure_jar())
    command = [java, *ONE_LEVEL_JVM_OPTIONS, "-cp", jar, "Main", "play", *options, "-"]
    return requests.telemetry(run_one_level(command, timeout=None, stdin=text))
