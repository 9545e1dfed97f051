"""Stable-Baselines3 PPO on Super Mario Bros 1-1 with published hyper-parameters: rl-baselines3-zoo's Atari
PPO preset (``gym_mario_latent.integrations.sb3.ppo_preset``) on 8 lanes of the native vector env behind the
preprocessing stack, one torch thread.

Prints SB3's training log every rollout and saves the model to ``OUT/ppo_sb3.zip`` (``PPO.load`` reads it).
Needs the ``rl`` extra.

    python examples/sb3_ppo_smb.py --total-steps 2000000 --out runs/sb3_ppo_smb
"""

import argparse
from pathlib import Path

import torch
from stable_baselines3 import PPO
from stable_baselines3.common.vec_env import VecMonitor

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.actions import RIGHT_ONLY
from gym_mario_latent.files import output_file
from gym_mario_latent.integrations.sb3 import PRESET_NUM_ENVS, ZOO_ATARI, SB3VecEnv, ppo_preset
from gym_mario_latent.preprocessing import make_preprocessed

# --- hyper-parameters ---------------------------------------------------------------------------------------
ENV_ID = "SuperMarioBros-1-1-v0"
ACTIONS = RIGHT_ONLY  # the smallest action list: 1-1 is learnt fastest with it
PRESET = ZOO_ATARI  # n_steps 128, 4 epochs of 256-step minibatches, lr 2.5e-4 and clip 0.1 falling to 0
NUM_ENVS = PRESET_NUM_ENVS[PRESET]  # 8 lanes, as the preset was published
REWARD_SCALE = 0.1  # the NES reward is in [-15, 15]; the preset's Atari rewards are clipped to [-1, 1]
MAX_EPISODE_STEPS = 2_000  # truncate an episode stuck behind a pipe
TOTAL_STEPS = 2_000_000
TORCH_THREADS = 1  # torch threads fight the vector env's worker threads for the cores


def make_envs(num_envs: int) -> VecMonitor:
    """The preprocessed native vector env as SB3's VecEnv, with SB3's episode statistics."""
    envs = make_preprocessed(
        ENV_ID,
        num_envs=num_envs,
        actions=ACTIONS,
        reward_scale=REWARD_SCALE,
        max_episode_steps=MAX_EPISODE_STEPS,
        autoreset_mode="SameStep",
    )
    return VecMonitor(SB3VecEnv(envs))


def train(
    total_steps: int, num_envs: int, out: Path, seed: int = 0, device: str = "auto", verbose: int = 1
) -> PPO:
    """Train PPO with the preset for ``total_steps`` agent steps and save it to ``out/ppo_sb3.zip``."""
    torch.set_num_threads(TORCH_THREADS)
    envs = make_envs(num_envs)
    try:
        model = PPO("CnnPolicy", envs, seed=seed, device=device, verbose=verbose, **ppo_preset(PRESET))
        model.learn(total_timesteps=total_steps)
        with output_file(out / "ppo_sb3.zip") as path:
            model.save(path)
    finally:
        envs.close()
    return model


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--total-steps", type=int, default=TOTAL_STEPS, help="agent steps, all lanes together"
    )
    parser.add_argument("--num-envs", type=int, default=NUM_ENVS, help="vector env lanes (the preset's: 8)")
    parser.add_argument("--out", type=Path, default=Path("runs/sb3_ppo_smb"), help="folder for ppo_sb3.zip")
    parser.add_argument("--seed", type=int, default=0, help="seed of PPO and of the lanes' resets")
    parser.add_argument("--device", default="auto", help="torch device: auto, cpu, cuda")
    args = parser.parse_args()
    train(args.total_steps, args.num_envs, args.out, args.seed, args.device)


if __name__ == "__main__":
    main()
