"""The handshake of the simulator jar: its protocol version and its facts (agent names, start modes,
alphabets, defaults, limits), the one source of them for the bridge (simulator/PROTOCOL.md).

The facts are needed before any worker starts (a bad setting is refused when it is made), so
:func:`read_facts` asks the jar once: it runs ``serve`` with no input, which prints the handshake and
exits, and keeps the answer in the user cache under the jar's SHA-256. Every later process, and
every later jar with the same bytes, reads the file instead of starting a JVM. Each worker's own
handshake is then checked against the facts its settings were checked with.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gym_mario_latent.errors import SimulatorError
from gym_mario_latent.paths import user_cache_dir
from gym_mario_latent.simulator_bridge.jar import ensure_jar
from gym_mario_latent.simulator_bridge.runtime import ONE_LEVEL_JVM_OPTIONS, find_java

PROTOCOL_VERSION = 1
#: Seconds the one JVM that reports the facts may take.
FACTS_TIMEOUT_SECONDS = 60.0
_REBUILD = "rebuild the jar (make jar) or update gym-mario-latent"


@dataclass(frozen=True)
class SimulatorLimits:
    """The ranges the simulator accepts (its handshake's ``limits``)."""

    tick_seconds: float  # game seconds of one tick
    min_time_limit: float  # one tick
    max_time_limit: float
    max_stall_limit: float
    max_node_budget: int
    min_height: int  # rows: ground, two for large Mario, one to jump in
    max_width: int
    max_height: int
    max_tiles: int
    max_line_bytes: int  # of one request line


@dataclass(frozen=True)
class SimulatorFacts:
    """What a simulator jar says about itself in its handshake.

    Attributes:
        simulator: its version.
        agents: the agent names it knows, in its order.
        start_modes: Mario's power-ups at the start.
        alphabets: the characters of level text it reads, by alphabet name.
        markers: the ``start`` and ``finish`` marks of level text.
        tile_ids: MarioVAE's tile characters in id order (its int-row levels).
        defaults: the value of each request field it plays with when the field is left out.
        by_hand: the ``time_limit`` and ``stall_limit`` a person at the keyboard gets.
        limits: the accepted ranges.
        tile_pixels: pixels per tile in positions.
    """

    simulator: str
    agents: tuple[str, ...]
    start_modes: tuple[str, ...]
    alphabets: dict[str, str]
    markers: dict[str, str]
    tile_ids: str
    defaults: dict[str, Any]
    by_hand: dict[str, float]
    limits: SimulatorLimits
    tile_pixels: int

    @classmethod
    def from_handshake(cls, handshake: dict[str, Any]) -> SimulatorFacts:
        """The facts of a parsed handshake line.

        Raises:
            SimulatorError: not a handshake, another protocol version, or facts missing.
        """
        if not isinstance(handshake, dict) or handshake.get("ready") is not True:
            raise SimulatorError(f"the simulator did not start: expected a handshake, got {handshake!r:.200}")
        if handshake.get("protocol") != PROTOCOL_VERSION:
            raise SimulatorError(
                f"the simulator speaks protocol {handshake.get('protocol')}, this bridge protocol "
                f"{PROTOCOL_VERSION}: {_REBUILD}"
            )
        try:
            return cls(
                simulator=handshake["simulator"],
                agents=tuple(handshake["agents"]),
                start_modes=tuple(handshake["start_modes"]),
                alphabets=dict(handshake["alphabets"]),
                markers=dict(handshake["markers"]),
                tile_ids=handshake["tile_ids"],
                defaults=dict(handshake["defaults"]),
                by_hand=dict(handshake["by_hand"]),
                limits=SimulatorLimits(**handshake["limits"]),
                tile_pixels=handshake["tile_pixels"],
            )
        except (KeyError, TypeError) as error:
            raise SimulatorError(
                f"the simulator's handshake does not carry its facts ({error}): an older jar; {_REBUILD}"
            ) from None


def parse_handshake(line: str) -> SimulatorFacts:
    """The facts of a worker's handshake line.

    Raises:
        SimulatorError: not a handshake, another protocol version, or facts missing.
    """
    try:
        handshake = json.loads(line)
    except json.JSONDecodeError:
        got = f"got {line[:200]!r}"
        raise SimulatorError(f"the simulator did not start: expected a handshake line, {got}") from None
    return SimulatorFacts.from_handshake(handshake)


_LOCK = threading.Lock()
_FACTS_BY_FILE: dict[tuple[str, int, int], SimulatorFacts] = {}


def read_facts(java: str, jar: str | os.PathLike, timeout: float = FACTS_TIMEOUT_SECONDS) -> SimulatorFacts:
    """The facts of `jar`: from the user cache (by the jar's SHA-256), else from one short JVM.

    Raises:
        SimulatorError: the JVM exited without a handshake (e.g. not a jar), took longer than
            `timeout` seconds, or reported no facts.
        OSError: `jar` cannot be read.
    """
    jar = Path(jar)
    status = jar.stat()
    key = (str(jar.resolve()), status.st_mtime_ns, status.st_size)
    with _LOCK:
        if key not in _FACTS_BY_FILE:
            _FACTS_BY_FILE[key] = _cached_facts(java, jar, timeout)
        return _FACTS_BY_FILE[key]


def _cached_facts(java: str, jar: Path, timeout: float) -> SimulatorFacts:
    cached = user_cache_dir() / "simulator-facts" / f"{hashlib.sha256(jar.read_bytes()).hexdigest()}.json"
    with contextlib.suppress(OSError, ValueError, SimulatorError):
        return SimulatorFacts.from_handshake(json.loads(cached.read_text(encoding="utf-8")))
    line = _handshake_line(java, jar, timeout)
    facts = parse_handshake(line)
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs a JVM next time
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f".{cached.name}.{os.getpid()}.part")
        partial.write_text(line, encoding="utf-8")
        os.replace(partial, cached)
    return facts


def _handshake_line(java: str, jar: Path, timeout: float) -> str:
    """The first line of ``serve`` given no requests (it prints the handshake and exits)."""
    command = [java, *ONE_LEVEL_JVM_OPTIONS, "-Djava.awt.headless=true", "-cp", str(jar), "Main", "serve"]
    try:
        result = subprocess.run(command, input="", capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise SimulatorError(f"the simulator ({jar}) did not report its facts within {timeout:g} s") from None
    if result.returncode != 0 or not result.stdout.strip():
        stderr = result.stderr.strip()[-2000:]
        raise SimulatorError(
            f"the simulator JVM ({jar}) exited (code {result.returncode}) before its handshake"
            + (f"; stderr: {stderr}" if stderr else "")
        )
    return result.stdout.splitlines()[0]


def default_facts() -> SimulatorFacts:
    """The facts of the package's jar (built first if needed), read with the Java :func:`find_java` finds.

    Raises:
        SimulatorBuildError, JavaRuntimeError, SimulatorError: no jar, no Java, or no facts.
    """
    return read_facts(find_java().path, ensure_jar())
