"""What the RLlib examples share: their command line (iterations, runners, lanes, a cluster address) and the
training loop that prints one line per iteration. Needs the ``rllib`` extra."""

import argparse
import time
from typing import Any

import gymnasium as gym
from ray.rllib.algorithms.ppo import PPOConfig


def add_rllib_arguments(parser: argparse.ArgumentParser, *, iterations: int, env_runners: int, lanes: int,
                        rollout_fragment: int) -> None:  # fmt: skip
    """``--iterations``, ``--env-runners``, ``--envs-per-runner``, ``--rollout-fragment``, ``--address`` and
    ``--seed``, with the example's defaults."""
    parser.add_argument("--iterations", type=int, default=iterations, help="PPO training iterations")
    parser.add_argument("--env-runners", type=int, default=env_runners, help="env runner actors")
    parser.add_argument("--envs-per-runner", type=int, default=lanes, help="lanes per runner")
    parser.add_argument("--rollout-fragment", type=int, default=rollout_fragment, help="steps per lane")
    parser.add_argument("--address", help="a Ray cluster's address (default: start a local Ray)")
    parser.add_argument("--seed", type=int, default=0, help="seed of RLlib and the envs")


def train_and_report(algorithm: Any, iterations: int) -> None:
    """Run ``iterations`` of ``algorithm.train()``, printing env steps, mean episode return and length and the
    seconds so far after each (``nan`` until an episode has ended)."""
    start = time.perf_counter()
    for iteration in range(1, iterations + 1):
        runners = algorithm.train()["env_runners"]
        print(
            f"iteration {iteration:4d}  env steps {runners['num_env_steps_sampled_lifetime']:8.0f}  "
            f"return {runners.get('episode_return_mean', float('nan')):8.2f}  "
            f"length {runners.get('episode_len_mean', float('nan')):7.1f}  "
            f"{time.perf_counter() - start:7.1f} s",
            flush=True,
        )


def vector_env_ppo(
    env: str, args: argparse.Namespace, *, minibatch: int, env_config: dict | None = None
) -> PPOConfig:
    """PPO on RLlib's new API stack whose env runners step the vector env that the registered creator
    ``env`` returns (``VECTOR_ENTRY_POINT``), with the command line's runners, lanes, rollout and seed; one
    train batch is one rollout of every lane of every runner. Add the example's ``training`` and
    ``rl_module``."""
    rollout = args.envs_per_runner * args.rollout_fragment
    return (
        PPOConfig()
        .environment(env, env_config=env_config or {})
        .env_runners(
            num_env_runners=args.env_runners,
            num_envs_per_env_runner=args.envs_per_runner,
            gym_env_vectorize_mode=gym.VectorizeMode.VECTOR_ENTRY_POINT,
            rollout_fragment_length=args.rollout_fragment,
        )
        .training(
            train_batch_size_per_learner=max(args.env_runners, 1) * rollout,
            minibatch_size=min(minibatch, rollout),
        )
        .debugging(seed=args.seed)
    )
