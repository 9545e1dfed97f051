"""DSAGE's Mario setting (Bhatt et al., NeurIPS 2022, "Deep Surrogate Assisted Generation of
Environments") run with plain CMA-ME on our evaluator: does playing every level on our fast simulator reach
the QD score DSAGE's surrogate model reached, and after how many evaluations and minutes?

The setting is DSAGE's (its repository's config/mario files, quoted below): sky tiles × the agent's jumps,
150 × 100 cells, objective the A* agent's completion, CMA-ME with five improvement emitters after 100 random
latents, 10 000 evaluations. Their agent thinks on a wall clock, so they play each level 5 times and average;
ours thinks on a node budget and plays a level the same way every time, so one play is the average of any
number. Our scenes are two segments of the shipped DCGAN side by side (LSI's and DSAGE's GAN writes 16 × 56
in one piece). With --beyond N a trial keeps going past the protocol's budget, up to N evaluations in all,
until it passes DSAGE's score. Writes, under --out: summary.csv (a row per trial), curves.csv, the QD score
against evaluations and against minutes, the heat map of the first trial, and prints the table.

    python experiments/dsage_sky_jumps.py --quick                   # about a minute
    python experiments/dsage_sky_jumps.py --trials 5                # the protocol: 10 000 evaluations a trial
    python experiments/dsage_sky_jumps.py --trials 1 --beyond 50000 # on until it passes DSAGE's 4 362
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from lsi_mario_scenes import (
    GENERATORS,
    Algorithm,
    Curves,
    Scenes,
    cma_emitters,
    plot_curves,
    run_trial,
    write_csv,
)

from gym_mario_latent.cli.arguments import add_simulator_arguments, output_folder_path, positive_int
from gym_mario_latent.latent.archives import archive_preset, save_heatmap
from gym_mario_latent.simulator_bridge import open_simulator

# --- the protocol: DSAGE (github.com/icaros-usc/dsage), config/mario/*.gin and src/ ---
ARCHIVE = "dsage-sky-jumps"  # sky_jumps_base.gin: GridArchive dims [150, 100], ranges [[0, 150], [0, 100]]
EVALUATIONS = 10_000  # base.gin: Manager.max_evals
INITIAL = 100  # base.gin: Manager.initial_sols, drawn by mario_manager.py get_initial_sols ...
INITIAL_SIGMA = 0.2  # ... from N(0, σ² I), σ = MarioManager.initial_sol_sigma = sigma0
EMITTERS = 5  # cma_me.gin: Manager.emitter_types = [(ImprovementEmitter, 5)]
BATCH = 30  # base.gin: ImprovementEmitter.batch_size
SIGMA0 = 0.2  # base.gin: sigma0; emitters start at the origin (src/manager.py), no bounds on the latents
PLAYS = 1  # theirs: sky_jumps_base.gin MarioManager.n_evals = 5, averaged; ours is deterministic (see above)
TRIALS = 5  # ours (their README's table gives mean ± spread without the trial count)
PUBLISHED = {  # their README, "Mario" table: QD score, its ±, archive coverage
    "CMA-ME": (1840.17, 95.76, 0.13),
    "DSAGE": (4362.29, 72.54, 0.30),
}
DSAGE_WALL_TIME = None  # not in their README nor their configs: we do not guess it
QUICK = {"trials": 2, "evaluations": 250, "beyond": 0}

CMA_ME = Algorithm(
    "CMA-ME (DSAGE's)",
    "cma_me.gin + base.gin: 5 improvement emitters, σ0 0.2, batch 30, filter, no_improvement",
    INITIAL,
    cma_emitters(
        "2imp",
        SIGMA0,
        count=EMITTERS,
        batch=BATCH,
        bounded=False,
        selection_rule="filter",
        restart_rule="no_improvement",
    ),
    initial_sigma=INITIAL_SIGMA,
    bounded=False,
)

COLUMNS = (
    "trial",
    "evaluations",
    "qd_score",
    "coverage",
    "minutes",
    "passed_at_evaluations",
    "passed_at_minutes",
    "final_evaluations",
    "final_qd_score",
    "final_coverage",
    "final_minutes",
)


def run(scenes: Scenes, trial: int, evaluations: int, beyond: int, curves: Curves) -> dict:
    """One trial: the archive's state when the protocol's budget was spent, and when (if) it passed DSAGE's
    QD score, evaluations and minutes; the archive is under the key "archive"."""
    dsage = PUBLISHED["DSAGE"][0]
    record: dict = {"trial": trial, "passed_at_evaluations": "", "passed_at_minutes": ""}
    log_curve = curves.logger_for(scenes.name, ARCHIVE, "cma-me", trial)

    def log(archive, done: int, seconds: float, last: bool = False) -> None:
        log_curve(archive, done, seconds, last)
        stats = archive.stats
        if done >= evaluations and "evaluations" not in record:
            record.update(
                evaluations=done,
                qd_score=float(stats.qd_score),
                coverage=float(stats.coverage),
                minutes=seconds / 60,
            )
        if stats.qd_score >= dsage and record["passed_at_evaluations"] == "":
            record.update(passed_at_evaluations=done, passed_at_minutes=seconds / 60)

    result = run_trial(
        CMA_ME,
        archive_preset(ARCHIVE),
        scenes,
        max(evaluations, beyond),
        trial,
        log,
        stop=lambda archive, done, seconds: done >= evaluations and archive.stats.qd_score >= dsage,
    )
    log(result.archive, result.evaluations, result.seconds, last=True)
    record.update(
        final_evaluations=result.evaluations,
        final_qd_score=result.qd_score,
        final_coverage=result.coverage,
        final_minutes=result.seconds / 60,
        archive=result.archive,
    )
    return record


def table(records: list[dict], evaluations: int) -> str:
    """Each trial at the protocol's budget and at its end, their mean ± s.d., and DSAGE's published rows."""
    lines = [
        f"| run | QD score at {evaluations} | coverage | minutes | passes DSAGE's "
        f"{PUBLISHED['DSAGE'][0]:.0f} at (evaluations, minutes) | at the end: evaluations, QD score, "
        "coverage, minutes |",
        "|---|---|---|---|---|---|",
    ]
    for r in records:
        passed = (
            f"{r['passed_at_evaluations']}, {r['passed_at_minutes']:.1f}"
            if r["passed_at_evaluations"] != ""
            else "not within the run"
        )
        lines.append(
            f"| ours, trial {r['trial']} | {r['qd_score']:.1f} | {r['coverage']:.4f} | {r['minutes']:.1f} | "
            f"{passed} | {r['final_evaluations']}, {r['final_qd_score']:.1f}, {r['final_coverage']:.4f}, "
            f"{r['final_minutes']:.1f} |"
        )
    if len(records) > 1:
        stats = {
            key: (np.mean([r[key] for r in records]), np.std([r[key] for r in records], ddof=1))
            for key in ("qd_score", "coverage", "minutes")
        }
        lines.append(
            f"| ours, mean ± s.d. of {len(records)} | "
            f"{stats['qd_score'][0]:.1f} ± {stats['qd_score'][1]:.1f} | "
            f"{stats['coverage'][0]:.4f} ± {stats['coverage'][1]:.4f} | "
            f"{stats['minutes'][0]:.1f} ± {stats['minutes'][1]:.1f} | | |"
        )
    for name, (score, spread, coverage) in PUBLISHED.items():
        lines.append(
            f"| {name}, DSAGE's README | {score:.1f} ± {spread:.1f} | {coverage:.2f} | not published | | |"
        )
    return "\n".join(lines)


def plot(curves: Path, generator: str, out: Path) -> None:
    """The QD score against evaluations and against minutes, with DSAGE's published scores."""
    published = {f"{name} (DSAGE's README)": score for name, (score, _, _) in PUBLISHED.items()}
    for x in ("evaluations", "seconds"):
        plot_curves(curves, generator, ARCHIVE, x, out / f"qd_{generator}_{x}.png", published)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--generator", choices=GENERATORS, default="gan", help="whose scenes (default: gan)")
    parser.add_argument("--trials", type=positive_int, default=TRIALS, help=f"trials (default {TRIALS})")
    parser.add_argument(
        "--evaluations",
        type=positive_int,
        default=EVALUATIONS,
        help=f"the protocol's budget, levels played per trial (default {EVALUATIONS})",
    )
    parser.add_argument(
        "--beyond",
        type=int,
        default=0,
        help="keep going up to this many evaluations in all until the QD score passes DSAGE's "
        "(default 0: stop at --evaluations)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a one-minute check: {QUICK['trials']} trials of {QUICK['evaluations']} evaluations",
    )
    add_simulator_arguments(parser)
    parser.add_argument(
        "--out",
        type=output_folder_path,
        default="experiments/results/dsage",
        help="folder for the CSV files and figures",
    )
    args = parser.parse_args()
    if args.quick:
        vars(args).update(QUICK)
    args.out.mkdir(parents=True, exist_ok=True)

    curves = Curves(args.out / "curves.csv", max(args.evaluations, args.beyond))
    records = []
    with open_simulator(args.workers, ray=args.ray) as simulator:
        scenes = Scenes(args.generator, simulator)
        for trial in range(args.trials):
            record = run(scenes, trial, args.evaluations, args.beyond, curves)
            archive = record.pop("archive")
            records.append(record)
            print(
                f"trial {trial}: QD score {record['qd_score']:.1f} at {record['evaluations']} evaluations "
                f"({record['minutes']:.1f} min); end: {record['final_qd_score']:.1f} at "
                f"{record['final_evaluations']} ({record['final_minutes']:.1f} min)",
                flush=True,
            )
            if trial == 0:
                save_heatmap(
                    archive,
                    args.out / f"heatmap_{args.generator}.png",
                    ARCHIVE,
                    f"CMA-ME, {args.generator} scenes, trial 0",
                )
                elites = scenes.save_elites(
                    archive, archive_preset(ARCHIVE), args.out / f"elites_{args.generator}.json"
                )
            write_csv(records, COLUMNS, args.out / "summary.csv")
            plot(curves.logger.path, args.generator, args.out)  # after each trial: a run cut short has them
    curves.close()
    print(table(records, args.evaluations))
    print(f"results: {args.out / 'summary.csv'}, {args.out / 'curves.csv'} and the figures in {args.out}")
    print(f"explore trial 0's archive: gym-mario-latent explore --archive {elites}")


if __name__ == "__main__":
    main()
