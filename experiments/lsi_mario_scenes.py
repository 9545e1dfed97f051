"""Illuminating Mario scenes (Fontaine et al., AAAI 2021, MarioGAN-LSI) re-run on our generators: six search
algorithms fill the paper's three archives of 56-column scenes, objective completion, and the table gives QD
score, coverage and valid share as mean ± s.d. over the trials, with each trial's wall time.

The protocol is the paper's (its repository's search/config files, quoted below with each constant); the
generator is ours: a 56-column scene is two 14 × 28 segments of the shipped DCGAN (a 64-d solution, two of its
32-d latents) or four 14 × 14 segments of the 32-d VAE (128-d). Every level is played once by the simulator's
A* agent (it thinks on a node budget, so a second play gives the same game). Writes, under --out: summary.csv
(one row per generator × archive × algorithm), curves.csv (QD metrics as each trial went), a heat map of each
cell's first trial and the QD-score curves of each archive, and prints the table.

    python experiments/lsi_mario_scenes.py --quick                          # about a minute
    python experiments/lsi_mario_scenes.py                                  # the whole grid: hours
    python experiments/lsi_mario_scenes.py --generators gan --archives lsi-sky-enemies --trials 3
    python experiments/lsi_mario_scenes.py --ray head-node:6379             # the games on a Ray cluster
"""

from __future__ import annotations

import argparse
import csv
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from ribs.emitters import EvolutionStrategyEmitter, GaussianEmitter, IsoLineEmitter
from ribs.schedulers import Scheduler

from gym_mario_latent.cli.arguments import add_simulator_arguments, output_folder_path, positive_int
from gym_mario_latent.files import output_file
from gym_mario_latent.latent.archives import (
    ArchivePreset,
    QDLogger,
    archive_preset,
    make_archive,
    save_heatmap,
)
from gym_mario_latent.latent.elites import save_elites
from gym_mario_latent.latent.evaluation import LatentEvaluator
from gym_mario_latent.simulator_bridge import SimulatorBackend, open_simulator

# --- the protocol: MarioGAN-LSI (github.com/icaros-usc/MarioGAN-LSI, master) ---
EVALUATIONS = 10_000  # search/config/trial/*.tml: num_simulations
TRIALS = 5  # search/config/experiment/experiment.tml: num_trials = 5 for every trial config
ARCHIVES = ("lsi-sky-enemies", "lsi-kl", "lsi-mechanics")  # search/config/elite_map/*.tml (archives.py)
BOUND = 5.12  # util/gan_generator.py: boundary_value; our emitters keep every component in [-5.12, 5.12]
EMITTERS = 5  # search/algorithms.py, CMA_ME_Algorithm: five emitters of the configured type
BATCH = 37  # search/config/algorithms/cma_me_*.tml: population_size, latents per emitter generation
INITIAL = 100  # map_elites.tml, iso_linedd.tml, cma_me_rnd.tml: initial_population, z ~ N(0, I)
CMA_ES_POPULATION = 17  # search/config/algorithms/cma_es.tml: population_size
# Objective: the A* agent's completion (search/search.py, eval_mario), 0 to 1 a scene; QD score: its sum over
# the archive's elites. Valid share (ours, named as the paper's "valid" levels): elites the agent completed
# (completion 1), over the archive's cells.

# --- our generators: 56-column scenes (14 rows, the VGLC's; LSI's GAN writes 16) ---
GENERATORS = {  # name: (what, the evaluator's generator=, segments side by side: its scene_segments=)
    "gan": ("the shipped DCGAN, two 14 × 28 segments", "gan", 2),
    "vae": ("the 32-d VAE 'pretrained-32', four 14 × 14 segments", "vae-32", 4),
}
QUICK = {"generators": ("gan",), "archives": ("lsi-sky-enemies",), "trials": 2, "evaluations": 150}
QUICK_ALGORITHMS = ("cma-me", "map-elites", "random")
WARM_UP_LEVELS, WARM_UP_SEED = 64, 12345  # scenes played before the trials, untimed
CURVE_POINTS = 100  # rows per trial in curves.csv (about one every 1 % of the evaluations)


@dataclass(frozen=True)
class Algorithm:
    """A search algorithm of the protocol.

    Attributes:
        label: its name in the paper.
        source: the configuration it follows.
        initial: latents drawn from N(0, initial_sigma² I) and added to the archive before the emitters start.
        emitters: (archive, solution_dim, seed) → the pyribs emitters; None for random search.
        initial_sigma: spread of the initial latents.
        bounded: whether solutions stay within ±BOUND (LSI), or are unbounded (DSAGE).
    """

    label: str
    source: str
    initial: int
    emitters: Callable[..., list] | None
    initial_sigma: float = 1.0
    bounded: bool = True


def _bounds(dim: int, bounded: bool) -> list[tuple[float, float]] | None:
    return [(-BOUND, BOUND)] * dim if bounded else None


def cma_emitters(
    ranker: str, sigma: float, count: int = EMITTERS, batch: int = BATCH, bounded: bool = True, **options
) -> Callable[..., list]:
    """A factory of `count` CMA-ES emitters from the origin (pyribs' EvolutionStrategyEmitter: a restart
    starts from a random elite, as LSI's emitters' ``reset``)."""

    def make(archive, dim: int, seed: int) -> list:
        return [
            EvolutionStrategyEmitter(
                archive,
                x0=np.zeros(dim),
                sigma0=sigma,
                ranker=ranker,
                bounds=_bounds(dim, bounded),
                batch_size=batch,
                seed=seed * 1000 + index,
                **options,
            )
            for index in range(count)
        ]

    return make


def mutation_emitters(kind: type, **options) -> Callable[..., list]:
    """A factory of EMITTERS MAP-Elites emitters (Gaussian or Iso+LineDD) of BATCH latents each (their x0 is
    never used: the archive holds the initial latents before they start)."""

    def make(archive, dim: int, seed: int) -> list:
        return [
            kind(
                archive,
                x0=np.zeros(dim),
                bounds=_bounds(dim, True),
                batch_size=BATCH,
                seed=seed * 1000 + index,
                **options,
            )
            for index in range(EMITTERS)
        ]

    return make


ALGORITHMS = {
    "cma-me": Algorithm(
        "CMA-ME (improvement emitters)",
        "cma_me_imp.tml: σ 0.2, 37 a generation, initial_population 0",
        0,
        cma_emitters("2imp", 0.2, selection_rule="filter", restart_rule="no_improvement"),
    ),
    "cma-me-rd": Algorithm(
        "CMA-ME (random-direction emitters)",
        "cma_me_rnd.tml: σ 0.05, 37 a generation, initial_population 100",
        INITIAL,
        cma_emitters("2rd", 0.05, selection_rule="filter", restart_rule="no_improvement"),
    ),
    "map-elites": Algorithm(
        "MAP-Elites",
        "map_elites.tml: σ 0.2, initial_population 100",
        INITIAL,
        mutation_emitters(GaussianEmitter, sigma=0.2),
    ),
    "iso-line": Algorithm(
        "ME (Iso+LineDD)",
        "iso_linedd.tml: σ₁ 0.02, σ₂ 0.2, initial_population 100",
        INITIAL,
        mutation_emitters(IsoLineEmitter, iso_sigma=0.02, line_sigma=0.2),
    ),
    "cma-es": Algorithm(
        "CMA-ES",
        "cma_es.tml: σ 0.5, population 17, objective only (every level still enters the archive)",
        0,
        cma_emitters("obj", 0.5, count=1, batch=CMA_ES_POPULATION, selection_rule="mu", restart_rule="basic"),
    ),
    "random": Algorithm("Random search", "search/algorithms.py RandomGenerator: z ~ N(0, I)", 0, None),
}


# --- scenes: solutions → levels → games ---


class Scenes:
    """Our generator's 56-column scenes: a solution is `segments` latents side by side, decoded and played by
    the A* agent through a :class:`LatentEvaluator` (``scene_segments``), which batches the games on the
    simulator's pool and caches them."""

    def __init__(self, generator: str, simulator: SimulatorBackend) -> None:
        _, name, segments = GENERATORS[generator]
        self.name, self.generator = generator, name
        self.evaluator = LatentEvaluator(simulator=simulator, generator=name, scene_segments=segments)
        self.solution_dim = self.evaluator.z_dim
        # start the JVMs and warm their JIT on a few scenes (not cached), so trial 0 is timed as the others
        warm_up = np.random.default_rng(WARM_UP_SEED).standard_normal((WARM_UP_LEVELS, self.solution_dim))
        simulator.evaluate_many([self.evaluator.played(scene) for scene in self.evaluator.generate(warm_up)])

    def evaluate(self, solutions: np.ndarray, preset: ArchivePreset) -> tuple[np.ndarray, np.ndarray]:
        """Completion (n,) and the preset's measures (n, measures) of n solutions, in one batch of games:
        each scene played as the generator made it (a Mario AI generator's text keeps its koopas), measured
        on its VAE tile ids."""
        scenes = self.evaluator.generate(solutions)
        games = self.evaluator.play([self.evaluator.played(scene) for scene in scenes])
        objective = np.array([game.completion for game in games], dtype=float)
        levels = self.evaluator.vae_ids(scenes)
        measures = [preset.measures_of(level, game) for level, game in zip(levels, games, strict=True)]
        return objective, np.array(measures)

    def save_elites(self, archive, preset: ArchivePreset, path: Path) -> Path | None:
        """Writes `archive` as an elites file the explorer opens (``gym-mario-latent explore --archive``);
        None for an archive of more than two measures, which it does not draw."""
        if len(preset.measure_names) > 2:
            return None
        segments = self.evaluator.scene_segments
        return save_elites(
            archive, path, preset.measure_names, generator=self.generator, scene_segments=segments
        )


# --- one trial ---


@dataclass
class Trial:
    """What a trial ended with."""

    archive: object
    evaluations: int
    seconds: float
    qd_score: float
    coverage: float
    valid: float


def valid_share(archive) -> float:
    """Share of the archive's cells holding a scene the agent completed."""
    return float(np.count_nonzero(archive.data("objective") >= 1.0)) / archive.cells


def run_trial(
    algorithm: Algorithm,
    preset: ArchivePreset,
    scenes: Scenes,
    evaluations: int,
    seed: int,
    log: Callable[[object, int, float], None],
    stop: Callable[[object, int, float], bool] = lambda archive, done, seconds: False,
) -> Trial:
    """Runs `algorithm` on a new archive of `preset` until `evaluations` levels were played (the last
    batch may pass it) or `stop(archive, evaluations so far, seconds)` says so; calls `log` the same way
    after every batch."""
    started = time.perf_counter()
    archive = make_archive(preset.name, scenes.solution_dim, seed=seed)
    rng = np.random.default_rng(seed)
    bound = BOUND if algorithm.bounded else np.inf
    done = 0
    if algorithm.initial:
        initial = np.clip(
            algorithm.initial_sigma * rng.standard_normal((algorithm.initial, scenes.solution_dim)),
            -bound,
            bound,
        )
        archive.add(initial, *scenes.evaluate(initial, preset))
        done = len(initial)
        log(archive, done, time.perf_counter() - started)
    scheduler = (
        Scheduler(archive, algorithm.emitters(archive, scenes.solution_dim, seed))
        if algorithm.emitters
        else None
    )
    while done < evaluations and not stop(archive, done, time.perf_counter() - started):
        if scheduler is None:
            solutions = np.clip(rng.standard_normal((EMITTERS * BATCH, scenes.solution_dim)), -bound, bound)
        else:
            solutions = scheduler.ask()
        objective, measures = scenes.evaluate(solutions, preset)
        if scheduler is None:
            archive.add(solutions, objective, measures)
        else:
            scheduler.tell(objective, measures)
        done += len(solutions)
        log(archive, done, time.perf_counter() - started)
    stats = archive.stats
    return Trial(
        archive,
        done,
        time.perf_counter() - started,
        float(stats.qd_score),
        float(stats.coverage),
        valid_share(archive),
    )


class Curves:
    """curves.csv: the QD metrics of every trial about every 1 % of its evaluations, and at its end."""

    KEYS = ("generator", "archive", "algorithm", "trial", "evaluations", "seconds", "valid")

    def __init__(self, path: Path, evaluations: int) -> None:
        self.logger = QDLogger(path, extra_columns=self.KEYS)
        self.step = max(1, evaluations // CURVE_POINTS)

    def logger_for(self, generator: str, archive: str, algorithm: str, trial: int) -> Callable[..., None]:
        """The `log` callback of one trial: ``log(archive, evaluations, seconds, last=False)``."""
        state = {"iteration": 0, "next": 0, "logged": -1}

        def log(grid, done: int, seconds: float, last: bool = False) -> None:
            state["iteration"] += 1 - last
            if (done >= state["next"] or last) and done != state["logged"]:
                self.logger.log(
                    state["iteration"],
                    grid,
                    generator=generator,
                    archive=archive,
                    algorithm=algorithm,
                    trial=trial,
                    evaluations=done,
                    seconds=round(seconds, 2),
                    valid=valid_share(grid),
                )
                state["next"], state["logged"] = done + self.step, done

        return log

    def close(self) -> None:
        """Closes the CSV file."""
        self.logger.close()


# --- results ---

SUMMARY_COLUMNS = (
    "generator",
    "archive",
    "algorithm",
    "trials",
    "evaluations",
    "qd_score",
    "qd_score_sd",
    "coverage",
    "coverage_sd",
    "valid",
    "valid_sd",
    "seconds",
    "seconds_sd",
)


def summary_row(generator: str, archive: str, algorithm: str, trials: Sequence[Trial]) -> dict:
    """Mean and s.d. (ddof 1; 0 for one trial) over the trials."""

    def mean_sd(values: list[float]) -> tuple[float, float]:
        return float(np.mean(values)), float(np.std(values, ddof=1)) if len(values) > 1 else 0.0

    row = {
        "generator": generator,
        "archive": archive,
        "algorithm": algorithm,
        "trials": len(trials),
        "evaluations": int(np.mean([t.evaluations for t in trials])),
    }
    for key in ("qd_score", "coverage", "valid", "seconds"):
        row[key], row[f"{key}_sd"] = mean_sd([getattr(trial, key) for trial in trials])
    return row


def write_csv(rows: Sequence[dict], columns: Sequence[str], path: Path) -> Path:
    """Writes `rows` (dicts) as CSV through a temporary file."""
    with output_file(path) as temporary, temporary.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def table(rows: Sequence[dict]) -> str:
    """The summary as a Markdown table."""
    lines = [
        "| generator | archive | algorithm | trials | evaluations | QD score | coverage | valid | s/trial |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['generator']} | {r['archive']} | {r['algorithm']} | {r['trials']} | {r['evaluations']} | "
            f"{r['qd_score']:.1f} ± {r['qd_score_sd']:.1f} | {r['coverage']:.4f} ± {r['coverage_sd']:.4f} | "
            f"{r['valid']:.4f} ± {r['valid_sd']:.4f} | {r['seconds']:.0f} ± {r['seconds_sd']:.0f} |"
        )
    return "\n".join(lines)


def plot_curves(
    curves: Path, generator: str, archive: str, x: str, path: Path, lines: dict | None = None
) -> Path:
    """QD score against `x` ("evaluations" or "seconds", drawn in minutes) for each algorithm of one generator
    and archive: the mean over trials and a band of ± 1 s.d.; `lines` adds labelled horizontal lines."""
    from matplotlib.figure import Figure

    with curves.open(encoding="utf-8") as file:
        rows = [r for r in csv.DictReader(file) if r["generator"] == generator and r["archive"] == archive]
    figure = Figure(figsize=(6.5, 4), layout="constrained")
    axes = figure.add_subplot()
    for algorithm in dict.fromkeys(r["algorithm"] for r in rows):
        trials = {}
        for r in rows:
            if r["algorithm"] == algorithm:
                trials.setdefault(r["trial"], []).append((float(r[x]), float(r["qd_score"])))
        length = min(len(points) for points in trials.values())  # trials log at the same counts
        points = np.array([points[:length] for points in trials.values()])  # (trials, length, 2)
        xs = points[:, :, 0].mean(axis=0) / (60 if x == "seconds" else 1)
        mean, sd = points[:, :, 1].mean(axis=0), points[:, :, 1].std(axis=0)
        axes.plot(xs, mean, label=f"{algorithm} ({len(trials)} trials)")
        axes.fill_between(xs, mean - sd, mean + sd, alpha=0.2)
    for label, value in (lines or {}).items():
        axes.axhline(value, linestyle="--", color="grey", linewidth=1)
        axes.annotate(label, (0.01, value), xycoords=("axes fraction", "data"), va="bottom", fontsize=8)
    axes.set_xlabel("minutes" if x == "seconds" else x)
    axes.set_ylabel("QD score (sum of completion)")
    axes.set_title(f"{archive}, {generator} scenes")
    axes.legend(fontsize=8)
    with output_file(path) as temporary:
        figure.savefig(temporary, format="png", dpi=90)
    return path


# --- the run ---


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--generators",
        nargs="+",
        choices=GENERATORS,
        default=list(GENERATORS),
        help="which generators' scenes to search (default: both)",
    )
    parser.add_argument(
        "--archives",
        nargs="+",
        choices=ARCHIVES,
        default=list(ARCHIVES),
        help="which of LSI's archives (default: all three)",
    )
    parser.add_argument(
        "--algorithms",
        nargs="+",
        choices=ALGORITHMS,
        default=list(ALGORITHMS),
        help="which algorithms (default: all six)",
    )
    parser.add_argument("--trials", type=positive_int, default=TRIALS, help=f"trials each (default {TRIALS})")
    parser.add_argument(
        "--evaluations",
        type=positive_int,
        default=EVALUATIONS,
        help=f"levels played per trial (default {EVALUATIONS})",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a one-minute check: GAN scenes, sky tiles × enemies, CMA-ME, MAP-Elites and random, "
        f"{QUICK['trials']} trials of {QUICK['evaluations']} evaluations",
    )
    add_simulator_arguments(parser)
    parser.add_argument(
        "--out",
        type=output_folder_path,
        default="experiments/results/lsi",
        help="folder for the CSV files and figures",
    )
    args = parser.parse_args()
    if args.quick:
        vars(args).update(QUICK, algorithms=QUICK_ALGORITHMS)
    return args


def main() -> None:
    args = parse_arguments()
    args.out.mkdir(parents=True, exist_ok=True)
    curves = Curves(args.out / "curves.csv", args.evaluations)
    results: dict[tuple[str, str, str], list[Trial]] = {}
    explorable: list[Path] = []  # trial 0's elites files
    with open_simulator(args.workers, ray=args.ray) as simulator:
        for generator in args.generators:
            scenes = Scenes(generator, simulator)
            for archive in args.archives:
                preset = archive_preset(archive)
                for trial in range(args.trials):  # trial by trial: a run cut short has whole rounds
                    for name in args.algorithms:
                        log = curves.logger_for(generator, archive, name, trial)
                        result = run_trial(ALGORITHMS[name], preset, scenes, args.evaluations, trial, log)
                        log(result.archive, result.evaluations, result.seconds, last=True)
                        results.setdefault((generator, archive, name), []).append(result)
                        print(
                            f"{generator} {archive} {name} trial {trial}: QD score {result.qd_score:.1f}, "
                            f"coverage {result.coverage:.4f}, valid {result.valid:.4f}, "
                            f"{result.evaluations} evaluations in {result.seconds:.0f} s",
                            flush=True,
                        )
                        if trial == 0:
                            save_heatmap(
                                result.archive,
                                args.out / f"heatmap_{generator}_{archive}_{name}.png",
                                archive,
                                f"{ALGORITHMS[name].label}, {generator} scenes, trial 0",
                            )
                            elites = args.out / f"elites_{generator}_{archive}_{name}.json"
                            if scenes.save_elites(result.archive, preset, elites):
                                explorable.append(elites)
                    rows = [summary_row(*key, trials) for key, trials in results.items()]
                    write_csv(rows, SUMMARY_COLUMNS, args.out / "summary.csv")
                    plot_curves(
                        curves.logger.path,
                        generator,
                        archive,
                        "evaluations",
                        args.out / f"qd_{generator}_{archive}.png",
                    )
    curves.close()
    print(table(rows))
    print(f"results: {args.out / 'summary.csv'}, {args.out / 'curves.csv'} and the figures in {args.out}")
    if explorable:
        print(
            "trial 0's archives, for gym-mario-latent explore --archive FILE: "
            + ", ".join(map(str, explorable))
        )


if __name__ == "__main__":
    main()
