"""The `serve` protocol of the simulator jar (simulator/PROTOCOL.md, version 1): game settings,
request lines and replies (the handshake: :mod:`~gym_mario_latent.simulator_bridge.handshake`)."""

from __future__ import annotations

import dataclasses
import json
import math
import numbers
from dataclasses import dataclass, field
from typing import Any

from gym_mario_latent.errors import SimulatorError
from gym_mario_latent.simulator_bridge.handshake import SimulatorFacts, default_facts


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
    """How each level is played (the request fields of PROTOCOL.md), checked against the simulator's facts.

    A field left at None takes the simulator's default (its handshake's ``defaults``: agent
    ``astar``, 20 game seconds, 2000 nodes, small Mario, a 6 s stall limit, no trace); after
    construction every field holds a value.

    Attributes:
        agent: who plays (one of the simulator's agents: see PROTOCOL.md, "Agents").
        time_limit: game seconds before a timeout (0.03 ≤ t ≤ 3600; one 30 ms tick at least, in
            which the agent is asked once).
        node_budget: A* nodes expanded per tick at most (an integer, 1 … 100 000).
        start_mode: Mario's power-up at the start.
        stall_limit: game seconds without progress that end the game as a stalled timeout (0: off;
            at most 3600).
        trace: add Mario's per-tick ``[x, y, mode]`` to the telemetry (True or False).
        facts: the facts of the simulator the settings are for (default: the package's jar's, read
            once per jar: see :func:`~gym_mario_latent.simulator_bridge.handshake.read_facts`).

    Raises:
        ValueError: a field out of the simulator's range (the message names it and the range).
    """

    agent: str | None = None
    time_limit: float | None = None
    node_budget: int | None = None
    start_mode: str | None = None
    stall_limit: float | None = None
    trace: bool | None = None
    facts: SimulatorFacts | None = field(default=None, repr=False, compare=False, kw_only=True)

    def __post_init__(self) -> None:
        facts = self.facts if self.facts is not None else default_facts()
        object.__setattr__(self, "facts", facts)
        for name in SETTING_FIELDS:
            if getattr(self, name) is None:
                object.__setattr__(self, name, facts.defaults[name])
        limits = facts.limits
        if self.agent not in facts.agents:
            raise ValueError(f"unknown agent {self.agent!r}: expected one of {facts.agents}")
        if self.start_mode not in facts.start_modes:
            raise ValueError(f"unknown start_mode {self.start_mode!r}: expected one of {facts.start_modes}")
        time_limit = f"time_limit (game seconds; one tick is {limits.tick_seconds:g} s)"
        check_number(time_limit, self.time_limit, limits.min_time_limit, limits.max_time_limit)
        check_number("node_budget", self.node_budget, 1, limits.max_node_budget, integer=True)
        check_number("stall_limit (game seconds, 0: off)", self.stall_limit, 0, limits.max_stall_limit)
        if not isinstance(self.trace, bool):
            raise ValueError(f"trace must be True or False; got {self.trace!r}")

    def request_fields(self) -> dict[str, Any]:
        """The settings as request fields (simulator/PROTOCOL.md, "Request")."""
        return {
            "agent": self.agent,
            "time_limit": float(self.time_limit),
            "node_budget": int(self.node_budget),
            "start_mode": self.start_mode,
            "stall_limit": float(self.stall_limit),
            "trace": self.trace,
        }

    def command_line_options(self, agent: bool = True) -> list[str]:
        """The same settings as options of the jar's `eval`/`play` modes.

        Without the agent (a person at the keyboard) the time and stall limits are left to the jar's
        defaults for people (its handshake's ``by_hand``: 300 game seconds, no stall limit).
        """
        options = ["--node-budget", str(self.node_budget), "--start-mode", self.start_mode]
        if agent:
            options += ["--agent", self.agent, "--time-limit", str(self.time_limit)]
            options += ["--stall-limit", str(self.stall_limit)]
        return options + (["--trace"] if self.trace else [])


#: The fields of :class:`GameSettings` that are request fields (all but ``facts``).
SETTING_FIELDS = tuple(f.name for f in dataclasses.fields(GameSettings) if f.name != "facts")


def request_line(request_id: int, fields: dict[str, Any]) -> str:
    """One request line (with its newline): `fields` and the id."""
    return json.dumps({"id": request_id, **fields}) + "\n"


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
