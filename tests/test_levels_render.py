"""Rendering levels to pictures with the tile art drawn in code."""

import itertools

import numpy as np
import pytest

from gym_mario_latent.errors import LevelFormatError, PictureTooLargeError
from gym_mario_latent.levels import (
    N_TILES,
    VAE_TILES,
    render_grid,
    render_level,
    render_pixels,
    save_png,
    text_to_ids,
    tile_atlas,
)
from gym_mario_latent.vae.data import load_vglc_level


def test_every_tile_has_its_own_clearly_different_picture():
    atlas = tile_atlas().astype(int)
    assert atlas.shape == (N_TILES, 16, 16, 3)
    for a, b in itertools.combinations(range(N_TILES), 2):
        difference = np.abs(atlas[a] - atlas[b]).mean()
        pair = f"{VAE_TILES[a]!r} and {VAE_TILES[b]!r}"
        assert difference > 4, f"{pair} look alike ({difference:.1f})"


def test_a_whole_level_of_any_width_renders_tile_by_tile():
    level = load_vglc_level("mario-8-1")
    image = render_level(level)
    assert image.size == (level.shape[1] * 16, 14 * 16) and image.mode == "RGB"
    pixels = np.asarray(image)
    atlas = tile_atlas()
    for row, column in [(0, 0), (13, 0), (13, level.shape[1] - 1), (7, 100)]:
        tile = pixels[row * 16 : row * 16 + 16, column * 16 : column * 16 + 16]
        np.testing.assert_array_equal(tile, atlas[level[row, column]])


def test_text_and_tile_ids_render_the_same_and_tile_size_scales():
    text = ["-o?", "E<>", "X[]"]
    np.testing.assert_array_equal(np.asarray(render_level(text)), np.asarray(render_level(text_to_ids(text))))
    assert render_level(text, tile_size=8).size == (24, 24)


def test_grid_places_levels_row_major_between_separators(tmp_path):
    levels = np.stack([np.full((14, 14), tile) for tile in range(5)])
    image = render_grid(levels, columns=3, tile_size=4, gap=2, gap_color=(1, 2, 3))
    assert image.size == (2 + 3 * (56 + 2), 2 + 2 * (56 + 2))
    pixels = np.asarray(image)
    np.testing.assert_array_equal(pixels[0, 0], (1, 2, 3))
    np.testing.assert_array_equal(pixels[2:58, 60:116], render_pixels(levels[1], 4))
    np.testing.assert_array_equal(pixels[60:116, 2:58], render_pixels(levels[3], 4))
    path = save_png(image, tmp_path / "sub" / "grid.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_rendering_refuses_bad_levels():
    with pytest.raises(LevelFormatError):
        render_level([[0, 99]])
    with pytest.raises(LevelFormatError, match="3 axes"):
        render_grid(np.zeros((14, 14), dtype=int))


def test_a_picture_too_large_to_draw_is_refused_with_the_limit_before_drawing():
    with pytest.raises(
        PictureTooLargeError, match=r"400000×400000 pixels is too large to draw: .*at most 89478485"
    ):
        render_level(["XXXX"] * 4, tile_size=100_000)
    with pytest.raises(PictureTooLargeError, match="tile size 3000 is too large to draw"):
        render_level(["X"], tile_size=3000)  # a 9-megapixel picture, but 11 such tiles to draw it from
    with pytest.raises(PictureTooLargeError, match=r"a picture of 2000 level\(s\) of 224×224 pixels"):
        render_grid(np.zeros((2000, 14, 14), dtype=np.int64))
    assert render_level(["X"], tile_size=2000).size == (2000, 2000)
