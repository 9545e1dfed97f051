"""`LevelRequests`: what a simulator backend sends for each level and what it makes of the reply.

The per-level half of every backend (the JVM pool of :class:`Simulator`, a backend on other
machines): check a level, pad it, and turn it into request fields; turn a reply's telemetry, or a
level that got no reply, into a :class:`Telemetry`. No processes: it can be pickled and used
anywhere.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from gym_mario_latent.simulator_bridge.handshake import SimulatorFacts
from gym_mario_latent.simulator_bridge.level_input import (
    Alphabet,
    batch_to_levels,
    check_alphabet,
    check_level_size,
    level_to_rows,
)
from gym_mario_latent.simulator_bridge.padding import Padding
from gym_mario_latent.simulator_bridge.protocol import GameSettings
from gym_mario_latent.simulator_bridge.telemetry import Telemetry

#: The padding of a segment unless told otherwise.
DEFAULT_PADDING = Padding()


@dataclass(frozen=True)
class LevelRequests:
    """Levels in, request fields out; replies in, telemetry out.

    Attributes:
        settings: how each level is played (and the facts of the simulator that plays them).
        alphabet: alphabet of level text passed in, and of the text sent; tile ids are always the
            VAE alphabet.
        padding: flat ground around each level (None: send levels as they are). With padding the
            request names the segment's first column, so the simulator measures completion over
            the segment.
    """

    settings: GameSettings
    alphabet: Alphabet = "vglc"
    padding: Padding | None = DEFAULT_PADDING

    def __post_init__(self) -> None:
        check_alphabet(self.alphabet)

    @property
    def facts(self) -> SimulatorFacts:
        """The facts of the simulator the requests are for."""
        return self.settings.facts

    def prepare(self, level: Any) -> str:
        """The level text to send for `level` (tile ids, tensor, text or rows): checked, then padded.

        Raises:
            LevelFormatError: a bad level, or one too large for the simulator once padded.
        """
        limits = self.facts.limits
        rows = level_to_rows(level, self.alphabet, limits)
        if self.padding is not None:
            rows = self.padding.apply(rows, self.alphabet)
            check_level_size(rows, limits, padding_columns=self.padding.start + self.padding.finish)
        return "\n".join(rows) + "\n"

    def with_agent(self, agent: str | None) -> LevelRequests:
        """These requests with ``agent`` playing instead (None: unchanged).

        Raises:
            ValueError: an agent the simulator does not have (named with the ones it has).
        """
        if agent is None or agent == self.settings.agent:
            return self
        return dataclasses.replace(self, settings=dataclasses.replace(self.settings, agent=agent))

    def per_level(self, agents: Sequence[str | None] | None, levels: int) -> list[LevelRequests]:
        """One request set per level of a batch of ``levels``: with the agent named for it in ``agents``
        (one entry per level; None: the settings' agent), or these requests for all when ``agents`` is None.

        Raises:
            ValueError: ``agents`` of another length than the batch, or an unknown agent.
        """
        if agents is None:
            return [self] * levels
        if isinstance(agents, str) or len(agents) != levels:
            raise ValueError(f"agents must name one agent per level ({levels}); got {agents!r}")
        by_name = {agent: self.with_agent(agent) for agent in set(agents)}
        return [by_name[agent] for agent in agents]

    def prepare_many(self, levels: Iterable[Any] | Any) -> list[str]:
        """:meth:`prepare` for every level of a batch (all are checked before any is sent)."""
        return [self.prepare(level) for level in batch_to_levels(levels)]

    def fields(self, text: str) -> dict[str, Any]:
        """The request fields (all but the id) that play prepared level `text`."""
        fields = {"level": text, "alphabet": self.alphabet, **self.settings.request_fields()}
        if self.padding is not None:
            fields["segment_start"] = self.padding.start
        return fields

    def command_line_options(self, visualize: bool, time_limit: float | None = None) -> list[str]:
        """The options of the jar's `play` mode for one window (the level comes on stdin).

        Args:
            visualize: the agent plays (with its settings); else a person, with the jar's limits for
                people unless `time_limit` is given.
            time_limit: game seconds instead of the settings' (or a person's) time limit.

        Raises:
            ValueError: `time_limit` out of the simulator's range.
        """
        settings = self.settings
        if time_limit is not None:
            settings = dataclasses.replace(settings, time_limit=time_limit)
        options = ["--alphabet", self.alphabet, *settings.command_line_options(agent=visualize)]
        if time_limit is not None and not visualize:
            options += ["--time-limit", str(settings.time_limit)]
        if self.padding is not None:
            options += ["--segment-start", str(self.padding.start)]
        return options

    @staticmethod
    def telemetry(raw: dict[str, Any]) -> Telemetry:
        """The telemetry of a reply (its ``telemetry`` object)."""
        return Telemetry.from_raw(raw)

    def unplayed(self, text: str, status: str, reason: str) -> Telemetry:
        """The telemetry of prepared level `text` that got no reply: `status` ``"timeout"`` or ``"error"``."""
        columns = len(text.split("\n", 1)[0])
        return Telemetry(
            status=status,
            reason=reason,
            agent=self.settings.agent,
            total_time_given=self.settings.time_limit,
            total_length_of_level_passed_cells=columns,
            total_length_of_level_passed_phys=float(columns * self.facts.tile_pixels),
        )
