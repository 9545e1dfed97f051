"""RLlib PPO in the VAE's latent space (RLlib's new API stack): a designer policy that builds levels segment
by segment, with every env runner playing its games on one RaySimulator shared by all of them.

The designer setting, ``MarioLatentLevel-v0``: each step the policy reads the last latents it chose (flattened
to one vector for RLlib's MLP), picks the next latent, the VAE decodes it and the A* agent plays the new
segment with the one before it. The driver starts one ``RaySimulator`` (a pool of JVM actors) and puts it in
the env config; each env runner unpickles it as a view on the same actors, so the cluster runs one pool of
JVMs however many runners there are. Each runner steps the package's native latent vector env (one VAE pass
and one batch of games for all its lanes). Prints one line per iteration. Needs the ``rllib`` extra.

    python examples/rllib_latent.py --iterations 20                                  # a local Ray
    python examples/rllib_latent.py --address HEAD:6379 --env-runners 8 --simulator-workers 64   # a cluster
"""

import argparse
import time

import gymnasium as gym
import ray
from gymnasium.wrappers.vector import FlattenObservation
from ray import tune
from ray.rllib.algorithms.ppo import PPOConfig
from ray.rllib.core.rl_module.default_model_config import DefaultModelConfig

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.simulator_bridge import RaySimulator

# --- hyper-parameters ---------------------------------------------------------------------------------------
ENV_ID = "gym_mario_latent:MarioLatentLevel-v0"  # module-qualified: resolves on any runner
CHECKPOINT = "pretrained"  # the 2-d VAE; "pretrained-32" is the 32-d one
REWARD = "jumps"  # a preset of gym_mario_latent.envs.latent_rewards: completion, win, jumps, edpcg
SEGMENTS = 5  # segments per episode
ENV_RUNNERS = 1
ENVS_PER_RUNNER = 4
SIMULATOR_WORKERS = 1  # JVM actors of the shared pool (one CPU each)
ROLLOUT_FRAGMENT = 32  # steps per lane between updates
LEARNING_RATE = 3e-4
GAMMA = 0.9  # a segment's worth is mostly its own jumps
EPOCHS = 10
MINIBATCH = 64
HIDDEN = [64, 64]
ITERATIONS = 20


def make_designer(config: dict) -> gym.vector.VectorEnv:
    """RLlib's env creator: the latent vector env of ``config["num_envs"]`` lanes on the shared simulator."""
    envs = gym.make_vec(
        ENV_ID,
        num_envs=config.get("num_envs", ENVS_PER_RUNNER),
        vectorization_mode="vector_entry_point",
        checkpoint=CHECKPOINT,
        reward=REWARD,
        segments=SEGMENTS,
        simulator=config["simulator"],
    )
    return FlattenObservation(envs)  # (history, z_dim) → one vector for RLlib's MLP


def build_config(args: argparse.Namespace, simulator: RaySimulator) -> PPOConfig:
    """PPO on the new API stack with the hyper-parameters above."""
    lanes = args.envs_per_runner
    return (
        PPOConfig()
        .environment("gym_mario_latent-designer", env_config={"simulator": simulator})
        .env_runners(
            num_env_runners=args.env_runners,
            num_envs_per_env_runner=lanes,
            gym_env_vectorize_mode=gym.VectorizeMode.VECTOR_ENTRY_POINT,
            rollout_fragment_length=args.rollout_fragment,
        )
        .training(
            train_batch_size_per_learner=max(args.env_runners, 1) * lanes * args.rollout_fragment,
            minibatch_size=min(MINIBATCH, lanes * args.rollout_fragment),
            num_epochs=EPOCHS,
            lr=LEARNING_RATE,
            gamma=GAMMA,
        )
        .rl_module(model_config=DefaultModelConfig(fcnet_hiddens=HIDDEN))
        .debugging(seed=args.seed)
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--iterations", type=int, default=ITERATIONS, help="PPO training iterations")
    parser.add_argument("--env-runners", type=int, default=ENV_RUNNERS, help="env runner actors")
    parser.add_argument("--envs-per-runner", type=int, default=ENVS_PER_RUNNER, help="lanes per runner")
    parser.add_argument("--rollout-fragment", type=int, default=ROLLOUT_FRAGMENT, help="steps per lane")
    parser.add_argument("--simulator-workers", type=int, default=SIMULATOR_WORKERS, help="JVM actors")
    parser.add_argument("--address", help="a Ray cluster's address (default: start a local Ray)")
    parser.add_argument("--seed", type=int, default=0, help="seed of RLlib and the envs")
    args = parser.parse_args()

    ray.init(address=args.address, include_dashboard=False, log_to_driver=False)
    tune.register_env("gym_mario_latent-designer", make_designer)
    with RaySimulator(workers=args.simulator_workers) as simulator:
        algorithm = build_config(args, simulator).build_algo()
        start = time.perf_counter()
        try:
            for iteration in range(1, args.iterations + 1):
                runners = algorithm.train()["env_runners"]
                print(
                    f"iteration {iteration:4d}  env steps {runners['num_env_steps_sampled_lifetime']:7.0f}  "
                    f"return {runners.get('episode_return_mean', float('nan')):7.2f}  "
                    f"{time.perf_counter() - start:7.1f} s",
                    flush=True,
                )
        finally:
            algorithm.stop()
    ray.shutdown()


if __name__ == "__main__":
    main()
