"""CMA-ES in the VAE's latent space: find level segments that make the A* agent jump the most.

The objective is the MarioVAE blog's: jumps the agent takes in a segment it gets through (0 if it cannot).
Each generation CMA-ES (pycma) asks for a population of latents, the env's batch API decodes them in one
VAE pass and plays them in one batch on the worker pool, and CMA-ES is told the (negated) jumps. Prints a
line per generation and saves a picture of the best segments found.

    python examples/cmaes_jumps.py                      # the 32-d VAE, 40 generations of 24
    python examples/cmaes_jumps.py --checkpoint pretrained --generations 10
    python examples/cmaes_jumps.py --ray                # on RAY_ADDRESS's cluster (or a local Ray)
"""

import argparse
import time

import cma
import numpy as np

from gym_mario_latent.cli.arguments import (
    add_generator_arguments,
    add_simulator_arguments,
    generator_keywords,
    output_folder_path,
)
from gym_mario_latent.latent.evaluation import LatentEvaluator
from gym_mario_latent.levels import render_grid, save_png
from gym_mario_latent.simulator_bridge import open_simulator

# --- hyper-parameters ---------------------------------------------------------------------------------------
CHECKPOINT = "pretrained-32"  # the 32-d latent space (MarioGAN's size); "pretrained" is the 2-d one
GENERATIONS = 40
POPULATION = 24
SIGMA0 = 1.0  # initial step size, in prior standard deviations
BOUND = 3.0  # search box [-BOUND, BOUND]^z_dim
SEED = 0
BEST_SHOWN = 8  # segments in the picture


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_generator_arguments(parser, CHECKPOINT)
    parser.add_argument("--generations", type=int, default=GENERATIONS, help="CMA-ES generations")
    parser.add_argument("--population", type=int, default=POPULATION, help="latents per generation")
    parser.add_argument("--seed", type=int, default=SEED, help="seeds CMA-ES")
    add_simulator_arguments(parser)
    parser.add_argument(
        "--out", type=output_folder_path, default="out/cmaes_jumps", help="folder for the picture"
    )
    args = parser.parse_args()

    started = time.perf_counter()
    simulator = open_simulator(args.workers, ray=args.ray)
    with simulator, LatentEvaluator(simulator=simulator, **generator_keywords(args)) as evaluator:
        options = {
            "popsize": args.population,
            "seed": args.seed + 1,
            "bounds": [-BOUND, BOUND],
            "verbose": -9,
        }
        es = cma.CMAEvolutionStrategy(np.zeros(evaluator.z_dim), SIGMA0, options)
        found: dict[bytes, tuple[float, np.ndarray]] = {}  # segment tiles -> (jumps, tiles)
        print(f"{'gen':>4} {'best':>5} {'mean':>6} {'playable':>8} {'evals':>6} {'cache hits':>10}")
        for generation in range(1, args.generations + 1):
            latents = np.array(es.ask(), dtype=np.float32)
            batch = evaluator.evaluate_latents(latents, objective="jumps", measures=())
            es.tell(list(latents.astype(np.float64)), list(-batch.objective))  # CMA-ES minimises
            for jumps, segment in zip(batch.objective, batch.segments, strict=True):
                found.setdefault(segment.tobytes(), (jumps, segment))
            playable = np.mean([telemetry.won for telemetry in batch.telemetry])
            print(
                f"{generation:>4} {batch.objective.max():>5.0f} {batch.objective.mean():>6.2f} "
                f"{playable:>8.0%} {generation * args.population:>6} {evaluator.cache_hits:>10}"
            )
        best = sorted(found.values(), key=lambda item: -item[0])[:BEST_SHOWN]
    picture = save_png(
        render_grid(np.stack([tiles for _, tiles in best]), columns=len(best)), args.out / "best.png"
    )
    jumps = ", ".join(f"{value:.0f}" for value, _ in best)
    print(f"best segments (jumps {jumps}) drawn in {picture}; {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
