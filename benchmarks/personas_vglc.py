"""Plays the 15 VGLC levels with each A* persona and prints what each did, as simulator/README.md's table.

For every level and persona (``runner``, ``killer``, ``collector``; the runner is ``astar``): the
status, the completion, the kills and the coins, through the real bridge with the simulator's default
game settings (20 game seconds, node budget 2000, small Mario, 6 s stall limit) and no padding. The
games are deterministic, so the table is the same on every machine.

    .venv/bin/python benchmarks/personas_vglc.py [--workers N] [--time-limit SECONDS]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from simulator_support import vglc_levels

from gym_mario_latent.simulator_bridge import Simulator

PERSONAS = ("runner", "killer", "collector")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, help="simulator JVMs (default: one per CPU)")
    parser.add_argument("--time-limit", type=float, help="game seconds per level (default: the simulator's)")
    args = parser.parse_args()
    levels = vglc_levels()
    settings = {} if args.time_limit is None else {"time_limit": args.time_limit}
    results = {}
    for persona in PERSONAS:
        with Simulator(args.workers, agent=persona, padding=False, wall_time_limit=None, **settings) as sim:
            results[persona] = sim.evaluate_many(list(levels.values()), progress=True)
    header = " | ".join(f"{p}: completion, kills, coins" for p in PERSONAS)
    print(f"| level | {header} |")
    print("|---" * (1 + len(PERSONAS)) + "|")
    for i, name in enumerate(levels):
        cells = []
        for persona in PERSONAS:
            t = results[persona][i]
            cells.append(
                f"{t.completion:.2f}{'' if t.won else ' (' + t.status + ')'}, {t.kills_total}, {t.coins}"
            )
        print(f"| {name.removeprefix('mario-')} | " + " | ".join(cells) + " |")
    totals = []
    for persona in PERSONAS:
        played = results[persona]
        wins = sum(t.won for t in played)
        totals.append(
            f"{wins}/{len(played)} won, {sum(t.kills_total for t in played)}, {sum(t.coins for t in played)}"
        )
    print("| all | " + " | ".join(totals) + " |")


if __name__ == "__main__":
    main()
