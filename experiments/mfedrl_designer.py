"""Experiment 4: the experience-driven level designer of ED(PCG)RL / MFEDRL, trained with SAC.

Shu, Liu & Yannakakis, "Experience-Driven PCG via Reinforcement Learning: A Super Mario Bros Study", CoG 2021;
Wang, Liu & Yannakakis, "The Fun Facets of Mario: Multifaceted Experience-Driven PCG via Reinforcement
Learning", PCG workshop at FDG 2022 (code: github.com/SUSTechGameAI/MFEDRL).

The designer is an agent whose action is the next segment's latent and whose observation is the last 4
latents; an episode builds a level of 25 segments, each played by the A* agent (the Runner persona) as it is
added; the reward is the ``edpcg`` preset (content fun + behaviour fun + playability: MFEDRL's default; or
``--reward edpcg-content``, their ``fun_c`` without behaviour fun). We train SB3's SAC with MFEDRL's
hyper-parameters on the native latent vector env (5 lanes), then let the trained designer, a random designer
(uniform actions) and the prior N(0, I) build 100 levels each, and compare their playability, fun and
diversity (every designer is scored with the full ``edpcg`` reward's parts).

Writes into ``--out`` (``<name>``: ``designer_<generator>``, plus ``_content`` for
``--reward edpcg-content``): ``<name>_curve.csv`` (one row per training episode),
``<name>.csv`` (one row per designer), ``<name>_curve.png``, ``<name>_levels.png`` (the first levels of
each designer), ``<name>.zip`` (the SB3 model) and ``<name>_actor.safetensors`` (its actor alone). Prints the
table.

    python experiments/mfedrl_designer.py --quick             # about a minute: a smoke run
    nice -n 15 python experiments/mfedrl_designer.py --minutes 60 --out experiments/results
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

import gymnasium as gym
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import torch
from safetensors.torch import save_file
from stable_baselines3 import SAC
from stable_baselines3.common.callbacks import BaseCallback
from stable_baselines3.common.vec_env import VecMonitor

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent.files import output_file, output_folder
from gym_mario_latent.integrations.sb3 import SB3VecEnv
from gym_mario_latent.latent.measures import pairwise_diversity
from gym_mario_latent.levels import render_pixels

# -- protocol (MFEDRL's src/designer/train_designer.py defaults unless said otherwise) ---------------------
ENV_ID = "MarioLatentLevel-v0"  # gym_mario_latent/registration.py: the segment-by-segment designer env
N_ENVS = 5  # --n_envs
SEGMENTS = 25  # --eplen: segments per episode
HISTORY = 4  # src/environment/env_cfgs.py history_len: latents observed (and segments the fun looks back on)
TOTAL_STEPS = 100_000  # --total_steps: transitions (each lane's step counts one)
PERSONA = "runner"  # --play_style Runner
# rfuncs.py's default: content fun (g 0.1, 2×2 patterns, n 4) + behaviour fun (g 0.25, DTW window 10) +
# playability (0 / -1), each of weight 1; "edpcg-content" is their fun_c (no behaviour fun)
REWARDS = {"edpcg": "", "edpcg-content": "_content"}  # the preset, and its files' suffix
GAMMA = 0.7  # --gamma
TAU = 0.005  # --tau
BATCH_SIZE = 384  # --batch_size
BUFFER_SIZE = 500_000  # --mem_size
UPDATE_EVERY = 10  # --update_freq: one gradient step per 10 new transitions (OffRewSAC_Trainer)
NET = [256, 256, 256]  # the actor's and the critics' hidden layers (SquashedGaussianMLPActor, MLPQFunction)
# SAC's target entropy is -nz there: SB3's "auto" (-action size) is the same.
EVALUATION_LEVELS = 100  # the protocol: 100 generated levels per designer
# the 32-d VAE, and the shipped DCGAN (`generator="gan"`: needs the latent envs' generator= of issue 21)
GENERATORS = {"vae32": {"checkpoint": "pretrained-32"}, "dcgan": {"generator": "gan"}}

QUICK = {"steps": 100, "levels": 5, "segments": 5}


class TrainingCurve(BaseCallback):
    """Records each finished episode's return, its parts and the share of playable segments, and stops
    training once the wall-clock budget is spent."""

    def __init__(self, deadline: float) -> None:
        super().__init__()
        self.deadline = deadline
        self.rows: list[dict[str, float]] = []
        self.started = time.perf_counter()

    def _on_training_start(self) -> None:
        lanes = self.training_env.num_envs
        self.parts: list[dict[str, float]] = [{} for _ in range(lanes)]
        self.playable = [0 for _ in range(lanes)]

    def _on_step(self) -> bool:
        for lane, (info, done) in enumerate(zip(self.locals["infos"], self.locals["dones"], strict=True)):
            for name, value in info["reward_parts"].items():
                self.parts[lane][name] = self.parts[lane].get(name, 0.0) + value
            self.playable[lane] += bool(info["playable"])
            if done:
                episode = info["episode"]
                self.rows.append(
                    {
                        "timesteps": self.num_timesteps,
                        "seconds": round(time.perf_counter() - self.started, 1),
                        "return": round(float(episode["r"]), 4),
                        **{
                            name: round(float(total) / episode["l"], 4)
                            for name, total in self.parts[lane].items()
                            if name != "playability"
                        },
                        "playable_share": round(self.playable[lane] / episode["l"], 4),
                    }
                )
                if len(self.rows) % 20 == 0:
                    print(f"{self.rows[-1]}", flush=True)
                self.parts[lane] = {}
                self.playable[lane] = 0
        return time.time() < self.deadline


def make_env(
    generator: str, segments: int, num_envs: int, workers: int, reward: str = "edpcg", **options
) -> gym.vector.VectorEnv:
    """The designer's vector env on `generator` with the protocol's persona and history."""
    return gym.make_vec(
        ENV_ID,
        num_envs=num_envs,
        segments=segments,
        history=HISTORY,
        reward=reward,
        agent=PERSONA,
        workers=workers,
        **GENERATORS[generator],
        **options,
    )


def train(args: argparse.Namespace, segments: int, steps: int, out: Path) -> tuple[SAC, list[dict], float]:
    """SAC trained for at most `steps` transitions or ``args.minutes``; the model, its curve and seconds."""
    envs = VecMonitor(
        SB3VecEnv(
            make_env(args.generator, segments, N_ENVS, args.workers, args.reward, autoreset_mode="SameStep")
        )
    )
    curve = TrainingCurve(time.time() + 60 * args.minutes)
    model = SAC(
        "MlpPolicy",
        envs,
        gamma=GAMMA,
        tau=TAU,
        batch_size=BATCH_SIZE,
        buffer_size=min(BUFFER_SIZE, steps),
        learning_starts=min(BATCH_SIZE, steps // 2),
        train_freq=(UPDATE_EVERY // N_ENVS, "step"),  # SB3 counts vector steps: 2 × 5 lanes = 10
        gradient_steps=1,
        policy_kwargs={"net_arch": NET},
        seed=args.seed,
        device="cpu",
    )
    start = time.perf_counter()
    try:
        model.learn(total_timesteps=steps, callback=curve)
    finally:
        envs.close()
    seconds = time.perf_counter() - start
    save_designer(model, out, file_stem(args))
    return model, curve.rows, seconds


def file_stem(args: argparse.Namespace) -> str:
    """This run's file names: ``designer_<generator>``, plus ``_content`` for the content-only reward."""
    return f"designer_{args.generator}{REWARDS[args.reward]}"


def save_designer(model: SAC, out: Path, stem: str) -> None:
    """The whole SB3 model (``<stem>.zip``, to train on: ~8 MB with the critics and the optimisers' state)
    and the actor alone (``<stem>_actor.safetensors``, to design with: load it into
    ``SAC("MlpPolicy", env, policy_kwargs={"net_arch": NET}).actor``)."""
    with output_file(out / f"{stem}.zip") as path:
        model.save(path)
    with output_file(out / f"{stem}_actor.safetensors") as path:
        save_file(model.actor.state_dict(), path)


def build_levels(envs, choose, n_levels: int, segments: int) -> dict[str, object]:
    """`n_levels` levels, each built by ``choose(observations) -> actions``; their playable shares, content
    and behaviour fun, and the levels themselves."""
    levels, playable, fun, seconds = [], [], {"content_fun": [], "behaviour_fun": []}, 0.0
    start = time.perf_counter()
    while len(levels) < n_levels:
        observations, _ = envs.reset(seed=len(levels))
        lane_playable = np.zeros(envs.num_envs)
        lane_fun = {name: np.zeros(envs.num_envs) for name in fun}
        for _ in range(segments):
            observations, _, _, _, info = envs.step(choose(observations))
            lane_playable += info["playable"]
            for name in fun:
                lane_fun[name] += info["reward_parts"][name]
        levels.extend(info["level"])
        playable.extend(lane_playable / segments)
        for name in fun:
            fun[name].extend(lane_fun[name] / segments)
    seconds = time.perf_counter() - start
    levels = np.stack(levels[:n_levels])
    return {
        "levels": levels,
        "playable": np.asarray(playable[:n_levels]),
        **{name: np.asarray(values[:n_levels]) for name, values in fun.items()},
        "seconds": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--generator", choices=list(GENERATORS), default="vae32", help="whose latents")
    parser.add_argument("--steps", type=int, default=TOTAL_STEPS, help="training transitions at most")
    parser.add_argument("--minutes", type=float, default=float("inf"), help="training wall-time cap")
    parser.add_argument(
        "--reward",
        choices=list(REWARDS),
        default="edpcg",
        help="the training reward: MFEDRL's default (edpcg: content + behaviour fun + playability) or their "
        "fun_c (edpcg-content: no behaviour fun); the files of edpcg-content end in _content",
    )
    parser.add_argument("--levels", type=int, default=EVALUATION_LEVELS, help="levels per designer")
    parser.add_argument("--workers", type=int, default=2, help="JVM workers of the simulator")
    parser.add_argument("--seed", type=int, default=0, help="seed of SAC and of the evaluation")
    parser.add_argument("--load", help="evaluate this trained designer (an SB3 zip) instead of training one")
    parser.add_argument("--quick", action="store_true", help=f"a smoke run: {QUICK}")
    parser.add_argument("--out", default="experiments/results", help="folder of the CSVs and figures")
    args = parser.parse_args()
    if args.quick:
        steps, levels, segments = QUICK["steps"], QUICK["levels"], QUICK["segments"]
    else:
        steps, levels, segments = args.steps, args.levels, SEGMENTS
    out = output_folder(args.out)
    torch.set_num_threads(1)  # the JVMs need the cores

    if args.load is None:
        model, curve, train_seconds = train(args, segments, steps, out)
        trained_steps = model.num_timesteps
        write_csv(out / f"{file_stem(args)}_curve.csv", curve)
        plot_curve(curve, out / f"{file_stem(args)}_curve.png", f"{args.generator}, {args.reward}")
    else:  # a designer trained before: evaluated only (its training time is not in the zip)
        model, train_seconds = SAC.load(args.load, device="cpu"), None
        trained_steps = model.num_timesteps

    trained = {
        "train_steps": trained_steps,
        "train_seconds": "-" if train_seconds is None else round(train_seconds, 1),
    }
    envs = make_env(args.generator, segments, N_ENVS, args.workers)  # scored with every part of edpcg
    rng = np.random.default_rng(args.seed)
    space = envs.action_space
    designers = {
        # sampled from SAC's policy: our episodes start from an empty history (MFEDRL's from 4 random
        # segments), so the policy's mean alone would build one level 100 times
        "SAC designer": lambda observations: model.predict(observations, deterministic=False)[0],
        "random designer": lambda observations: rng.uniform(space.low, space.high).astype(np.float32),
        "prior N(0, I)": lambda observations: rng.standard_normal(space.shape).astype(np.float32),
    }
    try:
        built = {name: build_levels(envs, choose, levels, segments) for name, choose in designers.items()}
    finally:
        envs.close()

    rows = [
        {
            "designer": name,
            "generator": args.generator,
            "levels": len(result["levels"]),
            "segments": segments,
            "playable_share": round(float(result["playable"].mean()), 4),
            "fully_playable": round(float(np.mean(result["playable"] == 1.0)), 4),
            "content_fun": round(float(result["content_fun"].mean()), 4),
            "behaviour_fun": round(float(result["behaviour_fun"].mean()), 4),
            "diversity": round(pairwise_diversity(result["levels"]), 4),
            **(trained if name == "SAC designer" else {"train_steps": 0, "train_seconds": 0}),
            "eval_seconds": round(result["seconds"], 1),
        }
        for name, result in built.items()
    ]
    write_csv(out / f"{file_stem(args)}.csv", rows)
    plot_levels(built, out / f"{file_stem(args)}_levels.png")
    print_table(rows)


def write_csv(path: Path, rows: list[dict]) -> None:
    """`rows` (dicts with the same keys) as a CSV file."""
    with output_file(path) as temporary, open(temporary, "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]) if rows else ["timesteps"])
        writer.writeheader()
        writer.writerows(rows)


def plot_curve(curve: list[dict], path: Path, title: str) -> None:
    """Episode return, each fun and playable share against training transitions."""
    keys = [key for key in (curve[0] if curve else {"return": 0}) if key not in ("timesteps", "seconds")]
    figure, axes = plt.subplots(1, len(keys), figsize=(4 * len(keys), 3.2))
    steps = [row["timesteps"] for row in curve]
    for axis, key in zip(np.atleast_1d(axes), keys, strict=True):
        values = np.asarray([row[key] for row in curve], dtype=float)
        axis.plot(steps, values, ".", alpha=0.3, markersize=3)
        if len(values) >= 20:  # a running mean over 20 episodes
            axis.plot(steps[19:], np.convolve(values, np.ones(20) / 20, mode="valid"), linewidth=2)
        axis.set_xlabel("transitions")
        axis.set_title(key.replace("_", " "))
    figure.suptitle(f"SAC designer on {title}: training episodes")
    figure.tight_layout()
    with output_file(path) as temporary:
        figure.savefig(temporary, dpi=110)
    plt.close(figure)


def plot_levels(built: dict[str, dict], path: Path, shown: int = 2) -> None:
    """The first `shown` levels of each designer, one above the other."""
    pictures = [(name, level) for name, result in built.items() for level in result["levels"][:shown]]
    figure, axes = plt.subplots(len(pictures), 1, figsize=(16, 1.1 * len(pictures)))
    for axis, (name, level) in zip(np.atleast_1d(axes), pictures, strict=True):
        axis.imshow(render_pixels(level, tile_size=4))
        axis.set_axis_off()
        axis.set_title(name, fontsize=8, loc="left")
    figure.tight_layout()
    with output_file(path) as temporary:
        figure.savefig(temporary, dpi=110)
    plt.close(figure)


def print_table(rows: list[dict]) -> None:
    """The rows as an aligned text table."""
    columns = list(rows[0])
    widths = [max(len(column), *(len(str(row[column])) for row in rows)) for column in columns]
    print("  ".join(column.ljust(width) for column, width in zip(columns, widths, strict=True)))
    for row in rows:
        cells = [
            (str(row[column]) or "-").ljust(width) for column, width in zip(columns, widths, strict=True)
        ]
        print("  ".join(cells))


if __name__ == "__main__":
    main()
