"""The package's one window: RGB frames in pygame, scaled, optionally throttled, the keyboard as a joypad.

Used by the ``gym_super_mario_bros`` command and by the envs' ``render_mode="human"`` (NES frames and latent
level pictures). pygame is optional (the ``human`` extra) and imported when the window opens.
"""

from __future__ import annotations

import os
import stat
import tempfile
import warnings
from pathlib import Path
from typing import Any, Literal

import numpy as np

from gym_mario_latent.actions import BUTTON_BITS
from gym_mario_latent.errors import DisplayError, DisplayWarning

#: How to get a display where there is none (also said by the simulator's own Java windows).
XVFB_HINT = "on a machine without a screen, run under a virtual display: xvfb-run -a python …"
PYGAME_HINT = "pip install 'gym-mario-latent[human]'"

# Keyboard keys (pygame key names) to NES buttons (nes-py's JoypadSpace names).
KEYS_TO_BUTTONS = {
    "right": "right",
    "left": "left",
    "up": "up",
    "down": "down",
    "z": "A",
    "s": "A",
    "x": "B",
    "a": "B",
    "return": "start",
}
KEYS_HELP = "arrows = d-pad, Z or S = A (jump), X or A = B (run/fire), Enter = start, Esc = quit"

# SDL drivers that draw nowhere: SDL falls back to them without a display (fine only when chosen on purpose).
INVISIBLE_VIDEO_DRIVERS = ("offscreen", "dummy")


def _give_sdl_a_runtime_dir() -> None:
    """Point ``XDG_RUNTIME_DIR`` at a private folder when it is unset or unusable, as on headless machines and
    in containers: SDL otherwise prints "XDG_RUNTIME_DIR is invalid or not set" to stderr at every window."""
    current = os.environ.get("XDG_RUNTIME_DIR")
    if current and _is_private_folder(Path(current)):
        return
    folder = Path(tempfile.gettempdir(), f"gym-mario-latent-runtime-{os.getuid()}")
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return  # SDL will complain, and still work
    if _is_private_folder(folder):
        os.environ["XDG_RUNTIME_DIR"] = str(folder)


def _is_private_folder(path: Path) -> bool:
    """A folder of ours that only we can enter (what the XDG spec asks of a runtime folder)."""
    try:
        status = path.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(status.st_mode) and status.st_uid == os.getuid() and status.st_mode & 0o077 == 0


class Viewer:
    """A pygame window that opens at the first frame and shows each frame scaled.

    Args:
        title: the window's caption.
        scale: zoom of each frame (pixel-exact when enlarging by a whole number).
        max_width: frames wider than this once scaled are shrunk to fit (``None``: no limit).
        fps: frames per second :meth:`show` holds to (0: as fast as frames come).
        no_window_fix: what the error without a display tells the user to do.
        on_no_display: ``"raise"`` a :class:`DisplayError`, or ``"warn"`` once (a :class:`DisplayWarning`)
            and show nothing: an env keeps running where no window can open.

    The keys held in the window are a joypad (:meth:`joypad`, see ``KEYS_HELP``); Esc or closing the window
    sets :attr:`quit_requested`. pygame has one display, so the newest viewer to open owns it.
    """

    _display_owner: Viewer | None = None  # the viewer that last opened pygame's one display

    def __init__(
        self,
        title: str,
        *,
        scale: float = 1,
        max_width: int | None = None,
        fps: float = 0,
        no_window_fix: str = XVFB_HINT,
        on_no_display: Literal["raise", "warn"] = "raise",
    ) -> None:
        if not scale > 0:
            raise ValueError(f"scale must be > 0, got {scale!r}")
        if on_no_display not in ("raise", "warn"):
            raise ValueError(f"on_no_display must be 'raise' or 'warn', got {on_no_display!r}")
        self.title = title
        self.scale = scale
        self.max_width = max_width
        self.fps = fps
        self.no_window_fix = no_window_fix
        self.on_no_display = on_no_display
        self.quit_requested = False
        self.surface: Any = None  # the pygame display surface while the window is ours
        self._pygame: Any = None
        self._clock: Any = None
        self._held_keys: set[int] = set()
        self._key_buttons: dict[int, int] = {}
        self._no_display = False  # "warn": the window could not open, so frames are dropped

    def window_size(self, height: int, width: int) -> tuple[int, int]:
        """The window's ``(width, height)`` for frames of ``height`` × ``width`` pixels."""
        scale = self.scale
        if self.max_width is not None and width * scale > self.max_width:
            scale = self.max_width / width
        return max(1, round(width * scale)), max(1, round(height * scale))

    @property
    def is_open(self) -> bool:
        """Whether this viewer's window is on screen."""
        return (
            self.surface is not None
            and Viewer._display_owner is self
            and self._pygame.display.get_surface() is not None
        )

    def open(self, height: int, width: int) -> None:
        """Open the window for frames of ``height`` × ``width`` pixels (:meth:`show` does it when needed).

        Raises:
            DisplayError: pygame is missing, or no display can be opened (SDL's fallback to an invisible
                driver counts as none); nothing is left initialised.
        """
        size = self.window_size(height, width)
        if self.is_open and self.surface.get_size() == size:
            return
        pygame = self._import_pygame()
        _give_sdl_a_runtime_dir()
        try:
            pygame.display.init()
            driver = pygame.display.get_driver()
            if driver in INVISIBLE_VIDEO_DRIVERS and os.environ.get("SDL_VIDEODRIVER") != driver:
                raise pygame.error(f"no display: SDL fell back to its {driver} driver")
            self.surface = pygame.display.set_mode(size)
            Viewer._display_owner = self
        except pygame.error as error:
            # leave SDL as it was: a display left open on the offscreen driver would load EGL (and with
            # Mesa a second LLVM) into this process at the next set_mode
            pygame.display.quit()
            self.surface = None
            raise DisplayError(f"cannot open a window ({error}): {self.no_window_fix}") from None
        pygame.display.set_caption(self.title)
        self._clock = pygame.time.Clock()
        self._key_buttons = {
            pygame.key.key_code(key): BUTTON_BITS[button] for key, button in KEYS_TO_BUTTONS.items()
        }

    def show(self, frame: np.ndarray) -> None:
        """Draw an ``(H, W, 3)`` RGB frame (opening the window if needed), take the window's events, and
        wait for the frame rate."""
        if self._no_display:
            return
        height, width = frame.shape[:2]
        try:
            self.open(height, width)
        except DisplayError as error:
            if self.on_no_display == "raise":
                raise
            self._no_display = True
            warnings.warn(f"{error}; showing nothing", DisplayWarning, stacklevel=2)
            return
        pygame = self._pygame
        picture = pygame.surfarray.make_surface(np.ascontiguousarray(frame.swapaxes(0, 1)))
        size = self.surface.get_size()
        if size == (width, height):
            self.surface.blit(picture, (0, 0))
        elif size[0] > width:
            pygame.transform.scale(picture, size, self.surface)  # enlarging: crisp pixels
        else:
            pygame.transform.smoothscale(picture, size, self.surface)  # shrinking: no lost lines
        pygame.display.flip()
        self._take_events()
        if self.fps > 0:
            self._clock.tick(self.fps)

    def _take_events(self) -> None:
        pygame = self._pygame
        for event in pygame.event.get():
            if event.type == pygame.QUIT or (event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE):
                self.quit_requested = True
            elif event.type == pygame.KEYDOWN:
                self._held_keys.add(event.key)
            elif event.type == pygame.KEYUP:
                self._held_keys.discard(event.key)

    def joypad(self) -> int:
        """The joypad bitmap of the keys held in the window now (see ``KEYS_HELP``)."""
        bitmap = 0
        for key in self._held_keys:
            bitmap |= self._key_buttons.get(key, 0)
        return bitmap

    def close(self) -> None:
        """Close the window (if it is still this viewer's); closing twice is harmless."""
        if self.is_open:
            self._pygame.display.quit()
        if Viewer._display_owner is self:
            Viewer._display_owner = None
        self.surface = None

    def _import_pygame(self) -> Any:
        if self._pygame is None:
            os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
            try:
                import pygame
            except ImportError as error:
                raise DisplayError(f"the window needs pygame ({error}): {PYGAME_HINT}") from None
            self._pygame = pygame
        return self._pygame
