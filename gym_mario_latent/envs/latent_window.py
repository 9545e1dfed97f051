"""A pygame window that shows the latent env's level picture (``render_mode="human"``)."""

from __future__ import annotations

import os

import numpy as np

from gym_mario_latent.errors import DisplayError
from gym_mario_latent.simulator_bridge.one_level import XVFB_HINT

#: The window is at most this wide; wider level pictures are scaled down to fit.
MAX_WINDOW_WIDTH = 1400


class LevelWindow:
    """Opens lazily on the first picture; each picture is scaled to fit and shown at once."""

    def __init__(self, title: str) -> None:
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        try:
            import pygame
        except ImportError as error:
            raise DisplayError(
                f"render_mode='human' needs pygame ({error}): pip install 'gym-mario-latent[human]'"
            ) from None
        self.pygame = pygame
        self.title = title
        self.surface = None

    def show(self, picture: np.ndarray) -> None:
        """Draw an (H, W, 3) RGB picture, opening the window the first time."""
        pygame = self.pygame
        height, width = picture.shape[:2]
        scale = min(1.0, MAX_WINDOW_WIDTH / width)
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        # pygame has one display: another window's close() may have shut it, so check it is still ours
        if (
            self.surface is None
            or pygame.display.get_surface() is not self.surface
            or self.surface.get_size() != size
        ):
            try:
                pygame.display.init()
                driver = pygame.display.get_driver()
                if driver in ("offscreen", "dummy") and os.environ.get("SDL_VIDEODRIVER") != driver:
                    raise pygame.error(f"no display: SDL fell back to its {driver} driver")
                self.surface = pygame.display.set_mode(size)
            except pygame.error as error:
                # leave SDL as it was: a display left open on the offscreen driver would load EGL (and with
                # Mesa a second LLVM) into this process at the next set_mode
                pygame.display.quit()
                raise DisplayError(f"cannot open a window ({error}); {XVFB_HINT}") from None
            pygame.display.set_caption(self.title)
        frame = pygame.surfarray.make_surface(np.ascontiguousarray(picture.swapaxes(0, 1)))
        pygame.transform.smoothscale(frame, size, self.surface)
        pygame.display.flip()
        pygame.event.pump()  # keep the window responsive

    def close(self) -> None:
        """Close the window."""
        if self.surface is not None:
            self.pygame.display.quit()
            self.surface = None
