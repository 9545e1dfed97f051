"""The `serve` protocol of the simulator jar (simulator/PROTOCOL.md, version 1): handshake, game
settings and request lines."""

from __future__ import annotations

import json
import math
import numbers
from dataclasses import dataclass
from typing import Any

from gym_mario_latent.errors import SimulatorError

PROTOCOL_VERSION = 1

AGENTS = ("astar", "astar-reference", "forward", "noop", "jump", "walk-jump", "run-jump", "fire")
START_MODES = ("small", "large", "fire")
#: Game seconds of one simulator tick (simulator/engine/World.java ``TICK_MS``): the shortest time limit.
TICK_SECONDS = 0.03
#: The longest time and stall limits and the largest node budget (simulator/evaluation/Settings.java).
MAX_TIME_LIMIT = 3600
MAX_NODE_BUDGET = 100_000


def check_number(
    name: str,
    value: Any,
    low: float,
    high: float = math.inf,
    *,
    integer: bool = False,
    low_open: bool = False,
) -> None:
    """Raises ``ValueError`` naming `name` and its range unless `value` is a number in it.

    Args:
        name: the argument's name, for the message.
        value: what was given; booleans are no numbers here, and NaN is in no range.
        low, high: the range (``high`` included; ``low`` too unless `low_open`).
        integer: also require an integer (``2.5`` is refused, not rounded).
    """
    kind = numbers.Integral if integer else numbers.Real
    in_range = isinstance(value, kind) and not isinstance(value, bool)
    in_range = in_range and (low < value if low_open else low <= value) and value <= high
    if not in_range:
        what = "an integer" if integer else "a number"
        bounds = f"{'>' if low_open else '≥'} {low:g}" + (f" and ≤ {high:g}" if high < math.inf else "")
        raise ValueError(f"{name} must be {what} {bounds}; got {value!r}")


@dataclass(frozen=True)
class GameSettings:
    """How each level is played (the request fields of PROTOCOL.md, checked here).

    Attributes:
        agent: who plays (see PROTOCOL.md, "Agents").
        time_limit: game seconds before a timeout (one tick, 0.03 ≤ t ≤ 3600).
        node_budget: A* nodes expanded per tick at most (an integer, 1 … 100 000).
        start_mode: Mario's power-up at the start.
        stall_limit: game seconds without progress that end the game as a stalled timeout (0: off;
            at most 3600).
        trace: add Mario's per-tick ``[x, y, mode]`` to the telemetry (True or False).
    """

    agent: str = "astar"
    time_limit: float = 20.0
    node_budget: int = 2000
    start_mode: str = "small"
    stall_limit: float = 6.0
    trace: bool = False

    def __post_init__(self) -> None:
        if self.agent not in AGENTS:
            raise ValueError(f"unknown agent {self.agent!r}: expected one of {AGENTS}")
        if self.start_mode not in START_MODES:
            raise ValueError(f"unknown start_mode {self.start_mode!r}: expected one of {START_MODES}")
        time_limit = f"time_limit (game seconds; one tick is {TICK_SECONDS:g} s)"
        check_number(time_limit, self.time_limit, TICK_SECONDS, MAX_TIME_LIMIT)
        check_number("node_budget", self.node_budget, 1, MAX_NODE_BUDGET, integer=True)
        check_number("stall_limit (game seconds, 0: off)", self.stall_limit, 0, MAX_TIME_LIMIT)
        if not isinstance(self.trace, bool):
            raise ValueError(f"trace must be True or False; got {self.trace!r}")

    def request(self, request_id: int, level_text: str, alphabet: str) -> str:
        """One request line (with its newline) for `level_text`."""
        fields = {
            "id": request_id,
            "level": level_text,
            "alphabet": alphabet,
            "agent": self.agent,
            "time_limit": float(self.time_limit),
            "node_budget": int(self.node_budget),
            "start_mode": self.start_mode,
            "stall_limit": float(self.stall_limit),
            "trace": self.trace,
        }
        return json.dumps(fields) + "\n"

    def command_line_options(self, agent: bool = True) -> list[str]:
        """The same settings as options of the jar's `eval`/`play` modes.

        Without the agent (a person at the keyboard) the time and stall limits are left to the jar's
        defaults for people (300 game seconds, no stall limit).
        """
        options = ["--node-budget", str(self.node_budget), "--start-mode", self.start_mode]
        if agent:
            options += ["--agent", self.agent, "--time-limit", str(self.time_limit)]
            options += ["--stall-limit", str(self.stall_limit)]
        return options + (["--trace"] if self.trace else [])


def check_handshake(line: str) -> dict[str, Any]:
    """The parsed handshake line of a new worker.

    Raises:
        SimulatorError: not a handshake, or another protocol version.
    """
    try:
        handshake = json.loads(line)
    except json.JSONDecodeError:
        handshake = None
    if not isinstance(handshake, dict) or handshake.get("ready") is not True:
        raise SimulatorError(f"the simulator did not start: expected a handshake line, got {line[:200]!r}")
    if handshake.get("protocol") != PROTOCOL_VERSION:
        raise SimulatorError(
            f"the simulator speaks protocol {handshake.get('protocol')}, this bridge protocol "
            f"{PROTOCOL_VERSION}: rebuild the jar (make jar) or update gym-mario-latent"
        )
    return handshake


def parse_reply(line: str, request_id: int) -> dict[str, Any]:
    """The telemetry object of a reply line to request `request_id`.

    Raises:
        SimulatorError: the reply is not JSON, answers another request, or reports an error.
    """
    try:
        reply = json.loads(line)
    except json.JSONDecodeError:
        raise SimulatorError(f"the simulator answered a line that is not JSON: {line[:200]!r}") from None
    if reply.get("id") != request_id:
        raise SimulatorError(f"the simulator answered request {reply.get('id')!r}, expected {request_id}")
    if not reply.get("ok"):
        raise SimulatorError(f"the simulator rejected the level: {reply.get('error')}")
    return reply["telemetry"]
