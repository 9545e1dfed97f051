"""Benchmark of the simulator jar: persistent `serve` workers against one JVM per level.

Plays a fixed sample of the VGLC 14x14 windows with the A* agent in one persistent JVM per core,
and the first levels of the same sample with the jar started once per level (the seed's way), then
times VGLC level 1-1 on a warm JVM. Prints levels per second, the speed-up, the win rate and the
distribution of per-level times.

    .venv/bin/python benchmarks/bench_simulator.py [--sample 300] [--anchor-levels 40] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from simulator_support import Server, ensure_jar, java, vglc_levels, vglc_windows

# Mario AI Framework's A* on its own 1-1, warm JVM, 20 s limit, measured on these machines
FRAMEWORK_1_1_SECONDS = 2.7
SPEEDUP_TARGET = 20
WARMUP_LEVELS = 150


def play_persistent(
    levels: list[str], warmup: list[str], workers: int
) -> tuple[float, list[float], list[str]]:
    """Plays `levels` on `workers` warm servers; returns wall time, per-level times, statuses."""
    chunks = [levels[i::workers] for i in range(workers)]
    servers = [Server() for _ in range(workers)]
    # a worker lives for a whole training run: warm its JIT on other windows before timing
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda server: [server.request(level=lv) for lv in warmup], servers))

    def run(args):
        server, chunk = args
        results = []
        for level in chunk:
            start = time.perf_counter()
            status = server.request(level=level)["telemetry"]["status"]
            results.append((time.perf_counter() - start, status))
        return results

    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        results = [r for chunk in pool.map(run, zip(servers, chunks, strict=True)) for r in chunk]
    wall = time.perf_counter() - start
    for server in servers:
        server.close()
    return wall, [t for t, _ in results], [s for _, s in results]


def play_one_jvm_per_level(levels: list[str], workers: int) -> float:
    """Plays `levels` starting the jar once per level, `workers` at a time; returns wall time."""
    command = [java(), "-jar", str(ensure_jar()), "eval", "-"]

    def run(level):
        subprocess.run(command, input=level, capture_output=True, text=True, check=True)

    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(run, levels))
    return time.perf_counter() - start


def time_level_1_1(repeats: int = 5) -> tuple[float, str]:
    """Best-of wall time of VGLC 1-1 on a warm JVM, and its status."""
    level = vglc_levels()["mario-1-1"]
    with Server() as server:
        for _ in range(3):
            server.request(level=level)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            status = server.request(level=level)["telemetry"]["status"]
            times.append(time.perf_counter() - start)
    return min(times), status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=300, help="windows to play (0: all)")
    parser.add_argument(
        "--anchor-levels", type=int, default=40, help="levels for the per-level JVM run"
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    ensure_jar()
    windows = vglc_windows()
    sample = random.Random(0).sample(windows, args.sample) if args.sample else windows
    warmup = random.Random(1).sample(windows, WARMUP_LEVELS)
    wall, times, statuses = play_persistent(sample, warmup, args.workers)
    ours = len(sample) / wall
    anchor_levels = sample[: args.anchor_levels]
    anchor = len(anchor_levels) / play_one_jvm_per_level(anchor_levels, args.workers)
    seconds_1_1, status_1_1 = time_level_1_1()

    quantiles = statistics.quantiles(times, n=100)
    print(f"VGLC 14x14 windows: {len(sample)} of {len(windows)}, {args.workers} worker(s)")
    print(f"{'measure':<34}{'anchor':>12}{'ours':>12}{'ratio':>10}")
    print(
        f"{'levels/s (one JVM per level)':<34}{anchor:>12.1f}{ours:>12.1f}{ours / anchor:>9.1f}x"
        f"  (target >= {SPEEDUP_TARGET}x)"
    )
    print(
        f"{'VGLC 1-1 wall s (warm, 20 s limit)':<34}{FRAMEWORK_1_1_SECONDS:>12.2f}"
        f"{seconds_1_1:>12.3f}{FRAMEWORK_1_1_SECONDS / seconds_1_1:>9.1f}x  ({status_1_1})"
    )
    print(f"win rate: {statuses.count('win') / len(statuses):.1%}  ", end="")
    print(", ".join(f"{s}: {statuses.count(s)}" for s in ("win", "lose", "timeout")))
    print(
        "per-level ms: "
        f"p50 {quantiles[49] * 1e3:.1f}, p90 {quantiles[89] * 1e3:.1f}, "
        f"p99 {quantiles[98] * 1e3:.1f}, max {max(times) * 1e3:.1f}, "
        f"mean {statistics.mean(times) * 1e3:.1f}"
    )


if __name__ == "__main__":
    main()
