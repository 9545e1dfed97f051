"""Button lists for :class:`gym_mario_latent.wrappers.JoypadSpace`: each entry is one discrete action.

Also the one check of an action against a discrete action space, used by the envs and the wrapper.
"""

import numpy as np
from gymnasium.spaces import Discrete


def check_action(action: object, space: Discrete) -> int:
    """`action` as an ``int``, if it is an integer in `space` (no float, string or bool is converted).

    Raises:
        ValueError: anything else, naming the valid range.
    """
    if type(action) is int and 0 <= action - int(space.start) < space.n:  # the common case, without numpy
        return action
    if isinstance(action, bool | np.bool_) or not space.contains(action):
        low, high = int(space.start), int(space.start + space.n - 1)
        raise ValueError(f"action {action!r} is not an integer in {low}..{high}")
    return int(action)


# Run right: nothing, walk, jump, run, run-jump.
RIGHT_ONLY = [
    ["NOOP"],
    ["right"],
    ["right", "A"],
    ["right", "B"],
    ["right", "A", "B"],
]

# RIGHT_ONLY plus jumping in place and walking left.
SIMPLE_MOVEMENT = [
    *RIGHT_ONLY,
    ["A"],
    ["left"],
]

# SIMPLE_MOVEMENT plus every left variant, ducking (down) and climbing (up).
COMPLEX_MOVEMENT = [
    *SIMPLE_MOVEMENT,
    ["left", "A"],
    ["left", "B"],
    ["left", "A", "B"],
    ["down"],
    ["up"],
]

# The NES joypad byte: one bit per button, as the emulator reads it (and as JoypadSpace maps names).
BUTTON_BITS = {
    "right": 0b10000000,
    "left": 0b01000000,
    "down": 0b00100000,
    "up": 0b00010000,
    "start": 0b00001000,
    "select": 0b00000100,
    "B": 0b00000010,
    "A": 0b00000001,
    "NOOP": 0b00000000,
}


def joypad_bitmaps(actions: list[list[str]]) -> list[int]:
    """The joypad byte of each action of an action list, e.g. ``[0, 128, 129, ...]`` for RIGHT_ONLY."""
    try:
        return [sum(BUTTON_BITS[button] for button in buttons) for buttons in actions]
    except KeyError as error:
        raise ValueError(f"unknown button {error.args[0]!r}; buttons are {list(BUTTON_BITS)}") from None
