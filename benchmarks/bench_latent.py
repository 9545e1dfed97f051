"""Benchmark of the latent-level envs and the batch API, on both shipped VAEs.

Prints, for the 2-d and the 32-d VAE:
- steps/s of ``MarioLatent-v0`` (one segment per episode) and of 10-segment ``MarioLatentLevel-v0``
  episodes: the single env against its target (200 steps/s), and the vector env (N = 2, 8) against the
  single env (target: N = 8 at >= 1.7x);
- evaluations/s of ``evaluate_latents`` against the raw pool, ``Simulator.evaluate_many`` on the same
  decoded segments without a cache;
- one LSI-sized run (Fontaine et al.: 10 000 evaluations of prior samples) in seconds, against the target
  of 20 s (their MAF-based evaluator spends about a second a level: hours a run).

Actions and latents are drawn from the prior N(0, I) with a fixed seed; every env is warmed up first (JVM
start and JIT are not timed). The cache is on, as by default; the ``distinct`` column says how many of the
decodes were distinct levels (argmax decoding maps many latents to one segment).

    .venv/bin/python benchmarks/bench_latent.py [--steps 1000] [--checkpoints pretrained pretrained-32]
"""

from __future__ import annotations

import argparse
import os
import time

import gymnasium as gym
import numpy as np

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.envs.latent_evaluation import LatentEvaluator
from gym_mario_latent.simulator_bridge import Simulator

SINGLE_TARGET = 200.0  # steps/s
VECTOR_TARGET = 1.7  # N = 8 over the single env
LSI_EVALUATIONS = 10_000
LSI_TARGET_SECONDS = 20.0
FONTAINE_SECONDS_PER_LEVEL = 1.0
WARMUP_STEPS = 200


def prior_actions(rng: np.random.Generator, shape: tuple[int, ...], bound: float) -> np.ndarray:
    return np.clip(rng.standard_normal(shape), -bound, bound).astype(np.float32)


def single_steps_per_second(env_id: str, checkpoint: str, steps: int, seed: int) -> float:
    env = gym.make(env_id, checkpoint=checkpoint)
    rng = np.random.default_rng(seed)
    bound, z_dim = env.unwrapped.options.action_bound, env.unwrapped.z_dim

    def run(count: int) -> float:
        env.reset(seed=seed)
        start = time.perf_counter()
        for _ in range(count):
            _, _, terminated, _, _ = env.step(prior_actions(rng, (z_dim,), bound))
            if terminated:
                env.reset()
        return count / (time.perf_counter() - start)

    run(WARMUP_STEPS)
    rate = run(steps)
    env.close()
    return rate


def vector_steps_per_second(env_id: str, checkpoint: str, num_envs: int, steps: int, seed: int) -> float:
    """Agent steps/s (lanes × vector steps) of the native vector env."""
    envs = gym.make_vec(env_id, num_envs=num_envs, checkpoint=checkpoint)
    rng = np.random.default_rng(seed)
    bound, z_dim = envs.unwrapped.options.action_bound, envs.unwrapped.z_dim

    def run(count: int) -> float:
        envs.reset(seed=seed)
        vector_steps = max(1, count // num_envs)
        start = time.perf_counter()
        for _ in range(vector_steps):
            envs.step(prior_actions(rng, (num_envs, z_dim), bound))
        return vector_steps * num_envs / (time.perf_counter() - start)

    run(WARMUP_STEPS)
    rate = run(steps)
    envs.close()
    return rate


def batch_api(checkpoint: str, evaluations: int, seed: int) -> tuple[float, float, int, float]:
    """(evaluate_latents evals/s, raw evaluate_many levels/s, distinct levels, LSI-run seconds)."""
    rng = np.random.default_rng(seed)
    with Simulator() as simulator:
        evaluator = LatentEvaluator(checkpoint, simulator)
        warmup = rng.standard_normal((WARMUP_STEPS, evaluator.z_dim)).astype(np.float32)
        simulator.evaluate_many(evaluator.decode(warmup))
        z = rng.standard_normal((evaluations, evaluator.z_dim)).astype(np.float32)
        segments = evaluator.decode(z)
        start = time.perf_counter()
        simulator.evaluate_many(segments)
        raw = evaluations / (time.perf_counter() - start)
        start = time.perf_counter()
        evaluator.evaluate_latents(z)
        api = evaluations / (time.perf_counter() - start)
        distinct = len({segment.tobytes() for segment in segments})
        lsi_evaluator = LatentEvaluator(checkpoint, simulator)  # a fresh cache, as a new run has
        lsi_z = rng.standard_normal((LSI_EVALUATIONS, evaluator.z_dim)).astype(np.float32)
        start = time.perf_counter()
        for chunk in np.array_split(lsi_z, LSI_EVALUATIONS // 100):  # 100 per iteration, like 5 emitters × 20
            lsi_evaluator.evaluate_latents(chunk)
        lsi_seconds = time.perf_counter() - start
    return api, raw, distinct, lsi_seconds


def row(label: str, anchor: float, ours: float, note: str = "") -> None:
    print(f"{label:<46}{anchor:>10.1f}{ours:>10.1f}{ours / anchor:>8.2f}x  {note}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=1000, help="timed agent steps per configuration")
    parser.add_argument("--evaluations", type=int, default=3000, help="latents for the batch-API rows")
    parser.add_argument("--checkpoints", nargs="+", default=["pretrained", "pretrained-32"])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(f"{os.process_cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} before the run")
    for checkpoint in args.checkpoints:
        print(f"\n== {checkpoint} ==")
        print(f"{'':<46}{'anchor':>10}{'ours':>10}{'ratio':>9}")
        for env_id, label in (
            ("MarioLatent-v0", "MarioLatent-v0"),
            ("MarioLatentLevel-v0", "Level-v0 (10 seg.)"),
        ):
            single = single_steps_per_second(env_id, checkpoint, args.steps, args.seed)
            row(f"{label} single env, steps/s", SINGLE_TARGET, single, f"(target >= {SINGLE_TARGET:.0f}/s)")
            for num_envs in (2, 8):
                vector = vector_steps_per_second(env_id, checkpoint, num_envs, args.steps, args.seed)
                note = f"(target >= {VECTOR_TARGET}x)" if num_envs == 8 else ""
                row(f"{label} vector N={num_envs} vs single, steps/s", single, vector, note)
        api, raw, distinct, lsi_seconds = batch_api(checkpoint, args.evaluations, args.seed)
        row(
            "evaluate_latents vs raw evaluate_many, evals/s",
            raw,
            api,
            f"({distinct} of {args.evaluations} distinct)",
        )
        fontaine = LSI_EVALUATIONS * FONTAINE_SECONDS_PER_LEVEL
        # fewer seconds is better: the ratio is target / ours
        label, ratio = "LSI-sized run, 10 000 evaluations, seconds", LSI_TARGET_SECONDS / lsi_seconds
        print(
            f"{label:<46}{LSI_TARGET_SECONDS:>10.1f}{lsi_seconds:>10.1f}{ratio:>8.2f}x  "
            f"(target <= {LSI_TARGET_SECONDS:.0f} s; Fontaine et al. ~{fontaine:.0f} s)"
        )
    print(f"\nload average {os.getloadavg()[0]:.2f} after the run")


if __name__ == "__main__":
    main()
