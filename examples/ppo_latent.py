"""Stable-Baselines3 PPO in the VAE's latent space: a policy that builds levels segment by segment.

The designer setting, ``MarioLatentLevel-v0``: each step the policy reads the last latents it chose, picks
the next latent z, the VAE decodes it into a 14x14 segment, the A* agent plays the last two segments and the
reward preset scores the game. With the ``jumps`` preset (jumps in segments the agent gets through, the
MarioVAE blog's objective) the policy learns where the jumpy, still playable segments lie.

The native vector env decodes all lanes in one VAE pass and plays them in one batch on one shared pool of
JVMs; ``SB3VecEnv`` hands it to SB3 (it needs same-step autoreset). Prints the mean episode return of the
untrained policy (its Gaussian starts near the VAE's prior) and of the trained one, on the same evaluation
seeds, and saves the model.

    python examples/ppo_latent.py                          # the 2-d VAE, 4 lanes, 4 096 steps
    python examples/ppo_latent.py --checkpoint pretrained-32 --steps 20000 --reward edpcg
"""

import argparse
import time

import gymnasium as gym
import numpy as np
from stable_baselines3 import PPO
from stable_baselines3.common.evaluation import evaluate_policy
from stable_baselines3.common.vec_env import VecMonitor

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.cli.arguments import (
    add_generator_arguments,
    add_simulator_arguments,
    generator_keywords,
    output_folder_path,
)
from gym_mario_latent.files import output_file
from gym_mario_latent.integrations.sb3 import SB3VecEnv
from gym_mario_latent.simulator_bridge.backend import SimulatorBackend, open_simulator

# --- hyper-parameters ---------------------------------------------------------------------------------------
ENV_ID = "MarioLatentLevel-v0"
CHECKPOINT = "pretrained"  # the 2-d VAE; "pretrained-32" is the 32-d one
REWARD = "jumps"  # a preset of gym_mario_latent.latent.rewards: completion, win, jumps, edpcg
SEGMENTS = 5  # segments per episode (level of 5 x 14 columns)
NUM_ENVS = 4  # lanes of the vector env
TOTAL_STEPS = 4096  # agent steps (segments) of training, over all lanes
N_STEPS = 64  # rollout length per lane between updates
BATCH_SIZE = 64
N_EPOCHS = 10
LEARNING_RATE = 1e-3
GAMMA = 0.9  # a segment's worth is mostly its own jumps
EVAL_EPISODES = 20
SEED = 0


def make_envs(args: argparse.Namespace, simulator: SimulatorBackend) -> VecMonitor:
    """The latent vector env (same-step autoreset) as an SB3 ``VecEnv`` with episode statistics."""
    vector_env = gym.make_vec(
        ENV_ID,
        num_envs=args.envs,
        **generator_keywords(args),
        reward=args.reward,
        segments=args.segments,
        simulator=simulator,
        autoreset_mode="SameStep",
    )
    return VecMonitor(SB3VecEnv(vector_env))


def mean_return(model: PPO, envs: VecMonitor, episodes: int, seed: int) -> tuple[float, float]:
    """Mean and standard deviation of the episode return of ``model``'s stochastic policy."""
    envs.seed(seed)
    returns, _ = evaluate_policy(
        model, envs, n_eval_episodes=episodes, deterministic=False, return_episode_rewards=True
    )
    return float(np.mean(returns)), float(np.std(returns))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_generator_arguments(parser, CHECKPOINT)
    parser.add_argument("--reward", default=REWARD, help="reward preset")
    parser.add_argument("--segments", type=int, default=SEGMENTS, help="segments per episode")
    parser.add_argument("--envs", type=int, default=NUM_ENVS, help="lanes of the vector env")
    parser.add_argument("--steps", type=int, default=TOTAL_STEPS, help="training steps over all lanes")
    parser.add_argument("--eval-episodes", type=int, default=EVAL_EPISODES, help="episodes per evaluation")
    add_simulator_arguments(parser)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--out", type=output_folder_path, default="out/ppo_latent", help="folder for the model"
    )
    args = parser.parse_args()

    started = time.perf_counter()
    with open_simulator(
        args.workers, ray=args.ray
    ) as simulator:  # one pool of JVMs for training and evaluation
        train_envs, eval_envs = make_envs(args, simulator), make_envs(args, simulator)
        model = PPO(
            "MlpPolicy",
            train_envs,
            n_steps=N_STEPS,
            batch_size=BATCH_SIZE,
            n_epochs=N_EPOCHS,
            learning_rate=LEARNING_RATE,
            gamma=GAMMA,
            seed=args.seed,
            device="cpu",
        )
        before = mean_return(model, eval_envs, args.eval_episodes, args.seed + 1)
        print(
            f"before training: mean return {before[0]:.2f} ± {before[1]:.2f} "
            f"over {args.eval_episodes} episodes"
        )
        model.learn(total_timesteps=args.steps)
        after = mean_return(model, eval_envs, args.eval_episodes, args.seed + 1)
        print(
            f"after {args.steps} steps: mean return {after[0]:.2f} ± {after[1]:.2f} "
            f"over {args.eval_episodes} episodes"
        )
        saved = args.out / "ppo_latent.zip"
        with output_file(saved) as temporary:
            model.save(temporary)
        train_envs.close()
        eval_envs.close()
    print(f"model saved to {saved}; {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
