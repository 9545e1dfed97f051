"""Benchmark of the explorer's playability map: how long a SIZE × SIZE map over [-BOUND, BOUND]² of the
2-d pretrained VAE takes on the worker pool (each distinct segment played once), and how long the same map
takes again from the disk cache in a new explorer (a fresh cache folder, removed afterwards).

    .venv/bin/python benchmarks/bench_explorer_map.py [--size 50] [--bound 5] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from gym_mario_latent.explorer.generator import load_generator
from gym_mario_latent.explorer.service import Explorer


def timed_map(explorer: Explorer, size: int, bound: float) -> tuple[float, object]:
    started = time.perf_counter()
    job = explorer.maps.start(explorer.map_spec(size, bound), "astar")
    while job.state in ("queued", "running"):
        time.sleep(0.05)
    if job.state != "done":
        raise SystemExit(f"the map failed: {job.error}")
    return time.perf_counter() - started, job


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=50, help="cells per side")
    parser.add_argument("--bound", type=float, default=5.0, help="half-width of the map in latent units")
    parser.add_argument("--workers", type=int, default=os.process_cpu_count(), help="simulator JVMs")
    args = parser.parse_args()
    generator = load_generator("pretrained")
    with tempfile.TemporaryDirectory() as cache:
        explorer = Explorer(generator, args.workers, cache_dir=Path(cache))
        explorer.pool("astar")  # the JVMs start before the clock
        try:
            seconds, job = timed_map(explorer, args.size, args.bound)
        finally:
            explorer.close()
        explorer = Explorer(generator, args.workers, cache_dir=Path(cache))
        explorer.pool("astar")
        try:
            cached_seconds, cached = timed_map(explorer, args.size, args.bound)
        finally:
            explorer.close()
    cells = args.size**2
    playable = job.result["status"].count("win")
    print(f"{args.size}×{args.size} map over [-{args.bound:g}, {args.bound:g}]², {args.workers} JVMs:")
    print("| measure | value |\n|---|---|")
    print(f"| cells | {cells} |\n| distinct segments played | {job.total} |\n| playable cells | {playable} |")
    print(
        f"| computed, seconds | {seconds:.1f} |\n| distinct segments per second | {job.total / seconds:.1f} |"
    )
    print(f"| from the disk cache (new explorer), seconds | {cached_seconds:.3f} (cached: {cached.cached}) |")


if __name__ == "__main__":
    main()
