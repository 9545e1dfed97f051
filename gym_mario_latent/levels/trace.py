"""The agent's path on level pictures: the simulator's per-tick trace drawn over the level art, and the
playthrough as an animation.

A trace is the telemetry's ``trace`` (simulator/PROTOCOL.md): one ``[x, y, mode]`` per game tick, in
pixels of the level as played (16 per tile; x is Mario's middle, y his feet, growing downwards), mode 0
small, 1 large, 2 fire. The path is drawn through the middle of small Mario's body (8 pixels above his
feet), coloured by mode, with a triangle at each take-off and a mark where the game ended: a flag for a
win, a cross for a death, a square for a timeout.

A level the simulator bridge padded was played with columns of ground before it: pass that many columns
(``Padding.start``) as `column_offset` to draw the path on the segment's own picture.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from gym_mario_latent.files import output_file
from gym_mario_latent.levels.render import ART_SIZE, render_level

GAME_TILE = 16  # pixels per tile in the simulator's positions
BODY_MIDDLE = 8  # pixels from small Mario's feet to the middle of his body
TICK_MS = 30  # game time of one tick

#: Colour of the path while Mario is small, large and fire (the trace's modes 0, 1, 2).
MODE_COLORS = ((236, 28, 36), (255, 127, 39), (255, 255, 255))
TAKE_OFF_COLOR = (255, 242, 0)
OUTLINE = (0, 0, 0)
FLAG_COLOR, DEATH_COLOR = (34, 177, 76), (237, 28, 36)
OUTCOMES = ("win", "lose", "timeout")

# Mario's colours in the animation, by mode: cap and shirt, face, overalls.
_MARIO_ART = (
    ((216, 40, 0), (252, 152, 56), (136, 112, 0)),
    ((216, 40, 0), (252, 152, 56), (0, 80, 200)),
    ((252, 252, 252), (252, 152, 56), (216, 40, 0)),
)


def check_trace(trace: Any) -> np.ndarray:
    """The trace as a float array of shape (ticks, 3), after checking it.

    Raises:
        ValueError: not one ``[x, y, mode]`` per tick, an empty trace, or a mode outside 0..2.
    """
    array = np.asarray(trace, dtype=float)
    if array.ndim != 2 or array.shape[1] != 3 or len(array) == 0:
        raise ValueError(
            f"a trace is one [x, y, mode] per tick (simulator trace=True); got shape {array.shape}"
        )
    if not np.isin(array[:, 2], (0, 1, 2)).all():
        raise ValueError(
            f"trace modes must be 0 (small), 1 (large) or 2 (fire); got {np.unique(array[:, 2])}"
        )
    return array


def trace_points(trace: Any, tile_size: int = ART_SIZE, column_offset: int = 0) -> np.ndarray:
    """Where each tick's path point lies on the level picture: (ticks, 2) pixel x, y (floats)."""
    array = check_trace(trace)
    scale = tile_size / GAME_TILE
    x = (array[:, 0] - column_offset * GAME_TILE) * scale
    y = (array[:, 1] - BODY_MIDDLE) * scale
    return np.stack([x, y], axis=1)


def take_offs(trace: Any) -> np.ndarray:
    """Ticks at which Mario took off: he rises after a tick at rest height (not a stomp's bounce, which
    rises after a fall). The telemetry's ``jumps`` agree but for hops under a ceiling, which it does not
    count (the A* agent's games of the 15 VGLC levels: equal on 14, one such hop more on 1-2)."""
    y = check_trace(trace)[:, 1]
    dy = np.diff(y, prepend=y[0])
    resting = np.concatenate(([True], dy[:-1] == 0))
    return np.flatnonzero((dy < 0) & resting)


def _line_width(tile_size: int) -> int:
    return max(2, round(tile_size / 6))


def _draw_path(draw: ImageDraw.ImageDraw, points: np.ndarray, modes: np.ndarray, width: int) -> None:
    """The path, one polyline per run of one mode (joined to the run before)."""
    starts = np.flatnonzero(np.diff(modes, prepend=-1))
    for start, end in zip(starts, [*starts[1:], len(points)], strict=True):
        run = points[max(start - 1, 0) : end]
        color = MODE_COLORS[int(modes[start])]
        if len(run) == 1:
            x, y = run[0]
            draw.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=color)
        else:
            draw.line([tuple(p) for p in run], fill=color, width=width, joint="curve")


def _draw_take_off(draw: ImageDraw.ImageDraw, x: float, y: float, size: float) -> None:
    draw.polygon(
        [(x, y - size), (x - size, y + size), (x + size, y + size)], fill=TAKE_OFF_COLOR, outline=OUTLINE
    )


def _draw_outcome(
    draw: ImageDraw.ImageDraw, outcome: str, x: float, y: float, size: float, box: tuple
) -> None:
    """The end mark at (x, y), kept inside the picture (a fall ends below it)."""
    x, y = min(max(x, size), box[0] - size), min(max(y, size), box[1] - size)
    if outcome == "win":
        draw.line((x, y + size, x, y - 2 * size), fill=OUTLINE, width=max(1, round(size / 3)))
        draw.polygon([(x, y - 2 * size), (x + 1.5 * size, y - 1.5 * size), (x, y - size)], fill=FLAG_COLOR)
    elif outcome == "lose":
        width = max(2, round(size / 2))
        draw.line((x - size, y - size, x + size, y + size), fill=DEATH_COLOR, width=width)
        draw.line((x - size, y + size, x + size, y - size), fill=DEATH_COLOR, width=width)
    else:
        draw.rectangle(
            (x - size, y - size, x + size, y + size), outline=OUTLINE, width=max(1, round(size / 3))
        )


def _check_outcome(outcome: str | None) -> None:
    if outcome is not None and outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {OUTCOMES} or None; got {outcome!r}")


def draw_trace(
    level: Any,
    trace: Any,
    outcome: str | None = None,
    tile_size: int = ART_SIZE,
    column_offset: int = 0,
) -> Image.Image:
    """The level's picture with the agent's path drawn on it.

    Args:
        level: the level played (tile ids or VGLC/VAE text, as :func:`render_level` takes).
        trace: the telemetry's ``trace`` (play with ``trace=True``).
        outcome: the telemetry's ``status`` (``"win"``, ``"lose"``, ``"timeout"``) to mark where the game
            ended; None marks nothing.
        tile_size: pixels per tile of the picture.
        column_offset: columns played left of `level`'s first one (the bridge's ``Padding.start``).
    """
    _check_outcome(outcome)
    image = render_level(level, tile_size)
    array = check_trace(trace)
    points = trace_points(array, tile_size, column_offset)
    draw = ImageDraw.Draw(image)
    _draw_path(draw, points, array[:, 2].astype(int), _line_width(tile_size))
    for tick in take_offs(array):
        _draw_take_off(draw, *points[tick], size=tile_size / 5)
    if outcome is not None:
        _draw_outcome(draw, outcome, *points[-1], size=tile_size / 3, box=image.size)
    return image


def _draw_mario(draw: ImageDraw.ImageDraw, x: float, feet: float, mode: int, scale: float) -> None:
    """Mario as three bands (cap and shirt, face, overalls), one tile wide, one or two tiles tall."""
    height = (GAME_TILE if mode == 0 else 2 * GAME_TILE) * scale
    left, right, top = x - GAME_TILE / 2 * scale, x + GAME_TILE / 2 * scale - 1, feet - height
    cap, face, overalls = _MARIO_ART[mode]
    draw.rectangle((left, top, right, feet - 1), fill=overalls)
    draw.rectangle((left, top, right, top + height * 0.45), fill=face)
    draw.rectangle((left, top, right, top + height * 0.2), fill=cap)


def mario_sprites(tile_size: int = ART_SIZE) -> Image.Image:
    """Mario as :func:`trace_frames` draws him, small, large and fire (the trace's modes 0, 1, 2), side by
    side on a transparent RGBA picture, each one tile wide and two tall with his feet on the bottom edge."""
    scale = tile_size / GAME_TILE
    sheet = Image.new("RGBA", (3 * tile_size, 2 * tile_size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(sheet)
    for mode in range(3):
        _draw_mario(draw, (mode + 0.5) * tile_size, 2 * tile_size, mode, scale)
    return sheet


def trace_frames(
    level: Any,
    trace: Any,
    outcome: str | None = None,
    tile_size: int = ART_SIZE,
    column_offset: int = 0,
    every: int = 2,
    view_columns: int | None = 16,
) -> list[Image.Image]:
    """The playthrough as pictures: Mario on the level art every `every` ticks (and at the last tick),
    with his path so far; the last picture also marks the `outcome`.

    Args:
        level, trace, outcome, tile_size, column_offset: as :func:`draw_trace`.
        every: ticks between two pictures (≥ 1).
        view_columns: width of the view in tiles, following Mario like the game's camera (16: the NES
            screen); None (or a level no wider) shows the whole level.
    """
    if every < 1:
        raise ValueError(f"every must be at least 1 tick; got {every}")
    _check_outcome(outcome)
    canvas = render_level(level, tile_size)  # the level, with the path drawn on it so far
    array = check_trace(trace)
    points = trace_points(array, tile_size, column_offset)
    modes = array[:, 2].astype(int)
    scale = tile_size / GAME_TILE
    width = canvas.width if view_columns is None else min(canvas.width, view_columns * tile_size)
    ticks = [*range(0, len(array), every)]
    if ticks[-1] != len(array) - 1:
        ticks.append(len(array) - 1)
    draw, drawn, frames = ImageDraw.Draw(canvas), 0, []
    for tick in ticks:
        _draw_path(draw, points[drawn : tick + 1], modes[drawn : tick + 1], _line_width(tile_size))
        drawn = tick
        x, feet = points[tick][0], array[tick, 1] * scale
        left = int(min(max(x - width / 2, 0), canvas.width - width))
        frame = canvas.crop((left, 0, left + width, canvas.height))
        view = ImageDraw.Draw(frame)
        _draw_mario(view, x - left, feet, int(modes[tick]), scale)
        if tick == len(array) - 1 and outcome is not None:
            end_x, end_y = points[-1]
            _draw_outcome(view, outcome, end_x - left, end_y, size=tile_size / 3, box=frame.size)
        frames.append(frame)
    return frames


#: How :func:`save_trace_animation` writes each file suffix.
ANIMATION_FORMATS = (".gif", ".mp4")
VIDEO_HINT = "pip install 'gym-mario-latent[video]'"


def check_animation_path(path: str | Path) -> str:
    """The suffix of an animation file :func:`save_trace_animation` can write (``.gif``, or ``.mp4`` where
    imageio-ffmpeg is installed).

    Raises:
        ValueError: another suffix. ImportError: ``.mp4`` without imageio-ffmpeg (names the extra).
    """
    suffix = Path(path).suffix.lower()
    if suffix not in ANIMATION_FORMATS:
        raise ValueError(f"an animation is written as {' or '.join(ANIMATION_FORMATS)}; got {str(path)!r}")
    if suffix == ".mp4":
        try:
            import imageio.v3  # noqa: F401
            import imageio_ffmpeg  # noqa: F401  (the plugin's ffmpeg)
        except ImportError as error:
            raise ImportError(f"writing {path} needs imageio-ffmpeg: {VIDEO_HINT}") from error
    return suffix


def save_trace_animation(
    level: Any,
    trace: Any,
    path: str | Path,
    outcome: str | None = None,
    tile_size: int = ART_SIZE,
    column_offset: int = 0,
    every: int = 2,
    view_columns: int | None = 16,
    hold_ms: int = 1000,
) -> Path:
    """Writes the playthrough (:func:`trace_frames`) in game time (30 ms a tick), holding the last picture
    `hold_ms` milliseconds: an animated GIF that loops (``.gif``), or an H.264 video (``.mp4``, with
    imageio's ffmpeg plugin, the ``video`` extra; frames of odd size get one more row or column, as
    H.264 needs even sizes). Returns the path.

    Raises:
        ValueError: another suffix. ImportError: ``.mp4`` without imageio-ffmpeg (names the extra).
    """
    suffix = check_animation_path(path)
    frames = trace_frames(level, trace, outcome, tile_size, column_offset, every, view_columns)
    durations = [every * TICK_MS] * (len(frames) - 1) + [hold_ms]
    with output_file(path) as temporary:
        if suffix == ".mp4":
            held = [frames[-1]] * max(0, round(hold_ms / (every * TICK_MS)) - 1)
            import imageio.v3 as iio

            pictures = np.stack([_even_sized(np.asarray(frame.convert("RGB"))) for frame in frames + held])
            iio.imwrite(
                temporary,
                pictures,
                plugin="FFMPEG",  # imageio-ffmpeg's
                extension=".mp4",
                fps=1000 / (every * TICK_MS),
                codec="libx264",
                macro_block_size=1,  # keep the frames' size (made even above)
            )
        else:
            frames[0].save(
                temporary,
                format="GIF",
                save_all=True,
                append_images=frames[1:],
                duration=durations,
                loop=0,
                optimize=False,
            )
    return Path(path)


def _even_sized(picture: np.ndarray) -> np.ndarray:
    """The picture with its last row and column repeated where its height or width is odd."""
    height, width = picture.shape[:2]
    return np.pad(picture, ((0, height % 2), (0, width % 2), (0, 0)), mode="edge")
