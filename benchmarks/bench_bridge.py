"""Benchmark of the simulator bridge: `Simulator.evaluate_many` on persistent workers against
`LegacyJar` (one JVM per level, MarioVAE's way) running our own jar.

Plays the VGLC 14x14 window sample of benchmarks/bench_simulator.py (300 windows, seed 0) with
1 and 2 warm workers, and the first levels of the same sample through `LegacyJar`, one after
another as MarioVAE's simulator.py does. Both sides play the windows as they are (no padding)
with the same agent and limits, so their telemetry must agree; the table says whether it does.
With ``--memory`` it instead plays 10 000 small levels in one `Simulator` and prints the resident
memory of Python and of the JVMs at the start and at the end.

    .venv/bin/python benchmarks/bench_bridge.py [--sample 300] [--anchor-levels 40]
    .venv/bin/python benchmarks/bench_bridge.py --memory [--evaluations 10000]
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from simulator_support import vglc_windows

from gym_mario_latent.simulator_bridge import LegacyJar, Simulator, ensure_jar
from gym_mario_latent.simulator_bridge.runtime import ONE_LEVEL_JVM_OPTIONS

SPEEDUP_TARGET = 20
WARMUP_LEVELS = 300
MiB = 1024 * 1024


def levels_per_second(workers: int, sample: list[str], warmup: list[str]) -> tuple[float, list]:
    """Levels/s of `evaluate_many` on `workers` warm JVMs, and the telemetry of the sample."""
    with Simulator(workers=workers, padding=False) as simulator:
        simulator.evaluate_many(warmup)  # a worker lives for a whole run: time it warm
        start = time.perf_counter()
        results = simulator.evaluate_many(sample)
        return len(sample) / (time.perf_counter() - start), results


def legacy_levels_per_second(levels: list[str]) -> tuple[float, list]:
    """Levels/s of `LegacyJar` on our jar, one JVM per level, and the telemetry."""
    legacy = LegacyJar(ensure_jar(), jvm_options=ONE_LEVEL_JVM_OPTIONS)
    start = time.perf_counter()
    results = legacy.evaluate_many(levels)
    return len(levels) / (time.perf_counter() - start), results


def speed(args: argparse.Namespace) -> None:
    windows = vglc_windows()
    sample = random.Random(0).sample(windows, args.sample)
    warmup = random.Random(1).sample(windows, WARMUP_LEVELS)
    anchor_levels = sample[: args.anchor_levels]
    anchor, anchor_results = legacy_levels_per_second(anchor_levels)
    print(f"VGLC 14x14 windows: {len(sample)} of {len(windows)}; anchor: {len(anchor_levels)} levels")
    print(f"{'levels/s':<34}{'anchor':>10}{'ours':>10}{'ratio':>10}")
    for workers in (1, 2):
        ours, results = levels_per_second(workers, sample, warmup)
        target = f"  (target >= {SPEEDUP_TARGET}x)" if workers == 2 else ""
        label = f"evaluate_many, {workers} worker{'s' * (workers > 1)}"
        print(f"{label:<34}{anchor:>10.1f}{ours:>10.1f}{ours / anchor:>9.1f}x{target}")
    same = sum(a.to_dict() == b.to_dict() for a, b in zip(anchor_results, results, strict=False))
    wins = sum(t.won for t in results)
    print(f"anchor levels with identical telemetry: {same} of {len(anchor_levels)}; ours won {wins}")


def memory(args: argparse.Namespace) -> None:
    windows = vglc_windows()
    levels = list(itertools.islice(itertools.cycle(windows), args.evaluations))
    python = psutil.Process()
    print(f"{len(levels)} evaluations of 14x14 windows, one Simulator (2 workers, warmed on {WARMUP_LEVELS})")
    print(f"{'evaluations':>12}{'Python RSS MiB':>16}{'JVMs RSS MiB':>16}{'seconds':>10}")
    with Simulator(workers=2, padding=False) as simulator:

        def report(done: int, start: float) -> None:
            jvms = sum(psutil.Process(pid).memory_info().rss for pid in simulator.worker_pids) / MiB
            seconds = time.perf_counter() - start
            print(f"{done:>12}{python.memory_info().rss / MiB:>16.1f}{jvms:>16.1f}{seconds:>10.1f}")

        simulator.evaluate_many(windows[:WARMUP_LEVELS])
        done, start = 0, time.perf_counter()
        report(done, start)
        for chunk in itertools.batched(levels, max(1, args.evaluations // 5), strict=False):
            simulator.evaluate_many(chunk)
            done += len(chunk)
            report(done, start)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sample", type=int, default=300, help="windows for evaluate_many")
    parser.add_argument("--anchor-levels", type=int, default=40, help="windows for LegacyJar")
    parser.add_argument("--memory", action="store_true", help="measure memory over many evaluations")
    parser.add_argument("--evaluations", type=int, default=10_000, help="evaluations for --memory")
    args = parser.parse_args()
    memory(args) if args.memory else speed(args)


if __name__ == "__main__":
    main()
