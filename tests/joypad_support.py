"""Reproducible joypad input for NES env tests: random presses that mostly run right, never Start."""

import numpy as np

RIGHT, LEFT, B, A = 0x80, 0x40, 0x02, 0x01
# Nothing, right, right+A, right+B, right+A+B, A, left: Start and Select would pause or reset the game.
JOYPAD_CHOICES = np.array([0, RIGHT, RIGHT | A, RIGHT | B, RIGHT | A | B, A, LEFT], dtype=np.uint8)
JOYPAD_WEIGHTS = (0.05, 0.3, 0.2, 0.2, 0.15, 0.05, 0.05)


def random_joypad_actions(seed: int, steps: int, lanes: int = 1) -> np.ndarray:
    """A ``(steps, lanes)`` array of joypad bitmaps drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    return rng.choice(JOYPAD_CHOICES, size=(steps, lanes), p=JOYPAD_WEIGHTS)
