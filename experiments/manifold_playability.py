"""Experiment 3: "Mario Plays on a Manifold" (González-Duque, Palm, Hauberg & Risi, CoG 2022; code:
github.com/miguelgondu/Mario_plays_on_a_manifold): the playability map of a 2-d VAE, and three ways to draw
levels from it.

Their ground truth decodes the 2-d VAE on a 50 × 50 grid over [-5, 5]² and lets A* play each level 5 times
(their agent thinks on a wall clock, so one play can differ from the next). Ours thinks on a node budget: the
same level gives the same game on any machine at any load, so one play is the answer and 5 would repeat it
(the run checks this: the walk's levels, already played for the map, are played again and give the same
outcome). We map the shipped ``"pretrained"`` 2-d VAE that way, then draw 1 000 levels three ways: the prior
N(0, I); random walks over the playable cells of the map (a graph walk, their discrete method); and
rejection sampling on the simulator (``LatentEvaluator.sample_playable``). For each: the share of levels the
agent wins, their diversity (mean share of differing tiles over all pairs, their measure) and what it cost.

Writes into ``--out``: ``manifold_map.npy`` (the map: True where the agent wins, row 0 at the top, i.e. the
largest second coordinate), ``manifold_map.png``, ``manifold_samplers.csv``, and prints the table.

    python experiments/manifold_playability.py --quick     # about a minute: a 10 × 10 map, 50 levels each
    nice -n 15 python experiments/manifold_playability.py --out experiments/results
"""

from __future__ import annotations

import argparse
import csv
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from gym_mario_latent.files import output_file, output_folder
from gym_mario_latent.latent.evaluation import LatentBatch, LatentEvaluator
from gym_mario_latent.latent.measures import pairwise_diversity
from gym_mario_latent.latent.playability import MapSpec, playability_map, playable_walk

# -- protocol ---------------------------------------------------------------------------------------------
CHECKPOINT = "pretrained"  # our shipped 2-d VAE (theirs are 10 2-d VAEs trained on the VGLC, not shipped)
GRID_SIZE = 50  # their readme: "we decode grids in latent space of size 50 × 50"
GRID_BOUND = 5.0  # the protocol (their ground_truth_experiment.py grid): [-5, 5]²
THEIR_PLAYS_PER_LEVEL = 5  # the protocol: each level played 5 times by their wall-clock A*
LEVELS = 1_000  # levels drawn by each sampler
WALK_STEPS = 100  # their diffusions/discrete_diffusion.py: n_steps, levels per walk
MINI_STEPS = 10  # ... each step is 10 moves to a random playable neighbouring cell
WALKS = 10  # ours: 10 walks (1 000 levels), each from a playable cell drawn uniformly
THEIR_TIME = "not published"  # the paper and its repository give no wall time for the grid's 12 500 games

QUICK = {"grid_size": 10, "levels": 50, "walks": 5, "walk_steps": 10}


def summary(name: str, batch: LatentBatch, games: int, seconds: float) -> dict[str, object]:
    """One row of the table: how many levels, the share won, the diversity, and the cost."""
    won = np.asarray([game.won for game in batch.telemetry])
    return {
        "sampler": name,
        "levels": len(won),
        "playable_share": round(float(won.mean()), 4),
        "diversity": round(pairwise_diversity(batch.segments), 4),
        "simulator_games": games,
        "seconds": round(seconds, 1),
    }


def plot_map(playable: np.ndarray, spec: MapSpec, walks: np.ndarray, prior: np.ndarray, path) -> None:
    """The map (playable cells light), one walk's cells and the prior's draws over it."""
    figure, axis = plt.subplots(figsize=(6, 6))
    bound = spec.bound + spec.bound / (spec.size - 1)  # cells are centred on the grid points
    axis.imshow(playable, cmap="RdYlGn", vmin=-0.5, vmax=1.5, extent=(-bound, bound, -bound, bound))
    axis.scatter(prior[:, 0], prior[:, 1], s=3, c="black", alpha=0.4, label="prior N(0, I) draws")
    axis.plot(walks[:, 0], walks[:, 1], "-o", color="tab:blue", markersize=2, linewidth=1, label="a walk")
    axis.set_xlim(-spec.bound, spec.bound)
    axis.set_ylim(-spec.bound, spec.bound)
    axis.set_xlabel("z₁")
    axis.set_ylabel("z₂")
    axis.set_title(f"{CHECKPOINT!r} VAE: A* wins {playable.mean():.0%} of the {spec.size}² cells (green)")
    axis.legend(loc="lower right", fontsize=8)
    figure.tight_layout()
    with output_file(path) as temporary:
        figure.savefig(temporary, dpi=120)
    plt.close(figure)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="JVM workers of the simulator")
    parser.add_argument("--seed", type=int, default=0, help="seed of the prior draws and the walks")
    parser.add_argument("--quick", action="store_true", help=f"a smoke run: {QUICK}")
    parser.add_argument("--out", default="experiments/results", help="folder of the CSV, array and figure")
    args = parser.parse_args()
    settings = QUICK if args.quick else {
        "grid_size": GRID_SIZE, "levels": LEVELS, "walks": WALKS, "walk_steps": WALK_STEPS
    }  # fmt: skip
    out = output_folder(args.out)
    rng = np.random.default_rng(args.seed)

    # 1. The playability map: every cell's level played once.
    spec = MapSpec(settings["grid_size"], GRID_BOUND, (0.0, 0.0))
    with LatentEvaluator(CHECKPOINT, workers=args.workers) as evaluator:
        start = time.perf_counter()
        _, games = playability_map(evaluator.decode, evaluator.simulator, spec)
        map_seconds = time.perf_counter() - start
        playable = np.asarray([game.won for game in games]).reshape(spec.size, spec.size)
        with output_file(out / "manifold_map.npy") as path:
            np.save(path, playable)
        print(
            f"map: {spec.size}² = {spec.size**2} levels, one game each, in {map_seconds:.1f} s; "
            f"{playable.mean():.1%} playable (theirs: {spec.size**2 * THEIR_PLAYS_PER_LEVEL} games, "
            f"time {THEIR_TIME})"
        )

        # 2. The prior N(0, I).
        start = time.perf_counter()
        misses = evaluator.cache_misses
        prior = evaluator.evaluate_latents(rng.standard_normal((settings["levels"], 2)))
        rows = [summary("prior N(0, I)", prior, evaluator.cache_misses - misses, time.perf_counter() - start)]

        # 3. Random walks over the playable cells, their levels played again.
        start = time.perf_counter()
        moves = settings["walk_steps"] * MINI_STEPS
        cells = [
            cell
            for _ in range(settings["walks"])
            for cell in playable_walk(spec, playable.ravel(), moves, rng)[MINI_STEPS - 1 :: MINI_STEPS]
        ]
        misses = evaluator.cache_misses
        walked = evaluator.evaluate_latents(spec.points()[cells])
        rows.append(
            summary(
                "walk on playable cells", walked, evaluator.cache_misses - misses, time.perf_counter() - start
            )
        )
        first_walk = spec.points()[cells[: settings["walk_steps"]]]

    # 4. Rejection sampling on the simulator (a fresh evaluator: its games are all this sampler's).
    with LatentEvaluator(CHECKPOINT, workers=args.workers) as evaluator:
        start = time.perf_counter()
        accepted = evaluator.sample_playable(settings["levels"], seed=args.seed)
        rows.append(
            summary(
                "rejection on the simulator", accepted, evaluator.cache_misses, time.perf_counter() - start
            )
        )

    rows.insert(
        0,
        {
            "sampler": f"map {spec.size}x{spec.size} over [-{GRID_BOUND:g}, {GRID_BOUND:g}]^2",
            "levels": spec.size**2,
            "playable_share": round(float(playable.mean()), 4),
            "diversity": "",
            "simulator_games": spec.size**2,
            "seconds": round(map_seconds, 1),
        },
    )
    with (
        output_file(out / "manifold_samplers.csv") as path,
        open(path, "w", newline="", encoding="utf-8") as f,
    ):
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    plot_map(playable, spec, first_walk, prior.z, out / "manifold_map.png")
    widths = {key: max(len(key), *(len(str(row[key])) for row in rows)) for key in rows[0]}
    print("  ".join(key.ljust(width) for key, width in widths.items()))
    for row in rows:
        print("  ".join((str(row[key]) or "-").ljust(width) for key, width in widths.items()))


if __name__ == "__main__":
    main()
