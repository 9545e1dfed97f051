"""The telemetry of one game: a typed, frozen view of the simulator's JSON (simulator/PROTOCOL.md)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from gym_mario_latent.levels.sprites import TracedSprite, traced_sprites


def _key(name: str) -> dict[str, str]:
    """Field metadata: the field holds the telemetry key `name`."""
    return {"key": name}


@dataclass(frozen=True)
class Telemetry:
    """What happened in one game, one typed field per telemetry key of simulator/PROTOCOL.md.

    The field names are the keys in snake case; :meth:`to_dict` gives the keys back as the
    simulator spells them (MarioVAE's camel-case names included). ``completion`` measures the
    segment when the bridge padded it (the simulator measures it from the segment's first column,
    which the request names: see :class:`~gym_mario_latent.simulator_bridge.padding.Padding`);
    ``raw`` keeps the simulator's JSON exactly as received.

    ``status`` is ``"win"``, ``"lose"`` or ``"timeout"`` as the simulator reports them, or one of
    two statuses of a level that got no reply, with an empty ``raw`` and a ``reason`` saying why:
    ``"timeout"`` (stopped by the bridge's wall-time cap) and ``"error"`` (no worker could play it:
    see :class:`~gym_mario_latent.simulator_bridge.Simulator`).
    """

    # MarioVAE-compatible keys
    mario_status: int = field(default=0, metadata=_key("marioStatus"))
    length_of_level_passed_phys: float = field(default=0.0, metadata=_key("lengthOfLevelPassedPhys"))
    total_length_of_level_passed_phys: float = field(
        default=0.0, metadata=_key("totalLengthOfLevelPassedPhys")
    )
    length_of_level_passed_cells: int = field(default=0, metadata=_key("lengthOfLevelPassedCells"))
    total_length_of_level_passed_cells: int = field(default=0, metadata=_key("totalLengthOfLevelPassedCells"))
    time_spent_on_level: int = field(default=0, metadata=_key("timeSpentOnLevel"))
    total_time_given: float = field(default=0.0, metadata=_key("totalTimeGiven"))
    number_of_gained_coins: int = field(default=0, metadata=_key("numberOfGainedCoins"))
    total_actions_performed: int = field(default=0, metadata=_key("totalActionsPerformed"))
    jump_actions_performed: int = field(default=0, metadata=_key("jumpActionsPerformed"))
    # our keys
    status: str = field(default="timeout", metadata=_key("status"))
    completion: float = field(default=0.0, metadata=_key("completion"))
    kills: dict[str, int] = field(default_factory=dict, metadata=_key("kills"))
    kills_total: int = field(default=0, metadata=_key("kills_total"))
    kills_by: dict[str, int] = field(default_factory=dict, metadata=_key("kills_by"))
    fall_kills: int = field(default=0, metadata=_key("fall_kills"))
    hurts: int = field(default=0, metadata=_key("hurts"))
    final_mode: str = field(default="small", metadata=_key("final_mode"))
    coins: int = field(default=0, metadata=_key("coins"))
    tile_coins: int = field(default=0, metadata=_key("tile_coins"))
    jumps: int = field(default=0, metadata=_key("jumps"))
    max_jump_length: float = field(default=0.0, metadata=_key("max_jump_length"))
    max_air_time: int = field(default=0, metadata=_key("max_air_time"))
    jump_lengths: list[float] = field(default_factory=list, metadata=_key("jump_lengths"))
    jump_air_times: list[int] = field(default_factory=list, metadata=_key("jump_air_times"))
    ticks: int = field(default=0, metadata=_key("ticks"))
    game_time: float = field(default=0.0, metadata=_key("game_time"))
    mario_x: float = field(default=0.0, metadata=_key("mario_x"))
    max_x: float = field(default=0.0, metadata=_key("max_x"))
    mario_y: float = field(default=0.0, metadata=_key("mario_y"))
    finish_x: float = field(default=0.0, metadata=_key("finish_x"))
    mushrooms: int = field(default=0, metadata=_key("mushrooms"))
    flowers: int = field(default=0, metadata=_key("flowers"))
    blocks_bumped: int = field(default=0, metadata=_key("blocks_bumped"))
    bricks_broken: int = field(default=0, metadata=_key("bricks_broken"))
    lives_gained: int = field(default=0, metadata=_key("lives_gained"))
    stalled: bool = field(default=False, metadata=_key("stalled"))
    nodes_expanded: int = field(default=0, metadata=_key("nodes_expanded"))
    agent: str = field(default="", metadata=_key("agent"))
    trace: list[list[float]] | None = field(default=None, metadata=_key("trace"))
    sprite_trace: list[list[list[float]]] | None = field(default=None, metadata=_key("sprite_trace"))
    # bridge-side
    reason: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def won(self) -> bool:
        """True if Mario reached the finish."""
        return self.status == "win"

    def sprites(self) -> list[list[TracedSprite]] | None:
        """The ``sprite_trace`` as typed sprites, one list per tick of ``trace`` (every sprite but Mario
        alive after the tick: kind, position, facing, wings); None for a game played without the trace."""
        return None if self.sprite_trace is None else traced_sprites(self.sprite_trace)

    @classmethod
    def from_raw(cls, raw: dict[str, Any], **overrides: Any) -> Telemetry:
        """Telemetry from the simulator's JSON object; `overrides` replace fields (e.g. completion)."""
        values = {f.name: raw[f.metadata["key"]] for f in _KEYED_FIELDS if f.metadata["key"] in raw}
        for name in _FLOAT_FIELDS & values.keys():  # JSON writes 20.0 as 20: keep float fields floats
            values[name] = float(values[name])
        return cls(**(values | overrides), raw=dict(raw))

    def to_dict(self) -> dict[str, Any]:
        """The telemetry keys as the simulator spells them (plus ``reason`` when set)."""
        result = {f.metadata["key"]: _copy(getattr(self, f.name)) for f in _KEYED_FIELDS}
        for key in ("trace", "sprite_trace"):
            if result[key] is None:
                del result[key]
        if self.reason is not None:
            result["reason"] = self.reason
        return result


def _copy(value: Any) -> Any:
    return dict(value) if isinstance(value, dict) else value


_KEYED_FIELDS = tuple(f for f in dataclasses.fields(Telemetry) if "key" in f.metadata)
_FLOAT_FIELDS = {f.name for f in _KEYED_FIELDS if f.type == "float"}
