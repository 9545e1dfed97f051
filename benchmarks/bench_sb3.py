"""Benchmark of Stable-Baselines3 PPO on the preprocessed native vector env: SB3's defaults against the
settings this package advises, and examples/ppo_smb.py, in one run on this machine.

Each row times whole training cycles (one rollout of every lane and its update) after one warm-up cycle and
prints agent steps per second over all lanes. SB3's defaults roll out 2 048 steps per lane (16 384 over 8
lanes) and update 10 epochs of 64-step minibatches with torch's default threads; the advised settings (the
published preset ``ppo_preset()``, rl-baselines3-zoo's Atari PPO) roll out 128 steps per lane, update 4 epochs
of 256-step minibatches, and give torch one thread (the env's worker threads need the cores). Needs the ``rl``
extra.

    python benchmarks/bench_sb3.py            # 8 lanes, one timed cycle per row
"""

import argparse
import os
import tempfile
import time

import torch
from stable_baselines3 import PPO

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.actions import RIGHT_ONLY
from gym_mario_latent.integrations.sb3 import SB3VecEnv, ppo_preset
from gym_mario_latent.preprocessing import make_preprocessed

ENV_ID = "SuperMarioBros-1-1-v0"
SB3_DEFAULTS = {"n_steps": 2048, "batch_size": 64, "n_epochs": 10}  # PPO's own defaults
ADVISED = ppo_preset()  # n_steps 128, batch_size 256, n_epochs 4 (and the preset's schedules)


def sb3_steps_per_second(lanes: int, settings: dict, torch_threads: int | None, cycles: int) -> float:
    """Agent steps/s of SB3 PPO with `settings` over `cycles` timed rollout-and-update cycles."""
    threads_before = torch.get_num_threads()
    if torch_threads is not None:
        torch.set_num_threads(torch_threads)
    envs = SB3VecEnv(make_preprocessed(ENV_ID, num_envs=lanes, actions=RIGHT_ONLY, autoreset_mode="SameStep"))
    try:
        model = PPO("CnnPolicy", envs, seed=0, device="cpu", verbose=0, **settings)
        cycle = settings["n_steps"] * lanes
        model.learn(total_timesteps=cycle)  # warm-up: the first reset and allocations
        started = time.perf_counter()
        model.learn(total_timesteps=cycle * cycles, reset_num_timesteps=False)
        return cycle * cycles / (time.perf_counter() - started)
    finally:
        envs.close()
        torch.set_num_threads(threads_before)


def example_steps_per_second(lanes: int, cycles: int) -> float:
    """Agent steps/s of examples/ppo_smb.py's training loop (its own defaults, ``lanes`` lanes)."""
    from bench_ppo import load_example  # benchmarks/ is this script's folder

    ppo = load_example()
    with tempfile.TemporaryDirectory() as out:
        args = ppo.parse_args(["--num-envs", str(lanes), "--out", out, "--device", "cpu"])
        args.total_steps = lanes * args.num_steps  # warm-up cycle
        ppo.train(args)
        args.total_steps = lanes * args.num_steps * cycles
        started = time.perf_counter()
        summary = ppo.train(args)
        return summary["steps"] / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lanes", type=int, default=8, help="vector env lanes")
    parser.add_argument("--cycles", type=int, default=1, help="timed rollout-and-update cycles per row")
    args = parser.parse_args()
    default_threads = torch.get_num_threads()
    rows = [
        ("SB3 PPO, SB3 defaults", sb3_steps_per_second(args.lanes, SB3_DEFAULTS, None, args.cycles)),
        ("SB3 PPO, ppo_preset()", sb3_steps_per_second(args.lanes, ADVISED, 1, args.cycles)),
        ("examples/ppo_smb.py", example_steps_per_second(args.lanes, args.cycles * 4)),
    ]
    print(
        f"{ENV_ID}, {args.lanes} lanes, {len(os.sched_getaffinity(0))} cores, load average "
        f"{os.getloadavg()[0]:.2f}, torch's default threads {default_threads}"
    )
    anchor = rows[0][1]
    print(f"{'configuration':<30} {'agent steps/s':>14} {'vs SB3 defaults':>16}")
    for name, value in rows:
        print(f"{name:<30} {value:>14.1f} {value / anchor:>15.2f}x")


if __name__ == "__main__":
    main()
