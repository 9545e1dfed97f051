"""Plays prior samples of every shipped generator (and LSI-sized scenes of the GAN) and prints the README's
generator table: latent size, level shape, and the A* agent's wins and completion.

For each generator, ``--samples`` latents z ~ N(0, I) (seed 0) go through one :class:`LatentEvaluator`
with the simulator's default game settings (the ``astar`` runner, 20 game seconds, node budget 2000) and
the bridge's padding. The games are deterministic, so the table is the same on every machine.

    .venv/bin/python benchmarks/generators_table.py [--samples 64] [--workers N]
"""

from __future__ import annotations

import argparse

import numpy as np

from gym_mario_latent.latent import LatentEvaluator
from gym_mario_latent.simulator_bridge import Simulator

#: (generator name, scene_segments) rows of the table.
ROWS = (("vae", 1), ("vae-32", 1), ("gan", 1), ("gan", 2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=64, help="latents per generator (default 64)")
    parser.add_argument("--workers", type=int, help="simulator JVMs (default: one per CPU)")
    args = parser.parse_args()
    print("| generator | scene_segments | z_dim | level shape | A* wins | mean completion |")
    print("|---|---|---|---|---|---|")
    with Simulator(args.workers) as simulator:
        for name, k in ROWS:
            with LatentEvaluator(generator=name, simulator=simulator, scene_segments=k) as evaluator:
                z = np.random.default_rng(0).standard_normal((args.samples, evaluator.z_dim))
                batch = evaluator.evaluate_latents(z, objective="win", measures=("completion",))
            rows, columns = evaluator.scene_shape
            print(
                f"| `{name}` | {k} | {evaluator.z_dim} | {rows} × {columns} | {batch.objective.mean():.2f} "
                f"| {batch.measures[:, 0].mean():.2f} |"
            )


if __name__ == "__main__":
    main()
