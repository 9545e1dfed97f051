"""The package's pygame viewer on SDL's dummy driver (chosen on purpose) and without any display."""

import sys
import warnings

import numpy as np
import pygame
import pytest

from gym_mario_latent.errors import DisplayError, DisplayWarning
from gym_mario_latent.viewer import Viewer

NO_DISPLAY = ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")


@pytest.fixture
def dummy_display(monkeypatch):
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    yield
    pygame.display.quit()


@pytest.fixture
def no_display(monkeypatch):
    for variable in NO_DISPLAY:
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", "/tmp")  # SDL then falls back to its offscreen driver


def shown() -> np.ndarray:
    """The window's pixels as an (H, W, 3) array."""
    return pygame.surfarray.array3d(pygame.display.get_surface()).swapaxes(0, 1)


def test_opens_at_the_first_frame_and_enlarges_pixel_for_pixel(dummy_display):
    frame = np.random.default_rng(0).integers(0, 256, (24, 32, 3), dtype=np.uint8)
    viewer = Viewer("frames", scale=3)
    assert not viewer.is_open and not pygame.display.get_init()
    viewer.show(frame)
    assert viewer.is_open and pygame.display.get_caption()[0] == "frames"
    assert np.array_equal(shown(), frame.repeat(3, 0).repeat(3, 1))
    viewer.close()
    viewer.close()  # closing twice is harmless
    assert not viewer.is_open and not pygame.display.get_init()


def test_a_frame_wider_than_max_width_is_shrunk_to_fit(dummy_display):
    viewer = Viewer("level", max_width=100)
    assert viewer.window_size(50, 400) == (100, 12) and viewer.window_size(50, 80) == (80, 50)
    viewer.show(np.full((50, 400, 3), (10, 200, 30), dtype=np.uint8))
    assert pygame.display.get_surface().get_size() == (100, 12)
    assert (np.abs(shown().astype(int) - (10, 200, 30)) <= 1).all()  # smoothscale rounds
    viewer.close()


def test_closing_an_older_viewer_leaves_the_newer_ones_window_open(dummy_display):
    older, newer = Viewer("older"), Viewer("newer")
    older.show(np.zeros((8, 8, 3), dtype=np.uint8))
    newer.show(np.zeros((8, 8, 3), dtype=np.uint8))  # pygame has one display: the newer viewer takes it
    older.close()
    assert newer.is_open and pygame.display.get_caption()[0] == "newer"
    newer.close()


def test_without_a_display_it_raises_the_one_line_error_and_leaves_sdl_as_it_was(no_display):
    viewer = Viewer("nowhere", no_window_fix="try xvfb-run")
    with pytest.raises(DisplayError) as raised:
        viewer.show(np.zeros((8, 8, 3), dtype=np.uint8))
    message = str(raised.value)
    assert (
        "\n" not in message
        and message.startswith("cannot open a window (")
        and message.endswith("try xvfb-run")
    )
    assert not pygame.display.get_init()


def test_warn_mode_warns_once_and_then_shows_nothing(no_display):
    viewer = Viewer("nowhere", on_no_display="warn")
    with pytest.warns(DisplayWarning, match="cannot open a window.*xvfb-run"):
        viewer.show(np.zeros((8, 8, 3), dtype=np.uint8))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        viewer.show(np.zeros((8, 8, 3), dtype=np.uint8))
    assert not viewer.is_open and not pygame.display.get_init()


def test_without_pygame_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pygame", None)  # import pygame now fails, as where it is not installed
    with pytest.raises(
        DisplayError, match=r"the window needs pygame .*pip install 'gym-mario-latent\[human\]'"
    ):
        Viewer("no pygame").show(np.zeros((8, 8, 3), dtype=np.uint8))


@pytest.mark.parametrize("arguments", [{"scale": 0}, {"on_no_display": "ignore"}])
def test_bad_settings_are_refused_by_name(arguments):
    with pytest.raises(ValueError, match=next(iter(arguments))):
        Viewer("bad", **arguments)
