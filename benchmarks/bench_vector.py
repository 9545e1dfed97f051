"""Frames per second of the native vector env against our single env and Gymnasium's AsyncVectorEnv.

    .venv/bin/python benchmarks/bench_vector.py [--frames 12000] [--repeats 2] [--lanes 1 2 4 8 16]

Anchors: our single env (``bench_nes.env_frames_per_second``: ``gym.make`` + ``JoypadSpace``, one core) and
``gym.make_vec(id, N, vectorization_mode="async")`` (one process per single env). Ours is
``gym.make_vec(id, N)``, the native vector env with its default 2 threads. Every run plays ``--frames`` NES
frames in total (over all lanes) with random SIMPLE_MOVEMENT buttons, autoresets included; creating the
envs and the first reset are not timed. Each figure is the best of ``--repeats`` runs, to damp noise from
other processes; the load average is printed beside the table. Target: vector env >= 1.8x the single env
for N >= 2.

A second table times the first reset of ``gym.make_vec(id, N)`` (CPU time of this process, all threads):
the lanes share one start snapshot, so only the first lane runs the title screen. The anchor is N times the
first reset of one single env (what N lanes replaying the title screen would cost).
"""

import argparse
import os
import time

import gymnasium as gym
import numpy as np
from bench_nes import env_frames_per_second, vector_env_frames_per_second

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.actions import SIMPLE_MOVEMENT, joypad_bitmaps

ENV_ID = "SuperMarioBros-1-1-v0"
TARGET_RATIO = 1.8


def vector_frames_per_second(
    env_id: str, lanes: int, frames: int, seed: int, mode: str | None
) -> tuple[float, float]:
    """NES frames/s over all lanes of ``gym.make_vec(env_id, lanes, mode)``, and the cores kept busy.

    Cores kept busy is this process's CPU time over wall time (async worker processes are not counted).
    """
    frame_skip = gym.spec(env_id).kwargs["frame_skip"]
    steps = max(1, frames // (lanes * frame_skip))
    buttons = np.array(joypad_bitmaps(SIMPLE_MOVEMENT))
    actions = buttons[np.random.default_rng(seed).integers(len(buttons), size=(steps, lanes))]
    envs = gym.make_vec(env_id, num_envs=lanes, vectorization_mode=mode)
    return vector_env_frames_per_second(envs, frame_skip, actions, seed)


def first_reset_cpu_seconds(env_id: str, lanes: int | None) -> float:
    """CPU seconds of the first reset of a new single env (``lanes=None``) or of a vector env of N lanes."""
    env = gym.make(env_id) if lanes is None else gym.make_vec(env_id, num_envs=lanes)
    start = time.process_time()
    env.reset(seed=0)
    elapsed = time.process_time() - start
    env.close()
    return elapsed


def print_first_reset_table(lane_counts: list[int], repeats: int) -> None:
    """The vector env's first reset against N single envs' first resets."""
    single = min(first_reset_cpu_seconds(ENV_ID, None) for _ in range(repeats))
    print(
        f"\nfirst reset, CPU s, best of {repeats}; anchor: N x one single env's first reset ({single:.3f} s)"
    )
    print(f"{'N':>3} {'N single resets':>16} {'vector reset':>13} {'ratio':>7}")
    for lanes in lane_counts:
        ours = min(first_reset_cpu_seconds(ENV_ID, lanes) for _ in range(repeats))
        print(f"{lanes:>3} {lanes * single:>16.3f} {ours:>13.3f} {ours / (lanes * single):>7.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--frames", type=int, default=12000, help="NES frames per timed run, all lanes")
    parser.add_argument("--repeats", type=int, default=2, help="timed runs per configuration (best kept)")
    parser.add_argument("--lanes", type=int, nargs="+", default=[1, 2, 4, 8, 16], help="numbers of lanes N")
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0))
    print(f"{ENV_ID}, {cores} cores, load average before: {os.getloadavg()[0]:.2f}")
    print(f"{args.frames} frames per run, best of {args.repeats}; figures are NES frames/s over all lanes")
    single = max(env_frames_per_second(ENV_ID, args.frames, seed=repeat) for repeat in range(args.repeats))
    print(f"anchor: our single env {single:.0f} frames/s")
    columns = (("N", 3), ("single env", 11), ("async", 8), ("vector", 8), ("cores used", 11))
    print(" ".join(f"{name:>{width}}" for name, width in columns), "vector/single vector/async")
    for lanes in args.lanes:
        best = {}
        for mode in ("async", "vector_entry_point"):
            best[mode] = max(
                vector_frames_per_second(ENV_ID, lanes, args.frames, seed=repeat, mode=mode)
                for repeat in range(args.repeats)
            )
        (ours, cores_used), (other, _) = best["vector_entry_point"], best["async"]
        verdict = "ok" if ours / single >= TARGET_RATIO else f"below {TARGET_RATIO}"
        if lanes == 1:
            verdict = "(one lane: one core's work, no target)"
        print(
            f"{lanes:>3} {single:>11.0f} {other:>8.0f} {ours:>8.0f} {cores_used:>11.2f} "
            f"{ours / single:>12.2f}x {ours / other:>11.2f}x  {verdict}"
        )
    print_first_reset_table(args.lanes, args.repeats)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
