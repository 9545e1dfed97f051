"""Benchmark of the latent-level envs and the batch API, on both shipped VAEs.

Prints, for the 2-d and the 32-d VAE:
- steps/s of ``MarioLatent-v0`` (one segment per episode) and of 10-segment ``MarioLatentLevel-v0``
  episodes: the single env against its target (200 steps/s), and the vector env (N = 2, 8) against the
  single env (target: N = 8 at >= 1.7x);
- evaluations/s of ``evaluate_latents`` against the raw pool, ``Simulator.evaluate_many`` on the same
  decoded segments without a cache;
- one LSI-sized run (Fontaine et al.: 10 000 evaluations of prior samples) in seconds, against the target
  of 20 s (their MAF-based evaluator spends about a second a level: hours a run).

Actions and latents are drawn from the prior N(0, I) with fixed seeds. The env rows are measured
interleaved: the single env and the vector envs play the same new latents in each of ``--rounds`` rounds
(after a warm-up round: JVM start and JIT are not timed) and the best round of each is shown, so load from
other jobs hits all alike. The cache is on, as by default; the ``distinct`` column says how many of the
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
from gym_mario_latent.latent.evaluation import LatentEvaluator
from gym_mario_latent.simulator_bridge import Simulator

SINGLE_TARGET = 200.0  # steps/s
VECTOR_TARGET = 1.7  # N = 8 over the single env
LSI_EVALUATIONS = 10_000
LSI_TARGET_SECONDS = 20.0
FONTAINE_SECONDS_PER_LEVEL = 1.0
WARMUP_STEPS = 200
VECTOR_SIZES = (2, 8)


def prior_latents(seed: int, count: int, z_dim: int, bound: float) -> np.ndarray:
    """``count`` latents drawn from the prior N(0, I), clipped to the action bound."""
    return np.clip(np.random.default_rng(seed).standard_normal((count, z_dim)), -bound, bound).astype(
        np.float32
    )


def steps_per_second(env: gym.Env | gym.vector.VectorEnv, latents: np.ndarray) -> float:
    """Agent steps/s of playing ``latents`` in order (a vector env takes them num_envs at a time)."""
    lanes = getattr(env, "num_envs", 1)
    env.reset(seed=0)
    start = time.perf_counter()
    if lanes == 1:
        for z in latents:
            if env.step(z)[2]:
                env.reset()
    else:
        for batch in latents[: len(latents) // lanes * lanes].reshape(-1, lanes, latents.shape[1]):
            env.step(batch)  # NEXT_STEP autoreset
    return len(latents) // lanes * lanes / (time.perf_counter() - start)


def env_rates(env_id: str, checkpoint: str, steps: int, rounds: int) -> dict[int, float]:
    """Best steps/s over ``rounds`` of the single env (key 1) and the vector env (N = 2, 8), measured
    interleaved: every round plays the same new latents in each, so load and the cache affect all alike."""
    envs = {1: gym.make(env_id, checkpoint=checkpoint)}
    envs |= {n: gym.make_vec(env_id, num_envs=n, checkpoint=checkpoint) for n in VECTOR_SIZES}
    z_dim, bound = envs[1].unwrapped.z_dim, envs[1].unwrapped.options.action_bound
    best = dict.fromkeys(envs, 0.0)
    for round_ in range(rounds + 1):  # round 0 warms the JVMs up and is not counted
        latents = prior_latents(round_, WARMUP_STEPS if round_ == 0 else steps, z_dim, bound)
        for lanes, env in envs.items():
            rate = steps_per_second(env, latents)
            best[lanes] = max(best[lanes], rate) if round_ else 0.0
    for env in envs.values():
        env.close()
    return best


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
    parser.add_argument(
        "--steps", type=int, default=800, help="timed agent steps per configuration and round"
    )
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the best of each is shown")
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
            rates = env_rates(env_id, checkpoint, args.steps, args.rounds)
            row(f"{label} single env, steps/s", SINGLE_TARGET, rates[1], f"(target >= {SINGLE_TARGET:.0f}/s)")
            for num_envs in VECTOR_SIZES:
                note = f"(target >= {VECTOR_TARGET}x)" if num_envs == 8 else ""
                row(f"{label} vector N={num_envs} vs single, steps/s", rates[1], rates[num_envs], note)
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
