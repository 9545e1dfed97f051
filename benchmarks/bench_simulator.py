"""Benchmark of the simulator jar: persistent `serve` workers against one JVM per level.

Plays a fixed sample of the VGLC 14x14 windows with the A* agent in one persistent JVM per core,
and the first levels of the same sample with the jar started once per level (the seed's way), then
times VGLC level 1-1 on a warm JVM. Each side runs `java` with the options PROTOCOL.md recommends
for it (long-lived workers, one-level JVMs).
Prints levels per second and CPU time per level against the anchor, the win rate and the
distribution of per-level times.

    .venv/bin/python benchmarks/bench_simulator.py [--sample 300] [--anchor-levels 40] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import psutil
from simulator_support import (
    JVM_OPTIONS,
    WORKER_JVM_OPTIONS,
    Server,
    ensure_jar,
    java,
    vglc_levels,
    vglc_windows,
)

# Mario AI Framework's A* on its own 1-1, warm JVM, 20 s limit, measured on these machines
FRAMEWORK_1_1_SECONDS = 2.7
SPEEDUP_TARGET = 20
WARMUP_LEVELS = 300


def cpu_seconds(processes: list[psutil.Process]) -> float:
    """User + system CPU time used so far by `processes`."""
    return sum(sum(p.cpu_times()[:2]) for p in processes)


def play_persistent(
    levels: list[str], warmup: list[str], workers: int
) -> tuple[float, float, list[float], list[str]]:
    """Plays `levels` on `workers` warm servers.

    Returns:
        Wall time, CPU time of the workers, per-level times and statuses.
    """
    chunks = [levels[i::workers] for i in range(workers)]
    servers = [Server(WORKER_JVM_OPTIONS) for _ in range(workers)]
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

    processes = [psutil.Process(server.process.pid) for server in servers]
    cpu_start = cpu_seconds(processes)
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        results = [r for chunk in pool.map(run, zip(servers, chunks, strict=True)) for r in chunk]
    wall = time.perf_counter() - start
    cpu = cpu_seconds(processes) - cpu_start
    for server in servers:
        server.close()
    return wall, cpu, [t for t, _ in results], [s for _, s in results]


def play_one_jvm_per_level(levels: list[str], workers: int) -> tuple[float, float]:
    """Plays `levels` with one JVM per level, `workers` at a time; returns wall and CPU time."""
    command = [java(), *JVM_OPTIONS, "-jar", str(ensure_jar()), "eval", "-"]

    def run(level):
        subprocess.run(command, input=level, capture_output=True, text=True, check=True)

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(run, levels))
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime
    return wall, cpu


def time_level_1_1(repeats: int = 5) -> tuple[float, str]:
    """Best-of wall time of VGLC 1-1 on a warm JVM, and its status."""
    level = vglc_levels()["mario-1-1"]
    with Server(WORKER_JVM_OPTIONS) as server:
        for _ in range(3):
            server.request(level=level)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            status = server.request(level=level)["telemetry"]["status"]
            times.append(time.perf_counter() - start)
    return min(times), status


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sample", type=int, default=300, help="windows to play (0: all)")
    parser.add_argument("--anchor-levels", type=int, default=40, help="levels for the per-level JVM run")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    ensure_jar()
    windows = vglc_windows()
    sample = random.Random(0).sample(windows, args.sample) if args.sample else windows
    warmup = random.Random(1).sample(windows, WARMUP_LEVELS)
    wall, cpu, times, statuses = play_persistent(sample, warmup, args.workers)
    ours = len(sample) / wall
    ours_cpu_ms = cpu / len(sample) * 1e3
    anchor_levels = sample[: args.anchor_levels]
    anchor_wall, anchor_cpu = play_one_jvm_per_level(anchor_levels, args.workers)
    anchor = len(anchor_levels) / anchor_wall
    anchor_cpu_ms = anchor_cpu / len(anchor_levels) * 1e3
    seconds_1_1, status_1_1 = time_level_1_1()

    quantiles = statistics.quantiles(times, n=100)
    print(f"VGLC 14x14 windows: {len(sample)} of {len(windows)}, {args.workers} worker(s)")
    print(f"{'measure':<34}{'anchor':>12}{'ours':>12}{'ratio':>10}")
    print(
        f"{'levels/s (one JVM per level)':<34}{anchor:>12.1f}{ours:>12.1f}{ours / anchor:>9.1f}x"
        f"  (target >= {SPEEDUP_TARGET}x)"
    )
    print(
        f"{'CPU ms per level':<34}{anchor_cpu_ms:>12.1f}{ours_cpu_ms:>12.2f}"
        f"{anchor_cpu_ms / ours_cpu_ms:>9.1f}x  (load-independent)"
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
