"""Make docs/latent/trace-1-1.png and .gif: the A* agent's path through the start of VGLC 1-1, drawn on the
level's picture and animated.

The simulator plays the level padded by the bridge (flat ground before and after), so the path is drawn
with the padding's columns as offset; the picture marks the take-offs and the finish.

Usage: ``python docs/make_trace_picture.py [--columns 48] [--out docs/latent/trace-1-1]``
"""

import argparse
from pathlib import Path

from gym_mario_latent.levels import draw_trace, save_png, save_trace_animation
from gym_mario_latent.simulator_bridge import Padding, Simulator
from gym_mario_latent.vae.data import load_vglc_level


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--columns", type=int, default=48, help="columns of 1-1 to play")
    parser.add_argument("--out", default="docs/latent/trace-1-1", help="path of both files, without suffix")
    args = parser.parse_args()
    level = load_vglc_level("mario-1-1")[:, : args.columns]
    with Simulator(1, trace=True) as simulator:
        telemetry = simulator.evaluate(level)
    trace, status, offset = telemetry.trace, telemetry.status, Padding().start
    out = Path(args.out)
    save_png(draw_trace(level, trace, status, column_offset=offset), out.with_suffix(".png"))
    save_trace_animation(
        level,
        trace,
        out.with_suffix(".gif"),
        status,
        column_offset=offset,
        sprite_trace=telemetry.sprite_trace,
    )
    print(f"{telemetry.status}, {telemetry.jumps} jumps, {telemetry.ticks} ticks: {out}.png, {out}.gif")


if __name__ == "__main__":
    main()
