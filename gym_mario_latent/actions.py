"""Button lists for :class:`gym_mario_latent.wrappers.JoypadSpace`: each entry is one discrete action."""

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
