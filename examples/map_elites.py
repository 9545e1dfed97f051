"""Quality diversity in the VAE's latent space with pyribs: illuminate Mario segments by two measures.

As in Fontaine et al. (AAAI 2021, "Illuminating Mario scenes in the latent space of a generative
adversarial network"), CMA-ME emitters search the latent space for segments that fill a grid archive over
sky tiles × enemies, keeping in each cell the segment the A* agent gets furthest through (objective:
completion). CMA-MAE (``--algorithm cma-mae``) anneals the archive's acceptance threshold instead. Each
iteration's latents are decoded in one VAE pass and played in one batch on the worker pool. Prints
coverage and QD score as it goes; saves a heat map of the archive, a montage of elites, and the archive
itself as an elites file (elites.json) to open in the explorer: gym-mario-latent explore --archive FILE.

    python examples/map_elites.py                          # 10 000 evaluations, like one run of the paper
    python examples/map_elites.py --iterations 20 --measures jumps enemies
    python examples/map_elites.py --ray head-node:6379     # the games on a Ray cluster
"""

import argparse
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no window
import matplotlib.pyplot as plt
import numpy as np
from ribs.archives import GridArchive
from ribs.emitters import EvolutionStrategyEmitter
from ribs.schedulers import Scheduler
from ribs.visualize import grid_archive_heatmap

from gym_mario_latent.cli.arguments import (
    add_generator_arguments,
    add_simulator_arguments,
    generator_keywords,
    generator_name,
    output_folder_path,
)
from gym_mario_latent.files import output_file
from gym_mario_latent.latent.elites import save_elites
from gym_mario_latent.latent.evaluation import LatentEvaluator
from gym_mario_latent.latent.qd_measures import MEASURES
from gym_mario_latent.levels import render_grid, save_png
from gym_mario_latent.simulator_bridge import open_simulator

# --- hyper-parameters ---------------------------------------------------------------------------------------
CHECKPOINT = "pretrained-32"  # the 32-d latent space (MarioGAN-LSI's size)
MEASURE_NAMES = ("sky_tiles", "enemies")
CELLS = (30, 10)  # archive cells per measure
ITERATIONS = 100
EMITTERS = 5
BATCH_SIZE = 20  # latents per emitter per iteration: 5 × 20 × 100 = 10 000 evaluations
SIGMA0 = 0.5
LEARNING_RATE = 0.01  # CMA-MAE's archive learning rate
SEED = 0
MONTAGE = (4, 6)  # rows × columns of elites in the montage


def build_scheduler(algorithm: str, z_dim: int, ranges: list[tuple[float, float]], seed: int):
    """pyribs' archive, emitters and scheduler for CMA-ME or CMA-MAE (the result archive keeps the elites)."""
    result = GridArchive(solution_dim=z_dim, dims=CELLS, ranges=ranges, seed=seed)
    if algorithm == "cma-me":
        archive, ranker, selection, restart = result, "2imp", "filter", "no_improvement"
        result_archive = None
    else:
        archive = GridArchive(
            solution_dim=z_dim,
            dims=CELLS,
            ranges=ranges,
            learning_rate=LEARNING_RATE,
            threshold_min=0.0,
            seed=seed,
        )
        ranker, selection, restart, result_archive = "imp", "mu", "basic", result
    emitters = [
        EvolutionStrategyEmitter(
            archive,
            x0=np.zeros(z_dim),
            sigma0=SIGMA0,
            ranker=ranker,
            selection_rule=selection,
            restart_rule=restart,
            batch_size=BATCH_SIZE,
            seed=seed + index,
        )
        for index in range(EMITTERS)
    ]
    return Scheduler(archive, emitters, result_archive=result_archive), result


def save_heatmap(archive: GridArchive, names: tuple[str, ...], path: Path) -> Path:
    """The archive as a heat map of each cell's best completion."""
    figure, axes = plt.subplots(figsize=(8, 4.5))
    grid_archive_heatmap(archive, ax=axes, vmin=0, vmax=1, cmap="viridis")
    axes.set_xlabel(f"{names[0]}: {MEASURES[names[0]].description}")
    axes.set_ylabel(f"{names[1]}: {MEASURES[names[1]].description}")
    axes.set_title(
        f"elites by completion: coverage {archive.stats.coverage:.0%}, QD score {archive.stats.qd_score:.0f}"
    )
    with output_file(path) as temporary:
        figure.savefig(temporary, dpi=120, bbox_inches="tight")
    plt.close(figure)
    return path


def elite_montage(evaluator: LatentEvaluator, archive: GridArchive, path: Path) -> Path:
    """Elites spread over the archive (sorted by the measures), decoded and drawn side by side."""
    elites = archive.data(["solution", "measures", "objective"])
    order = np.lexsort((elites["measures"][:, 1], elites["measures"][:, 0]))
    picked = order[np.linspace(0, len(order) - 1, min(len(order), MONTAGE[0] * MONTAGE[1])).astype(int)]
    segments = evaluator.decode(elites["solution"][picked].astype(np.float32))
    return save_png(render_grid(segments, columns=MONTAGE[1], tile_size=8), path)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_generator_arguments(parser, CHECKPOINT)
    parser.add_argument("--algorithm", choices=("cma-me", "cma-mae"), default="cma-me", help="QD algorithm")
    parser.add_argument("--iterations", type=int, default=ITERATIONS, help="scheduler iterations")
    parser.add_argument(
        "--measures", nargs=2, default=MEASURE_NAMES, choices=sorted(MEASURES), help="two measures"
    )
    parser.add_argument("--seed", type=int, default=SEED, help="seeds the archive and emitters")
    add_simulator_arguments(parser)
    parser.add_argument(
        "--out", type=output_folder_path, default="out/map_elites", help="folder for the pictures"
    )
    args = parser.parse_args()
    names = tuple(args.measures)

    started = time.perf_counter()
    simulator = open_simulator(args.workers, ray=args.ray)
    with simulator, LatentEvaluator(simulator=simulator, **generator_keywords(args)) as evaluator:
        scheduler, archive = build_scheduler(
            args.algorithm, evaluator.z_dim, evaluator.measure_bounds(names), args.seed
        )
        evaluations = 0
        for iteration in range(1, args.iterations + 1):
            latents = scheduler.ask()
            batch = evaluator.evaluate_latents(latents, objective="completion", measures=names)
            scheduler.tell(batch.objective, batch.measures)
            evaluations += len(latents)
            if iteration == 1 or iteration % 10 == 0 or iteration == args.iterations:
                print(
                    f"iteration {iteration:>4}: {evaluations:>6} evaluations, coverage "
                    f"{archive.stats.coverage:6.1%}, QD score {archive.stats.qd_score:8.1f}, "
                    f"best {archive.stats.obj_max:.2f}, cache hits {evaluator.cache_hits}"
                )
        heatmap = save_heatmap(archive, names, args.out / "heatmap.png")
        montage = elite_montage(evaluator, archive, args.out / "elites.png")
        saved = save_elites(
            archive,
            args.out / "elites.json",
            names,
            generator=generator_name(args),
            scene_segments=args.scene_segments,
        )
    seconds = time.perf_counter() - started
    stats = archive.stats
    print(
        f"{stats.num_elites} elites in {np.prod(CELLS)} cells (coverage {stats.coverage:.1%}, "
        f"QD score {stats.qd_score:.1f}) from {evaluations} evaluations in {seconds:.1f} s"
    )
    print(f"heat map: {heatmap}; elites: {montage}; archive: {saved}")
    print(f"explore it: gym-mario-latent explore --archive {saved}")


if __name__ == "__main__":
    main()
