"""RLlib PPO in the VAE's latent space (RLlib's new API stack): a designer policy that builds levels segment
by segment, with every env runner playing its games on one RaySimulator shared by all of them.

The designer setting, ``MarioLatentLevel-v0``: each step the policy reads the last latents it chose (flattened
to one vector for RLlib's MLP), picks the next latent, the VAE decodes it and the A* agent plays the new
segment with the one before it. The driver starts one ``RaySimulator`` (a pool of JVM actors) and puts it in
the env config; each env runner unpickles it as a view on the same actors, so the cluster runs one pool of
JVMs however many runners there are. Each runner steps the package's native latent vector env (one VAE pass
and one batch of games for all its lanes). Prints one line per iteration. Needs the ``rllib`` extra.

    python examples/rllib_latent.py --iterations 20                                  # a local Ray
    python examples/rllib_latent.py --generator gan --iterations 20                  # the DCGAN's segments
    python examples/rllib_latent.py --address HEAD:6379 --env-runners 8 --simulator-workers 64   # a cluster
"""

import argparse

import gymnasium as gym
import ray
from gymnasium.wrappers.vector import FlattenObservation
from ray import tune
from ray.rllib.algorithms.ppo import PPOConfig
from ray.rllib.core.rl_module.default_model_config import DefaultModelConfig

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.cli.arguments import add_generator_arguments, generator_keywords
from gym_mario_latent.integrations.rllib import add_rllib_arguments, train_and_report, vector_env_ppo
from gym_mario_latent.simulator_bridge import RaySimulator

# --- hyper-parameters ---------------------------------------------------------------------------------------
ENV_ID = "gym_mario_latent:MarioLatentLevel-v0"  # module-qualified: resolves on any runner
CHECKPOINT = "pretrained"  # the 2-d VAE (default of --checkpoint); --generator gan for the DCGAN
REWARD = "jumps"  # a preset of gym_mario_latent.latent.rewards: completion, win, jumps, edpcg
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
    """RLlib's env creator: the latent vector env of ``config["num_envs"]`` lanes on the shared simulator,
    with the generator ``config["generator_keywords"]`` names."""
    envs = gym.make_vec(
        ENV_ID,
        num_envs=config.get("num_envs", ENVS_PER_RUNNER),
        vectorization_mode="vector_entry_point",
        reward=REWARD,
        segments=SEGMENTS,
        simulator=config["simulator"],
        **config["generator_keywords"],
    )
    return FlattenObservation(envs)  # (history, z_dim) → one vector for RLlib's MLP


def build_config(args: argparse.Namespace, simulator: RaySimulator) -> PPOConfig:
    """PPO on the new API stack with the hyper-parameters above; every runner gets the shared simulator."""
    env_config = {"simulator": simulator, "generator_keywords": generator_keywords(args)}
    return (
        vector_env_ppo("gym_mario_latent-designer", args, minibatch=MINIBATCH, env_config=env_config)
        .training(num_epochs=EPOCHS, lr=LEARNING_RATE, gamma=GAMMA)
        .rl_module(model_config=DefaultModelConfig(fcnet_hiddens=HIDDEN))
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_rllib_arguments(parser, iterations=ITERATIONS, env_runners=ENV_RUNNERS, lanes=ENVS_PER_RUNNER,
                        rollout_fragment=ROLLOUT_FRAGMENT)  # fmt: skip
    parser.add_argument("--simulator-workers", type=int, default=SIMULATOR_WORKERS, help="JVM actors")
    add_generator_arguments(parser, CHECKPOINT)
    args = parser.parse_args()

    ray.init(address=args.address, include_dashboard=False, log_to_driver=False)
    tune.register_env("gym_mario_latent-designer", make_designer)
    with RaySimulator(workers=args.simulator_workers) as simulator:
        algorithm = build_config(args, simulator).build_algo()
        try:
            train_and_report(algorithm, args.iterations)
        finally:
            algorithm.stop()
    ray.shutdown()


if __name__ == "__main__":
    main()
