"""PPO on Super Mario Bros 1-1, in one file (CleanRL's layout): the native vector env, the preprocessing stack
of ``gym_mario_latent.preprocessing`` ((4, 84, 84) uint8 per lane), a Nature-CNN actor-critic and GAE.

Logs every finished episode (return, length, final x_pos, flag) to ``OUT/episodes.csv``, saves the policy
with safetensors to ``OUT/policy.safetensors`` (every ``--save-every`` seconds and at the end) and draws the
learning curve into ``OUT/learning_curve.png``. Needs the ``rl`` extra (OpenCV, matplotlib).

    python examples/ppo_smb.py --total-steps 2000000 --out runs/ppo_smb
    python benchmarks/bench_ppo.py evaluate runs/ppo_smb/policy.safetensors
"""

import csv
import time
from dataclasses import dataclass
from pathlib import Path

import gymnasium as gym
import numpy as np
import torch
from torch import nn

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent import actions as action_lists
from gym_mario_latent.integrations import ppo
from gym_mario_latent.integrations.ppo import layer_init
from gym_mario_latent.preprocessing import make_preprocessed


# --- hyper-parameters ---------------------------------------------------------------------------------------
@dataclass
class Args:
    env_id: str = "SuperMarioBros-1-1-v0"  # 4 frames per step already
    actions: str = "RIGHT_ONLY"  # a list of gym_mario_latent.actions; RIGHT_ONLY learns 1-1 fastest
    total_steps: int = 2_000_000  # agent steps, all lanes together
    num_envs: int = 8  # vector env lanes
    num_threads: int = 2  # vector env worker threads (one per core)
    num_steps: int = 128  # rollout length per lane
    max_episode_steps: int = 2_000  # truncate an episode stuck behind a pipe
    reward_scale: float = 0.1  # the NES reward is in [-15, 15]
    learning_rate: float = 2.5e-4
    anneal_lr: bool = True
    gamma: float = 0.9  # short horizon: the reward is dense (x progress every step)
    gae_lambda: float = 0.95
    num_minibatches: int = 4
    update_epochs: int = 4
    clip_coef: float = 0.1
    ent_coef: float = 0.01
    vf_coef: float = 0.5
    max_grad_norm: float = 0.5
    seed: int = 1
    torch_threads: int = 1  # torch threads fight the emulator threads (and other jobs) for 2 cores
    device: str = "cuda" if torch.cuda.is_available() else "cpu"
    out: str = "runs/ppo_smb"
    save_every: float = 300.0  # seconds between checkpoints (policy, curve)


HELP = {  # this example's own options (ppo.HELP explains the common ones)
    "num_threads": "worker threads of the native vector env",
    "device": "torch device of the network (cuda or cpu)",
    "save_every": "seconds between checkpoints of the policy and the curve",
}


def make_envs(args: Args) -> gym.vector.VectorEnv:
    """The native vector env with the preprocessing stack; same-step autoreset, as PPO's GAE below expects."""
    return make_preprocessed(
        args.env_id,
        num_envs=args.num_envs,
        actions=getattr(action_lists, args.actions),
        reward_scale=args.reward_scale,
        num_threads=args.num_threads,
        max_episode_steps=args.max_episode_steps,
        autoreset_mode=gym.vector.AutoresetMode.SAME_STEP,
    )


def make_eval_env(args: Args) -> gym.Env:
    """One env with the training stack, for evaluating a policy (``benchmarks/bench_ppo.py evaluate``)."""
    return make_preprocessed(
        args.env_id,
        actions=getattr(action_lists, args.actions),
        reward_scale=args.reward_scale,
        max_episode_steps=args.max_episode_steps,
    )


# --- the actor-critic: the Nature DQN CNN with a policy and a value head ------------------------------------
class Agent(ppo.ActorCritic):
    def __init__(self, num_actions: int, frames: int = 4) -> None:
        super().__init__()
        self.network = nn.Sequential(
            layer_init(nn.Conv2d(frames, 32, 8, stride=4)),
            nn.ReLU(),
            layer_init(nn.Conv2d(32, 64, 4, stride=2)),
            nn.ReLU(),
            layer_init(nn.Conv2d(64, 64, 3, stride=1)),
            nn.ReLU(),
            nn.Flatten(),
            layer_init(nn.Linear(64 * 7 * 7, 512)),
            nn.ReLU(),
        )
        self.add_heads(512, num_actions)

    def features(self, observations: torch.Tensor) -> torch.Tensor:
        return self.network(observations.float() / 255.0)


# --- checkpoints: weights in safetensors, the recipe in its metadata ---------------------------------------
EXAMPLE_NAME = "ppo_smb"  # in the policy file, so that bench_ppo.py knows which example reads it


def load_policy(path: str | Path, device: str = "cpu") -> tuple[Agent, Args]:
    """The agent saved by ``ppo.save_policy``, with the arguments it was trained with."""
    return ppo.load_policy(path, Args, lambda args: Agent(len(getattr(action_lists, args.actions))), device)


# --- logging -----------------------------------------------------------------------------------------------
def plot_learning_curve(csv_path: Path, png_path: Path, window: int = 20) -> None:
    plt = ppo.pyplot()
    with csv_path.open() as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        return
    steps = np.array([int(row["global_step"]) for row in rows])
    x_pos = np.array([float(row["x_pos"]) for row in rows])
    returns = np.array([float(row["episode_return"]) for row in rows])
    kernel = np.ones(min(window, len(rows))) / min(window, len(rows))
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(7, 6), sharex=True)
    for axis, values, label in ((top, x_pos, "final x_pos"), (bottom, returns, "episode return")):
        axis.plot(steps, values, ".", alpha=0.25, markersize=3)
        if len(values) >= len(kernel):
            axis.plot(steps[len(kernel) - 1 :], np.convolve(values, kernel, mode="valid"), linewidth=2)
        axis.set_ylabel(label)
        axis.grid(alpha=0.3)
    top.axhline(1215, color="gray", linestyle="--", linewidth=1, label="random agent (1 215)")
    top.legend(loc="upper left")
    bottom.set_xlabel("agent steps")
    top.set_title(f"PPO on {rows[0].get('env_id', 'SuperMarioBros-1-1-v0')}: {len(rows)} episodes")
    ppo.save_figure(figure, png_path)


# --- training ----------------------------------------------------------------------------------------------
def train(args: Args) -> dict:
    """Run PPO for ``args.total_steps`` agent steps; returns a summary (steps, seconds, episodes)."""
    out = ppo.start_run(args)
    device = torch.device(args.device)
    batch_size = args.num_envs * args.num_steps
    num_updates = max(1, args.total_steps // batch_size)

    envs = make_envs(args)
    rollout = ppo.Rollout.zeros(args.num_steps, args.num_envs, envs.single_observation_space.shape)
    num_actions = envs.single_action_space.n
    agent = Agent(num_actions, envs.single_observation_space.shape[0]).to(device)
    optimizer = ppo.adam(agent, args.learning_rate)

    csv_path = out / "episodes.csv"
    log = csv_path.open("w", newline="")
    start = last_save = time.time()
    episode_log = ppo.EpisodeLog(log, args.num_envs, start)
    global_step = 0
    next_obs, _ = envs.reset(seed=args.seed)
    next_obs = torch.from_numpy(next_obs)
    next_done = torch.zeros(args.num_envs)
    for update in range(1, num_updates + 1):
        ppo.anneal_learning_rate(optimizer, update, num_updates, args)

        # Rollout: num_steps steps of every lane.
        for step in range(args.num_steps):
            with torch.no_grad():
                action, logprob, _, value = agent.get_action_and_value(next_obs.to(device))
            observation, reward, terminated, truncated, info = envs.step(action.cpu().numpy())
            rollout.store(step, next_obs, next_done, action, logprob, value, reward)  # scaled by the env
            global_step += args.num_envs
            done = terminated | truncated
            next_obs, next_done = torch.from_numpy(observation), torch.from_numpy(done).float()
            episode_log.step(global_step, reward / args.reward_scale, done, info)

        with torch.no_grad():
            next_value = agent.get_value(next_obs.to(device)).cpu()
        advantages, returns = ppo.gae(rollout, next_value, next_done, args)
        ppo.ppo_update(agent, optimizer, rollout, advantages, returns, args, device)

        elapsed = time.time() - start
        print(
            f"update {update}/{num_updates}  steps {global_step}  {global_step / elapsed:.0f} steps/s  "
            f"episodes {episode_log.episodes}  flags {episode_log.flags}",
            flush=True,
        )
        if time.time() - last_save >= args.save_every or update == num_updates:
            log.flush()
            ppo.save_policy(agent, args, out / "policy.safetensors", global_step, EXAMPLE_NAME)
            plot_learning_curve(csv_path, out / "learning_curve.png")
            last_save = time.time()

    log.close()
    envs.close()
    summary = {
        "steps": global_step,
        "seconds": round(time.time() - start, 1),
        **episode_log.counts,
    }
    ppo.write_json(out / "summary.json", summary)
    return summary


def parse_args(argv: list[str] | None = None) -> Args:
    return ppo.parse_args(Args, __doc__, HELP, argv)


if __name__ == "__main__":
    print(train(parse_args()))
