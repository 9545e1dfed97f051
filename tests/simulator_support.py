"""Helpers for the simulator tests and benchmark: build/find the jar, run it, talk to `serve`."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from gym_mario_latent.simulator_bridge.jar import ensure_jar as build_package_jar_if_stale

REPO = Path(__file__).resolve().parents[1]
JAR = REPO / "gym_mario_latent" / "simulator_bridge" / "simulator.jar"
VGLC_DIR = REPO / "gym_mario_latent" / "vae" / "vglc"  # the VGLC levels the package ships
# JVM options recommended in simulator/PROTOCOL.md: one GC thread for a long-lived worker, and
# also only the quick (C1) compiler for short runs such as tests
WORKER_JVM_OPTIONS = ("-XX:+UseSerialGC",)
JVM_OPTIONS = (*WORKER_JVM_OPTIONS, "-XX:TieredStopAtLevel=1")


def java(tool: str = "java") -> str:
    """Path of a JDK tool (`java`, `javac`) on PATH."""
    path = shutil.which(tool)
    if path is None:
        raise RuntimeError(f"{tool} is not on PATH")
    return path


def ensure_jar() -> Path:
    """The package's jar, rebuilt by the bridge when it is missing or older than a Java source."""
    return build_package_jar_if_stale(JAR, REPO / "simulator")


def run_jar(*args: str, stdin: str | None = None, timeout: float = 120, env=None, main_class=None):
    """Runs the jar (or one of its classes) and returns the CompletedProcess."""
    command = [java(), *JVM_OPTIONS, "-cp", str(ensure_jar()), main_class or "Main", *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=timeout, env=env)


def level_text(rows: list[str]) -> str:
    """Level text from rows of tile characters."""
    return "\n".join(rows) + "\n"


def flat_level(width: int = 14, height: int = 14, ground_rows: int = 2) -> list[str]:
    """An empty level with solid ground at the bottom."""
    return ["-" * width] * (height - ground_rows) + ["X" * width] * ground_rows


def gap_level(gap: int, width: int = 40, start: int = 10) -> list[str]:
    """Flat ground with a pit `gap` tiles wide starting at column `start`."""
    ground = "".join("-" if start <= x < start + gap else "X" for x in range(width))
    return ["-" * width] * 12 + [ground, ground]


def wall_level(height: int, width: int = 30, at: int = 10) -> list[str]:
    """Flat ground with a two-tile-thick wall `height` tiles high at column `at`."""
    rows = [
        "".join("X" if x in (at, at + 1) and y >= 12 - height else "-" for x in range(width))
        for y in range(12)
    ]
    return [*rows, "X" * width, "X" * width]


def with_tiles(rows: list[str], tiles: dict[tuple[int, int], str]) -> list[str]:
    """A copy of `rows` with the characters at (column, row) replaced."""
    grid = [list(row) for row in rows]
    for (x, y), char in tiles.items():
        grid[y][x] = char
    return ["".join(row) for row in grid]


def vglc_levels() -> dict[str, str]:
    """The 15 VGLC Super Mario Bros levels by file stem."""
    return {p.stem: p.read_text() for p in sorted(VGLC_DIR.glob("mario-*.txt"))}


def vglc_windows(width: int = 14, stride: int = 1) -> list[str]:
    """Every `width`-column window of the VGLC levels, as level text."""
    windows = []
    for text in vglc_levels().values():
        rows = text.splitlines()
        for x in range(0, len(rows[0]) - width + 1, stride):
            windows.append(level_text([row[x : x + width] for row in rows]))
    return windows


class Server:
    """A running `serve` process; use as a context manager."""

    def __init__(self, jvm_options: tuple[str, ...] = JVM_OPTIONS) -> None:
        self.process = subprocess.Popen(
            [java(), *jvm_options, "-jar", str(ensure_jar()), "serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self.handshake = json.loads(self.process.stdout.readline())

    def send_line(self, line: str) -> dict[str, Any]:
        """Sends one raw request line, returns the parsed reply."""
        return json.loads(self.send_raw(line))

    def send_raw(self, line: str) -> str:
        """Sends one raw request line, returns the reply line as the server wrote it."""
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        reply = self.process.stdout.readline()
        if not reply:
            raise RuntimeError("server closed: " + self.process.stderr.read())
        return reply

    def request(self, **fields: Any) -> dict[str, Any]:
        """Sends a request object built from `fields`, returns the parsed reply."""
        return self.send_line(json.dumps(fields))

    def play(self, rows: list[str], **fields: Any) -> dict[str, Any]:
        """Plays the level made of `rows`; returns the telemetry of a successful reply."""
        reply = self.request(level=level_text(rows), **fields)
        assert reply["ok"], reply
        return reply["telemetry"]

    def close(self) -> int:
        """Closes stdin (EOF) and returns the exit code."""
        self.process.stdin.close()
        return self.process.wait(timeout=30)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.close()


def run_in_virtual_display(*command: str) -> subprocess.CompletedProcess:
    """Runs `command` under xvfb-run, starting again when two xvfb-runs raced for one display number."""
    for _ in range(3):
        display = ["xvfb-run", "-a", "-s", "-screen 0 1024x768x24"]
        result = subprocess.run([*display, *command], capture_output=True, text=True, timeout=60)
        if "Xvfb failed to start" not in result.stderr:
            break
        time.sleep(1)
    return result
