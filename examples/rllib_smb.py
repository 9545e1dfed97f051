"""RLlib PPO on Super Mario Bros 1-1 (RLlib's new API stack): every env runner steps the package's native
vector env with the preprocessing stack on each lane; RLlib's default CNN learns from ``(84, 84, 4)`` frames.

The env runners build the env from a creator registered with Ray Tune (``tune.register_env``); with
``gym_env_vectorize_mode=VECTOR_ENTRY_POINT`` RLlib hands the creator ``num_envs`` and steps the native vector
env it returns, instead of wrapping single envs in its own ``SyncVectorEnv``. Each runner imports the package
itself, so the IDs resolve on every node. Prints one line per training iteration (env steps, mean episode
return, mean episode length) and saves the algorithm's checkpoint at the end. Needs the ``rllib`` extra.

    python examples/rllib_smb.py --iterations 200                      # a local Ray on this machine
    python examples/rllib_smb.py --iterations 2000 --address HEAD:6379 --env-runners 16   # a Ray cluster
"""

import argparse
from pathlib import Path

import gymnasium as gym
import numpy as np
import ray
from gymnasium.wrappers.vector import DtypeObservation, RescaleObservation
from ray import tune
from ray.rllib.algorithms.ppo import PPOConfig
from ray.rllib.core.rl_module.default_model_config import DefaultModelConfig

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.actions import RIGHT_ONLY
from gym_mario_latent.integrations.rllib import add_rllib_arguments, train_and_report, vector_env_ppo
from gym_mario_latent.preprocessing import make_preprocessed

# --- hyper-parameters ---------------------------------------------------------------------------------------
ENV_ID = "SuperMarioBros-1-1-v0"  # 4 frames per step already
ACTIONS = RIGHT_ONLY
MAX_EPISODE_STEPS = 2_000  # truncate an episode stuck behind a pipe
REWARD_SCALE = 0.1  # the NES reward is in [-15, 15]
ENV_RUNNERS = 1  # Ray actors that step envs (one CPU each)
ENVS_PER_RUNNER = 8  # lanes of each runner's native vector env
ROLLOUT_FRAGMENT = 128  # steps per lane between updates
LEARNING_RATE = 2.5e-4
GAMMA = 0.9  # short horizon: the reward is dense (x progress every step)
LAMBDA = 0.95
CLIP = 0.1
ENTROPY = 0.01
VF_COEFF = 0.5
EPOCHS = 4
MINIBATCH = 256
# The Nature DQN CNN (RLlib's [out_channels, kernel, stride] per layer), then one 512-unit layer.
CONV_FILTERS = [[32, 8, 4], [64, 4, 2], [64, 3, 1]]
HEAD_HIDDEN = [512]
ITERATIONS = 100


def make_mario(config: dict) -> gym.vector.VectorEnv:
    """RLlib's env creator: the native vector env of ``config["num_envs"]`` preprocessed lanes, its frames
    as float32 in [0, 1] (RLlib's CNN does not convert bytes; its Atari examples also scale in the env)."""
    envs = make_preprocessed(
        ENV_ID,
        num_envs=config.get("num_envs", ENVS_PER_RUNNER),
        actions=ACTIONS,
        reward_scale=REWARD_SCALE,
        channels_last=True,  # RLlib's CNN reads images as (height, width, channels)
        max_episode_steps=MAX_EPISODE_STEPS,
        num_threads=1,  # each runner is one CPU
    )
    return RescaleObservation(DtypeObservation(envs, np.float32), 0.0, 1.0)


def build_config(args: argparse.Namespace) -> PPOConfig:
    """PPO on the new API stack with the hyper-parameters above."""
    return (
        vector_env_ppo("gym_mario_latent-smb", args, minibatch=MINIBATCH)
        .training(
            num_epochs=EPOCHS,
            lr=LEARNING_RATE,
            gamma=GAMMA,
            lambda_=LAMBDA,
            clip_param=CLIP,
            entropy_coeff=ENTROPY,
            vf_loss_coeff=VF_COEFF,
        )
        .rl_module(
            model_config=DefaultModelConfig(
                conv_filters=CONV_FILTERS, head_fcnet_hiddens=HEAD_HIDDEN, vf_share_layers=True
            )
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_rllib_arguments(parser, iterations=ITERATIONS, env_runners=ENV_RUNNERS, lanes=ENVS_PER_RUNNER,
                        rollout_fragment=ROLLOUT_FRAGMENT)  # fmt: skip
    parser.add_argument("--out", default="runs/rllib_smb", help="folder for the final checkpoint")
    args = parser.parse_args()

    ray.init(address=args.address, include_dashboard=False, log_to_driver=False)
    tune.register_env("gym_mario_latent-smb", make_mario)
    algorithm = build_config(args).build_algo()
    try:
        train_and_report(algorithm, args.iterations)
        print(f"checkpoint: {algorithm.save_to_path(str(Path(args.out).resolve()))}")
    finally:
        algorithm.stop()
        ray.shutdown()


if __name__ == "__main__":
    main()
