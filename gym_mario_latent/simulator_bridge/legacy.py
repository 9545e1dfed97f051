"""`LegacyJar`: drives a MarioVAE-style `simulator.jar`, one JVM per level, as MarioVAE's simulator.py did.

The jar is run as ``java -cp JAR geometry.EvalLevel "<int rows>" <max_time> <visualize>`` (or
``geometry.PlayLevel "<int rows>"`` for a human) and its last stdout line is the telemetry JSON.
Our own jar speaks the same command shapes, so this is also the anchor of the bridge's benchmark.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tqdm.auto import tqdm

from gym_mario_latent.errors import SimulatorTimeoutError
from gym_mario_latent.levels import ids_to_int_list_string, text_to_ids
from gym_mario_latent.simulator_bridge.level_input import batch_to_levels, is_text
from gym_mario_latent.simulator_bridge.one_level import run_one_level
from gym_mario_latent.simulator_bridge.runtime import find_java
from gym_mario_latent.simulator_bridge.telemetry import Telemetry

# marioStatus of the Mario AI competition's EvaluationInfo: 0 dead, 1 win, 2 still running (time up)
_STATUS_OF_MARIO_STATUS = {0: "lose", 1: "win", 2: "timeout"}


class LegacyJar:
    """A user's MarioVAE-style simulator jar, started once per level.

    Args:
        path: the jar (with ``geometry.EvalLevel`` and ``geometry.PlayLevel``).
        max_time: game seconds per level, passed to ``EvalLevel``.
        wall_time_limit: wall-clock seconds one JVM may run before it is killed (None: no cap).
        java: the ``java`` executable (default: :func:`find_java`).
        jvm_options: options for each JVM.
    """

    def __init__(
        self,
        path: str | os.PathLike,
        max_time: float = 20.0,
        wall_time_limit: float | None = 120.0,
        java: str | os.PathLike | None = None,
        jvm_options: Iterable[str] = (),
    ) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"no simulator jar at {self.path}")
        self.max_time = max_time
        self.wall_time_limit = wall_time_limit
        self.java = str(java) if java is not None else find_java().path
        self.jvm_options = tuple(jvm_options)

    def _run(self, main_class: str, *args: str, timeout: float | None) -> dict[str, Any]:
        command = [self.java, *self.jvm_options, "-cp", str(self.path), main_class, *args]
        return run_one_level(command, timeout)

    @staticmethod
    def _int_rows(level: Any) -> str:
        """MarioVAE's level argument: the Python list of int rows (VAE tile ids; text is checked as it
        is converted, against the VAE alphabet MarioVAE's jar reads)."""
        return ids_to_int_list_string(text_to_ids(level) if is_text(level) else level)

    @staticmethod
    def _telemetry(raw: dict[str, Any], **overrides: Any) -> Telemetry:
        derived = {}
        if "status" not in raw:
            derived["status"] = _STATUS_OF_MARIO_STATUS.get(raw.get("marioStatus"), "lose")
        if "completion" not in raw and raw.get("totalLengthOfLevelPassedPhys"):
            share = raw.get("lengthOfLevelPassedPhys", 0) / raw["totalLengthOfLevelPassedPhys"]
            derived["completion"] = min(1.0, max(0.0, share))
        return Telemetry.from_raw(raw, **(derived | overrides))

    def evaluate(self, level: Any, visualize: bool = False) -> Telemetry:
        """Plays one level (tile ids, or VAE text/rows) with the jar's A* agent in a new JVM.

        A JVM that runs past ``wall_time_limit`` is killed and gives a ``"timeout"`` with a reason.

        Raises:
            LevelFormatError: a bad level. SimulatorError: the jar failed or needs a display.
        """
        rows = self._int_rows(level)
        try:
            arguments = (rows, f"{self.max_time:g}", str(visualize).lower())
            raw = self._run("geometry.EvalLevel", *arguments, timeout=self.wall_time_limit)
        except SimulatorTimeoutError:
            reason = f"the jar ran longer than {self.wall_time_limit:g} s; killed"
            return Telemetry(status="timeout", reason=reason, total_time_given=self.max_time)
        return self._telemetry(raw)

    def evaluate_many(self, levels: Iterable[Any] | Any, progress: bool = False) -> list[Telemetry]:
        """Plays the levels one after another, one JVM each."""
        levels = batch_to_levels(levels)
        for level in levels:  # every level checked before the first JVM starts
            self._int_rows(level)
        return [self.evaluate(level) for level in tqdm(levels, disable=not progress, unit="level")]

    def play(self, level: Any) -> Telemetry:
        """Opens the jar's window to play the level at the keyboard (``geometry.PlayLevel``); no
        wall-clock cap, as a person ends the window.

        Raises:
            SimulatorError: no display (run under ``xvfb-run``), or the jar failed.
        """
        rows = self._int_rows(level)
        return self._telemetry(self._run("geometry.PlayLevel", rows, timeout=None))
