"""The tour of gym-mario-latent, headless, in under a minute: `make demo` runs it.

1. NES side: plays stage 1-1 with a random SIMPLE_MOVEMENT agent and prints each episode.
2. Latent side: decodes a row of latent points with the pretrained VAE, lets the A* agent play each
   segment in the Java simulator, prints a table and saves a picture of the segments.
3. The latent-level envs: a few random steps of MarioLatent-v0 and one MarioLatentLevel-v0 episode,
   with the picture of the level it built.

Everything it writes goes under --out (default: out/demo).
"""

import argparse
import time
from pathlib import Path

import gymnasium as gym
import numpy as np
import torch
from PIL import Image

import gym_mario_latent  # noqa: F401  (registers the env IDs)
from gym_mario_latent.actions import SIMPLE_MOVEMENT
from gym_mario_latent.cli.arguments import output_folder_path
from gym_mario_latent.levels import render_grid, save_png
from gym_mario_latent.simulator_bridge import Simulator
from gym_mario_latent.vae import load_pretrained
from gym_mario_latent.wrappers import JoypadSpace

# --- settings -------------------------------------------------------------------------------------------
ENV_ID = "SuperMarioBros-1-1-v0"
EPISODES = 3
SEED = 0
LATENT_POINTS = 8  # decoded along the diagonal z1 = z2 of the 2-D latent space
LATENT_BOUND = 2.5


def play_nes(out: Path) -> None:
    """Random agent on 1-1; one line per episode; the last frame saved as a PNG."""
    env = JoypadSpace(gym.make(ENV_ID), SIMPLE_MOVEMENT)
    rng = np.random.default_rng(SEED)
    print(f"== {ENV_ID}, random SIMPLE_MOVEMENT agent ==")
    print(f"{'episode':>7} {'steps':>6} {'return':>8} {'x_pos':>6} {'time':>5}  ended by")
    for episode in range(EPISODES):
        _, info = env.reset(seed=SEED + episode)
        total, steps, terminated = 0.0, 0, False
        while not terminated and steps < 2000:
            observation, reward, terminated, _, info = env.step(int(rng.integers(len(SIMPLE_MOVEMENT))))
            total, steps = total + reward, steps + 1
        ending = "flag" if info["flag_get"] else "death" if info["is_dying"] else "step limit"
        print(f"{episode:>7} {steps:>6} {total:>8.0f} {info['x_pos']:>6} {info['time']:>5}  {ending}")
    save_png(Image.fromarray(observation), out / "nes_last_frame.png")
    env.close()


def play_latent(out: Path) -> None:
    """Decode latent points, let the A* agent play each segment, print a table, save a picture."""
    torch.set_num_threads(1)  # leave the other core to the simulator workers
    model = load_pretrained()
    z = torch.linspace(-LATENT_BOUND, LATENT_BOUND, LATENT_POINTS).unsqueeze(1).repeat(1, model.z_dim)
    with torch.no_grad():
        segments = model.decode_levels(z)
    started = time.perf_counter()
    with Simulator() as simulator:
        results = simulator.evaluate_many(segments)
    elapsed = time.perf_counter() - started
    print(f"\n== {LATENT_POINTS} VAE segments played by A* ({elapsed:.2f} s with worker start-up) ==")
    print(f"{'z':>14} {'status':>8} {'completion':>10} {'jumps':>5} {'kills':>5} {'coins':>5}")
    for point, telemetry in zip(z.tolist(), results, strict=True):
        z_text = ", ".join(f"{value:+.1f}" for value in point)
        print(
            f"{z_text:>14} {telemetry.status:>8} {telemetry.completion:>10.2f} "
            f"{telemetry.jumps:>5} {telemetry.kills_total:>5} {telemetry.coins:>5}"
        )
    picture = out / "latent_segments.png"
    save_png(render_grid(segments.numpy(), columns=LATENT_POINTS), picture)
    print(f"\nwon {sum(t.won for t in results)}/{len(results)}; segments drawn in {picture}")


def play_latent_envs(out: Path) -> None:
    """Random latents in the two latent-level envs: one segment per episode, then a 10-segment level."""
    rng = np.random.default_rng(SEED)
    for env_id, steps in (("MarioLatent-v0", 4), ("MarioLatentLevel-v0", 10)):
        env = gym.make(env_id, render_mode="rgb_array")
        env.reset(seed=SEED)
        print(f"\n== {env_id}, random latents ==")
        print(f"{'step':>4} {'z':>14} {'status':>8} {'completion':>10} {'reward':>7}")
        for step in range(steps):
            z = rng.standard_normal(env.action_space.shape).astype(np.float32)
            _, reward, terminated, _, info = env.step(z)
            z_text = ", ".join(f"{value:+.1f}" for value in z)
            status, completion = info["telemetry"]["status"], info["telemetry"]["completion"]
            print(f"{step:>4} {z_text:>14} {status:>8} {completion:>10.2f} {reward:>7.2f}")
            if terminated and step < steps - 1:
                env.reset()
        picture = out / f"{env_id}.png"
        save_png(Image.fromarray(env.render()), picture)
        print(f"the last level drawn in {picture}")
        env.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=output_folder_path, default="out/demo", help="folder for the pictures")
    args = parser.parse_args()
    play_nes(args.out)
    play_latent(args.out)
    play_latent_envs(args.out)


if __name__ == "__main__":
    main()
