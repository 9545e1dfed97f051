"""The agent's path on level pictures and the playthrough GIF (levels/trace.py), from real simulator
traces."""

import numpy as np
import pytest
from PIL import Image, ImageSequence
from simulator_support import gap_level, wall_level

from gym_mario_latent.levels import render_level, text_to_ids
from gym_mario_latent.levels.trace import (
    DEATH_COLOR,
    FLAG_COLOR,
    MODE_COLORS,
    TAKE_OFF_COLOR,
    TICK_MS,
    check_trace,
    draw_trace,
    mario_sprites,
    save_trace_animation,
    take_offs,
    trace_frames,
    trace_points,
)
from gym_mario_latent.simulator_bridge import Padding, Simulator

WALL = text_to_ids(wall_level(2, width=24))  # a wall of height 2 at columns 10-11: won with a jump or two
PIT = text_to_ids(gap_level(12, width=30))  # a pit too wide to cross: lost


@pytest.fixture(scope="module")
def games():
    """Real games with traces: the wall and the pit unpadded, the wall padded, the wall as large Mario."""
    with Simulator(2, padding=False, trace=True) as simulator:
        wall, pit = simulator.evaluate_many([WALL, PIT])
    with Simulator(1, trace=True) as simulator:
        padded = simulator.evaluate(WALL)
    with Simulator(1, padding=False, trace=True, start_mode="large") as simulator:
        large = simulator.evaluate(WALL)
    return {"wall": wall, "pit": pit, "padded": padded, "large": large}


def _pixel(image: Image.Image, point) -> tuple:
    x, y = np.rint(point).astype(int)
    return image.getpixel((int(x), int(y)))


def _path_ticks(trace, count=6):
    """Ticks on a straight run of the path, away from take-offs and the end marker."""
    jumps = take_offs(trace)
    first_jump = jumps[0] if len(jumps) else len(trace)
    return list(range(3, min(3 + count, first_jump - 2)))


@pytest.mark.parametrize("tile_size", [16, 24])
def test_the_path_is_drawn_where_the_trace_says_on_the_level_picture(games, tile_size):
    game = games["wall"]
    assert game.status == "win"
    image = draw_trace(WALL, game.trace, game.status, tile_size=tile_size)
    assert image.size == (24 * tile_size, 14 * tile_size)
    points = trace_points(game.trace, tile_size)
    ticks = _path_ticks(np.array(game.trace))
    assert len(ticks) >= 3
    for tick in ticks:
        assert _pixel(image, points[tick]) == MODE_COLORS[0], f"tick {tick} at {points[tick]}"
    # the path runs 8 game pixels above the feet, which rest on the ground's top (row 12) on the flat start
    x, feet, _ = game.trace[ticks[0]]
    assert feet == 12 * 16 - 1
    assert tuple(points[ticks[0]]) == pytest.approx((x * tile_size / 16, (feet - 8) * tile_size / 16))
    # away from the path the picture is the level art
    art = render_level(WALL, tile_size)
    assert image.getpixel((5, 5)) == art.getpixel((5, 5))


def test_take_offs_are_the_games_jumps_and_are_marked(games):
    for name in ("wall", "pit", "large"):
        assert len(take_offs(games[name].trace)) == games[name].jumps >= 1, name
    game = games["wall"]
    image = draw_trace(WALL, game.trace, game.status)
    points = trace_points(game.trace)
    for tick in take_offs(game.trace):
        x, y = points[tick]
        assert _pixel(image, (x, y + 1)) == TAKE_OFF_COLOR


def test_a_win_is_marked_with_a_flag_and_a_death_with_a_cross_inside_the_picture(games):
    win = np.asarray(draw_trace(WALL, games["wall"].trace, "win"))
    assert (win == FLAG_COLOR).all(axis=2).any()
    pit = games["pit"]
    assert pit.status == "lose" and pit.trace[-1][1] > 14 * 16  # he fell below the level
    picture = np.asarray(draw_trace(PIT, pit.trace, pit.status))
    ys, xs = np.nonzero((picture == DEATH_COLOR).all(axis=2))
    assert len(xs) > 0 and ys.max() < picture.shape[0]
    assert abs(xs.mean() - pit.trace[-1][0]) < 8  # the cross stands where he fell
    no_outcome = np.asarray(draw_trace(PIT, pit.trace))
    assert not (no_outcome == DEATH_COLOR).all(axis=2).any()


def test_a_padded_game_is_drawn_on_the_segment_with_the_padding_as_offset(games):
    game = games["padded"]
    offset = Padding().start
    image = draw_trace(WALL, game.trace, game.status, column_offset=offset)
    assert image.size == (24 * 16, 14 * 16)
    points = trace_points(game.trace, column_offset=offset)
    np.testing.assert_allclose(points[:, 0], np.array(game.trace)[:, 0] - offset * 16)
    tick = next(t for t in _path_ticks(np.array(game.trace), 40) if points[t][0] > 2)
    assert _pixel(image, points[tick]) == MODE_COLORS[0]


def test_each_mode_has_its_colour(games):
    game = games["large"]
    assert {point[2] for point in game.trace} == {1}
    image = draw_trace(WALL, game.trace)
    tick = _path_ticks(np.array(game.trace))[0]
    assert _pixel(image, trace_points(game.trace)[tick]) == MODE_COLORS[1]
    fire = [[x, y, 2] for x, y, _ in game.trace]
    assert _pixel(draw_trace(WALL, fire), trace_points(fire)[tick]) == MODE_COLORS[2]


def test_the_animation_follows_mario_frame_by_frame(games):
    game = games["wall"]
    frames = trace_frames(WALL, game.trace, game.status, every=3)
    ticks = len(game.trace)
    assert len(frames) == -(-ticks // 3) + (0 if (ticks - 1) % 3 == 0 else 1)
    assert all(frame.size == (16 * 16, 14 * 16) for frame in frames)  # the NES screen's 16 columns
    # frame 2 is tick 6: Mario stands where the trace says (the view has not scrolled yet)
    x, feet, _ = game.trace[6]
    assert x < 128
    assert frames[2].getpixel((int(x), int(feet) - 2)) == (136, 112, 0)  # small Mario's overalls
    assert frames[2].getpixel((int(x), int(feet) - 14)) == (216, 40, 0)  # his cap
    # the whole level when asked, and the last frame marks the win
    whole = trace_frames(WALL, game.trace, game.status, view_columns=None)
    assert whole[-1].size == (24 * 16, 14 * 16)
    assert (np.asarray(whole[-1]) == FLAG_COLOR).all(axis=2).any()


def test_the_gif_is_written_in_game_time(games, tmp_path):
    game = games["pit"]
    path = save_trace_animation(PIT, game.trace, tmp_path / "clips" / "pit.gif", game.status, every=2)
    frames = trace_frames(PIT, game.trace, game.status, every=2)
    with Image.open(path) as gif:
        assert gif.format == "GIF" and gif.is_animated and gif.size == (256, 224)
        durations = [frame.info["duration"] for frame in ImageSequence.Iterator(gif)]
    # Pillow merges identical frames, adding their times: the clip lasts the game, then holds 1 s
    assert len(durations) <= len(frames)
    assert sum(durations) == (len(frames) - 1) * 2 * TICK_MS + 1000


def test_a_bad_trace_or_outcome_is_one_clear_error():
    with pytest.raises(ValueError, match=r"one \[x, y, mode\] per tick"):
        check_trace([[1.0, 2.0]])
    with pytest.raises(ValueError, match="one \\[x, y, mode\\] per tick"):
        draw_trace(WALL, [])
    with pytest.raises(ValueError, match="modes must be"):
        draw_trace(WALL, [[1, 2, 5]])
    with pytest.raises(ValueError, match="outcome must be"):
        draw_trace(WALL, [[1, 2, 0]], outcome="won")
    with pytest.raises(ValueError, match="every must be"):
        trace_frames(WALL, [[1, 2, 0]], every=0)


def test_the_mario_sprites_are_the_animations_mario_feet_on_the_bottom_edge():
    sheet = np.asarray(mario_sprites(16))
    assert sheet.shape == (32, 48, 4)
    opaque = sheet[..., 3] > 0
    small, large, fire = (opaque[:, 16 * mode : 16 * (mode + 1)] for mode in range(3))
    assert small[16:].all() and not small[:16].any()  # small Mario: one tile tall, standing on the edge
    assert large.all() and fire.all()  # two tiles tall
    frame = np.asarray(trace_frames(WALL, [[40.0, 208.0, 0]], view_columns=None)[0])
    sprite = sheet[
        16:, :16, :3
    ]  # small Mario as the animation draws him with his middle at x 40, feet at 208
    np.testing.assert_array_equal(frame[192:208, 32:48], sprite)


@pytest.mark.parametrize(("tile_size", "view_columns"), [(16, 16), (15, 15)])
def test_the_mp4_is_written_in_game_time_with_the_frames_size(games, tmp_path, tile_size, view_columns):
    iio = pytest.importorskip("imageio.v3", reason="the video extra (make install) installs imageio-ffmpeg")
    game = games["pit"]
    path = save_trace_animation(
        PIT, game.trace, tmp_path / "pit.mp4", game.status, tile_size, every=2, view_columns=view_columns
    )
    frames = trace_frames(PIT, game.trace, game.status, tile_size, every=2, view_columns=view_columns)
    video = iio.imread(path, plugin="FFMPEG")
    width, height = frames[0].size
    held = round(1000 / (2 * TICK_MS)) - 1  # the last frame, held 1 s
    assert video.shape == (len(frames) + held, height + height % 2, width + width % 2, 3)
    assert iio.immeta(path, plugin="FFMPEG")["fps"] == pytest.approx(1000 / (2 * TICK_MS), abs=0.01)
    first = np.asarray(frames[0].convert("RGB")).astype(int)
    assert np.abs(video[0, :height, :width].astype(int) - first).mean() < 8  # H.264 is lossy


def test_an_animation_of_another_suffix_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"written as \.gif or \.mp4; got .*clip\.avi"):
        save_trace_animation(WALL, [[1, 2, 0]], tmp_path / "clip.avi")
    assert not (tmp_path / "clip.avi").exists()
