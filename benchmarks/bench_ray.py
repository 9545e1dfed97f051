"""Benchmark of RaySimulator against the local Simulator on this machine.

Plays the same sample of VGLC 14x14 windows on the local JVM pool and on a RaySimulator over a local Ray
with as many actors (both warmed up on other windows first, and checked to give the same telemetry), sizes
what one level costs on the wire (its request text and its telemetry, as Ray pickles them), and measures
the dispatch ceiling of one driver: levels per second evaluate_many hands out when each actor's method
does nothing (the levels are still checked and padded here, as for real).

    .venv/bin/python benchmarks/bench_ray.py [--sample 2000] [--workers 2] [--ceiling-levels 50000]
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import psutil
import ray
from simulator_support import vglc_windows

from gym_mario_latent.simulator_bridge import RaySimulator, Simulator, Telemetry
from gym_mario_latent.simulator_bridge.ray_simulator import CHUNK_LEVELS

TARGET_RATIO = 0.8
WARMUP_LEVELS = 300


class NoOpActor:
    """An actor that plays nothing: each level comes back as an empty telemetry."""

    def __init__(self, options: dict, expected: object) -> None:
        self.nothing = Telemetry()

    def worker_pids(self) -> list[int]:
        return []

    def play(self, texts: list[str]) -> list[Telemetry]:
        return [self.nothing] * len(texts)

    def close(self) -> None:
        pass


class NoOpRaySimulator(RaySimulator):
    actor_class = NoOpActor


def levels_per_second(simulator, levels: list[str], warmup: list[str]) -> tuple[float, list[Telemetry]]:
    simulator.evaluate_many(warmup)
    start = time.perf_counter()
    results = simulator.evaluate_many(levels)
    return len(levels) / (time.perf_counter() - start), results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sample", type=int, default=2000, help="windows to play")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="JVMs / actors")
    parser.add_argument("--ceiling-levels", type=int, default=50_000, help="levels handed to no-op actors")
    args = parser.parse_args()

    windows = vglc_windows()
    sample = random.Random(0).choices(windows, k=args.sample)
    warmup = random.Random(1).sample(windows, WARMUP_LEVELS)
    with Simulator(workers=args.workers) as local:
        jvms = [psutil.Process(pid) for pid in local.worker_pids]
        cpu_start = sum(sum(jvm.cpu_times()[:2]) for jvm in jvms)
        local_rate, local_results = levels_per_second(local, sample, warmup)
        cpu_ms = (
            (sum(sum(jvm.cpu_times()[:2]) for jvm in jvms) - cpu_start) / (len(sample) + len(warmup)) * 1e3
        )
        texts = local.requests.prepare_many(sample[:CHUNK_LEVELS])
    ray.init(
        num_cpus=args.workers, include_dashboard=False, object_store_memory=200 * 2**20, log_to_driver=False
    )
    with RaySimulator(workers=args.workers) as on_ray:
        ray_rate, ray_results = levels_per_second(on_ray, sample, warmup)
    sent = len(pickle.dumps(texts, protocol=5)) / len(texts)
    received = len(pickle.dumps(local_results[:CHUNK_LEVELS], protocol=5)) / CHUNK_LEVELS
    with NoOpRaySimulator(workers=args.workers) as no_op:
        ceiling, _ = levels_per_second(
            no_op, random.Random(2).choices(windows, k=args.ceiling_levels), warmup
        )
    ray.shutdown()

    print(f"VGLC 14x14 windows: {len(sample)}, {args.workers} worker(s), chunks of {CHUNK_LEVELS} levels")
    print(f"{'measure':<40}{'anchor':>12}{'ours':>12}{'ratio':>10}")
    print(
        f"{'levels/s (local Simulator vs Ray)':<40}{local_rate:>12.1f}{ray_rate:>12.1f}"
        f"{ray_rate / local_rate:>9.2f}x  (target >= {TARGET_RATIO}x)"
    )
    print(f"{'bytes sent per level (request text)':<40}{'':>12}{sent:>12.0f}")
    print(f"{'bytes received per level (telemetry)':<40}{'':>12}{received:>12.0f}")
    print(
        f"{'driver ceiling levels/s (no-op actors)':<40}{local_rate:>12.1f}{ceiling:>12.0f}"
        f"{ceiling / local_rate:>9.1f}x  (machines like this one a driver can feed)"
    )
    print(
        f"one JVM: {cpu_ms:.2f} CPU ms per level = {1e3 / cpu_ms:.0f} levels/s per core (load-independent); "
        f"the ceiling feeds ~{ceiling * cpu_ms / 1e3:.0f} such cores"
    )
    print(f"telemetry identical to the local pool: {ray_results == local_results}")


if __name__ == "__main__":
    main()
