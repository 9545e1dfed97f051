"""Segment padding: flat ground before and after a segment, so Mario starts on ground and the finish
lies just past the segment.

A generated segment may start over a pit or end against a wall. The bridge therefore plays
``start`` columns of flat ground, the segment, then ``finish`` columns of flat ground, with the
finish marker (``F``, PROTOCOL.md) in the first finish column: Mario wins when he passes the
segment's right edge. Each side's ground is as high as the ground stack in the segment's edge
column next to it (``X`` tiles counted up from the bottom row), and one row (the VGLC levels'
single row) where that column is a pit, so Mario starts level with the segment and finishes
level with it, but never higher than :data:`HEADROOM_ROWS` below the level's top edge. The request
names the segment's first column (``segment_start``, PROTOCOL.md), so the simulator measures
``completion`` over the segment alone: 0 at its left edge, 1 at its right edge.
"""

from __future__ import annotations

from dataclasses import dataclass

from gym_mario_latent.levels import EMPTY_ID, FINISH_MARK, GROUND_ID, VAE_TILES, VAE_TO_MARIO_AI
from gym_mario_latent.simulator_bridge.level_input import Alphabet

#: Rows kept free between the padding's ground and the level's top edge. Above the top edge nothing
#: blocks (the engine reads those tiles as empty, as the reference does), and Mario's highest jump
#: rises between 4 and 5 tiles (tests/test_simulator_physics.py), so from the padding he cannot
#: reach the top edge: a segment solid up to its top row is a wall he must climb as the level
#: draws it, never a floor along the top. Levels under 6 rows keep one row of ground instead.
HEADROOM_ROWS = 5


@dataclass(frozen=True)
class Padding:
    """Flat ground columns added around each segment.

    Attributes:
        start: ground columns before the segment (Mario starts on the first).
        finish: ground columns after it; the first one holds the finish (0: the segment's last
            column is the finish, as without padding).
        ground_rows: rows of ground at the bottom of every padding column; None (the default)
            follows the segment: each side as high as the ground of the segment's edge column,
            at least one row. Either way at most the level's height less :data:`HEADROOM_ROWS`.
    """

    start: int = 3
    finish: int = 3
    ground_rows: int | None = None

    def __post_init__(self) -> None:
        if min(self.start, self.finish, 0 if self.ground_rows is None else self.ground_rows) < 0:
            raise ValueError(f"padding columns and rows must be ≥ 0; got {self}")

    def _ground_height(self, column: list[str], ground: str) -> int:
        """Ground rows of the padding beside a segment column (its characters, top to bottom)."""
        height = len(column)
        highest = max(height - HEADROOM_ROWS, min(1, height - 1))
        if self.ground_rows is not None:
            return min(self.ground_rows, highest)
        stack = height - len("".join(column).rstrip(ground))
        return min(max(stack, 1), highest)

    def apply(self, rows: list[str], alphabet: Alphabet = "vglc") -> list[str]:
        """The rows of the padded level."""
        ground, empty = VAE_TILES[GROUND_ID], VAE_TILES[EMPTY_ID]
        if alphabet == "mario-ai":
            ground, empty = VAE_TO_MARIO_AI[ground], VAE_TO_MARIO_AI[empty]
        height = len(rows)
        start_top = height - self._ground_height([row[0] for row in rows], ground)
        finish_top = height - self._ground_height([row[-1] for row in rows], ground)
        padded = []
        for y, row in enumerate(rows):
            start = (ground if y >= start_top else empty) * self.start
            finish = (ground if y >= finish_top else empty) * self.finish
            if self.finish and y == finish_top - 1:
                finish = FINISH_MARK + finish[1:]
            padded.append(start + row + finish)
        return padded
