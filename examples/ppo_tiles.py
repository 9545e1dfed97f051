"""PPO on Super Mario Bros 1-1 from the tile observation, in one file (CleanRL's layout): our native NES core
with ``observation_mode="tiles"`` (a ``(14, 16)`` grid of tile ids read from RAM, no pixels drawn), the last
4 grids stacked, a small embedding + CNN actor-critic and GAE, on one or two CPU threads.

Every ``--eval-every`` seconds it plays ``--eval-episodes`` episodes with sampled actions (as
``benchmarks/bench_ppo.py evaluate`` does) and stops once ``--target-flags`` of them reach the flag, or after
``--max-minutes``. Writes to ``OUT/``: ``episodes.csv`` (every training episode), ``evaluations.csv`` (every
evaluation), ``policy.safetensors`` (at every evaluation and at the end), ``learning_curve.png`` and
``summary.json``.

    python examples/ppo_tiles.py --out runs/ppo_tiles
    python benchmarks/bench_ppo.py evaluate runs/ppo_tiles/policy.safetensors
"""

import argparse
import csv
import json
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import gymnasium as gym
import numpy as np
import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file
from torch import nn
from torch.distributions import Categorical
from tqdm import tqdm

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent import actions as action_lists
from gym_mario_latent.files import output_file, output_folder
from gym_mario_latent.levels import MARIO_ID
from gym_mario_latent.wrappers import JoypadSpace


# --- hyper-parameters ---------------------------------------------------------------------------------------
@dataclass
class Args:
    env_id: str = "SuperMarioBros-1-1-v0"  # one life, 4 frames per step
    actions: str = "RIGHT_ONLY"  # of gym_mario_latent.actions: 1-1 needs no left; fewer actions learn faster
    stack: int = 4  # tile grids stacked: speeds and jump phases are not in one grid
    total_steps: int = 20_000_000  # agent steps, all lanes together (the learning rate anneals over these)
    max_minutes: float = 90.0  # wall-clock cap
    num_envs: int = 8  # lanes (fewer lanes: more updates per agent step)
    num_steps: int = 128  # rollout length per lane
    max_episode_steps: int = 2_000  # truncate an episode stuck behind a pipe
    reward_scale: float = 0.1  # the NES reward is in [-15, 15]
    learning_rate: float = 5e-4
    anneal_lr: bool = True
    gamma: float = 0.9  # short horizon: the reward is dense (x progress every step)
    gae_lambda: float = 0.95
    num_minibatches: int = 4
    update_epochs: int = 4
    clip_coef: float = 0.2
    ent_coef: float = 0.01
    vf_coef: float = 0.5
    max_grad_norm: float = 0.5
    embedding_dim: int = 4  # per tile id
    seed: int = 1
    torch_threads: int = 1  # the env steps in the same process: leave it the other core
    eval_every: float = 180.0  # seconds of training between evaluations
    eval_episodes: int = 10
    target_flags: int = 8  # stop when an evaluation reaches the flag this often (0: never stop early)
    out: str = "runs/ppo_tiles"


EXAMPLE_NAME = "ppo_tiles"  # in the policy file, so that bench_ppo.py knows which example reads it


def make_env(args: Args) -> gym.Env:
    """One lane: the native core's tile observation, the action list, the stack of the last grids."""
    env = gym.make(
        args.env_id,
        emulator="native",
        observation_mode="tiles",
        max_episode_steps=args.max_episode_steps,
    )
    return gym.wrappers.FrameStackObservation(
        JoypadSpace(env, getattr(action_lists, args.actions)), args.stack
    )


def make_envs(args: Args, num_envs: int) -> gym.vector.VectorEnv:
    """``num_envs`` lanes stepped in this process, same-step autoreset (as GAE below expects).

    Gymnasium's ``SyncVectorEnv``: a tiles lane steps in ~0.3 ms of CPU, a sixth of what the PPO update
    costs per step, so the native vector env's threads would buy little.
    """
    return gym.vector.SyncVectorEnv(
        [lambda: make_env(args)] * num_envs, autoreset_mode=gym.vector.AutoresetMode.SAME_STEP
    )


make_eval_env = make_env  # what benchmarks/bench_ppo.py evaluate plays


# --- the actor-critic: tile ids embedded, a small CNN, a policy and a value head ---------------------------
def layer_init(layer: nn.Module, std: float = np.sqrt(2), bias: float = 0.0) -> nn.Module:
    nn.init.orthogonal_(layer.weight, std)
    nn.init.constant_(layer.bias, bias)
    return layer


class Agent(nn.Module):
    def __init__(self, num_actions: int, stack: int, embedding_dim: int) -> None:
        super().__init__()
        self.embedding = nn.Embedding(MARIO_ID + 1, embedding_dim)
        self.network = nn.Sequential(  # small on purpose: the update's cost is a CPU core's
            layer_init(nn.Conv2d(stack * embedding_dim, 32, 3, stride=2, padding=1)),  # 14×16 → 7×8
            nn.ReLU(),
            layer_init(nn.Conv2d(32, 32, 3, stride=2, padding=1)),  # 4×4
            nn.ReLU(),
            nn.Flatten(),
            layer_init(nn.Linear(32 * 4 * 4, 256)),
            nn.ReLU(),
        )
        self.actor = layer_init(nn.Linear(256, num_actions), std=0.01)
        self.critic = layer_init(nn.Linear(256, 1), std=1.0)

    def features(self, observations: torch.Tensor) -> torch.Tensor:
        """``(batch, stack, 14, 16)`` tile ids → the shared hidden layer."""
        embedded = self.embedding(observations.long())  # (batch, stack, 14, 16, dim)
        batch, stack, rows, columns, dim = embedded.shape
        channels = embedded.permute(0, 1, 4, 2, 3).reshape(batch, stack * dim, rows, columns)
        return self.network(channels)

    def get_value(self, observations: torch.Tensor) -> torch.Tensor:
        return self.critic(self.features(observations)).squeeze(-1)

    def get_action_and_value(
        self, observations: torch.Tensor, action: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        hidden = self.features(observations)
        distribution = Categorical(logits=self.actor(hidden))
        if action is None:
            action = distribution.sample()
        return action, distribution.log_prob(action), distribution.entropy(), self.critic(hidden).squeeze(-1)


def new_agent(args: Args) -> Agent:
    return Agent(len(getattr(action_lists, args.actions)), args.stack, args.embedding_dim)


# --- checkpoints: weights in safetensors, the recipe in its metadata ---------------------------------------
def save_policy(agent: Agent, args: Args, path: Path, global_step: int) -> None:
    metadata = {"example": EXAMPLE_NAME, "args": json.dumps(asdict(args)), "global_step": str(global_step)}
    with output_file(path) as temporary:  # a reader never sees half a file
        save_file(
            {name: tensor.detach().cpu() for name, tensor in agent.state_dict().items()}, temporary, metadata
        )


def load_policy(path: str | Path) -> tuple[Agent, Args]:
    """The agent saved by :func:`save_policy`, with the arguments it was trained with."""
    with safe_open(str(path), framework="pt") as handle:
        saved = json.loads(handle.metadata()["args"])
    args = Args(**{field.name: saved[field.name] for field in fields(Args) if field.name in saved})
    agent = new_agent(args)
    agent.load_state_dict(load_file(str(path)))
    return agent, args


# --- evaluation --------------------------------------------------------------------------------------------
@torch.no_grad()
def evaluate(agent: Agent, args: Args, seed: int) -> list[dict]:
    """One episode per lane of a fresh ``args.eval_episodes``-lane env, sampled actions: each final info."""
    envs = make_envs(args, args.eval_episodes)
    generator = torch.Generator().manual_seed(seed)
    observations, _ = envs.reset(seed=seed)
    finals: dict[int, dict] = {}
    returns = np.zeros(args.eval_episodes)
    while len(finals) < args.eval_episodes:
        logits = agent.actor(agent.features(torch.from_numpy(observations)))
        actions = torch.multinomial(logits.softmax(-1), 1, generator=generator).squeeze(-1)
        observations, rewards, terminated, truncated, info = envs.step(actions.numpy())
        returns += rewards
        for lane in np.flatnonzero(terminated | truncated):
            if lane not in finals:
                final = info["final_info"]
                finals[lane] = {
                    "x_pos": int(final["x_pos"][lane]),
                    "flag_get": bool(final["flag_get"][lane]),
                    "return": float(returns[lane]),
                }
    envs.close()
    return [finals[lane] for lane in range(args.eval_episodes)]


# --- logging -----------------------------------------------------------------------------------------------
EPISODE_COLUMNS = ["global_step", "seconds", "episode_return", "episode_length", "x_pos", "flag_get"]
EVALUATION_COLUMNS = ["global_step", "seconds", "flags", "episodes", "mean_x_pos", "mean_return"]
FLAG_X_POS = 3161  # 1-1's flagpole, for the plot


def plot_learning_curve(evaluations_csv: Path, png_path: Path) -> None:
    """Evaluation flags and mean final x_pos against agent steps (left) and wall-clock minutes (right)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with evaluations_csv.open() as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        return
    steps = np.array([int(row["global_step"]) for row in rows]) / 1e6
    minutes = np.array([float(row["seconds"]) for row in rows]) / 60
    flags = np.array([int(row["flags"]) for row in rows])
    x_pos = np.array([float(row["mean_x_pos"]) for row in rows])
    episodes = int(rows[0]["episodes"])
    figure, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
    for axis, x_values, label in (
        (axes[0], steps, "agent steps (millions)"),
        (axes[1], minutes, "wall minutes"),
    ):
        axis.plot(x_values, flags, "o-", color="tab:green", label=f"flags in {episodes} episodes")
        axis.set_xlabel(label)
        axis.set_ylim(-0.3, episodes + 0.3)
        axis.grid(alpha=0.3)
        twin = axis.twinx()
        twin.plot(x_values, x_pos, "s--", color="tab:blue", markersize=3, label="mean final x_pos")
        twin.set_ylim(0, FLAG_X_POS * 1.05)
        if axis is axes[1]:
            twin.set_ylabel("mean final x_pos (flag 3 161)")
        else:
            twin.set_yticklabels([])
    axes[0].set_ylabel(f"flags in {episodes} evaluation episodes")
    handles = axes[0].get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    axes[0].legend(handles, [handle.get_label() for handle in handles], loc="upper left")
    figure.suptitle("PPO on tiles, SuperMarioBros-1-1-v0 (sampled actions)")
    figure.tight_layout()
    with output_file(png_path) as temporary:
        figure.savefig(temporary, dpi=100)
    plt.close(figure)


# --- training ----------------------------------------------------------------------------------------------
def train(args: Args) -> dict:
    """PPO until the evaluation target, ``args.total_steps`` or ``args.max_minutes``; returns a summary."""
    out = output_folder(args.out)
    with output_file(out / "args.json") as temporary:
        temporary.write_text(json.dumps(asdict(args), indent=2))
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.torch_threads)

    envs = make_envs(args, args.num_envs)
    agent = new_agent(args)
    optimizer = torch.optim.Adam(agent.parameters(), lr=args.learning_rate, eps=1e-5)

    batch_size = args.num_envs * args.num_steps
    minibatch_size = batch_size // args.num_minibatches
    num_updates = max(1, args.total_steps // batch_size)
    observation_shape = envs.single_observation_space.shape
    obs_buffer = torch.zeros((args.num_steps, args.num_envs, *observation_shape), dtype=torch.uint8)
    actions = torch.zeros((args.num_steps, args.num_envs), dtype=torch.long)
    logprobs = torch.zeros((args.num_steps, args.num_envs))
    rewards = torch.zeros((args.num_steps, args.num_envs))
    dones = torch.zeros((args.num_steps, args.num_envs))
    values = torch.zeros((args.num_steps, args.num_envs))

    episodes_log = (out / "episodes.csv").open("w", newline="")
    episodes_writer = csv.writer(episodes_log)
    episodes_writer.writerow(EPISODE_COLUMNS)
    evaluations_log = (out / "evaluations.csv").open("w", newline="")
    evaluations_writer = csv.writer(evaluations_log)
    evaluations_writer.writerow(EVALUATION_COLUMNS)
    episode_returns = np.zeros(args.num_envs)
    episode_lengths = np.zeros(args.num_envs, dtype=np.int64)
    episodes = flags = 0
    best_flags = -1
    reached = None  # (global_step, seconds) of the first evaluation at the target

    start = time.time()
    training_seconds = 0.0  # evaluations do not count towards eval_every
    last_eval = 0.0
    global_step = 0
    next_obs, _ = envs.reset(seed=args.seed)
    next_obs = torch.from_numpy(next_obs)
    next_done = torch.zeros(args.num_envs)
    progress = tqdm(total=args.total_steps, unit="step", unit_scale=True, smoothing=0.1)

    def run_evaluation() -> int:
        started = time.time()
        finals = evaluate(agent, args, seed=args.seed + 1_000_000 + global_step)
        evaluation_flags = sum(final["flag_get"] for final in finals)
        evaluations_writer.writerow(
            [
                global_step,
                round(started - start, 1),
                evaluation_flags,
                len(finals),
                round(float(np.mean([final["x_pos"] for final in finals])), 1),
                round(float(np.mean([final["return"] for final in finals])), 1),
            ]
        )
        evaluations_log.flush()
        episodes_log.flush()
        save_policy(agent, args, out / "policy.safetensors", global_step)
        plot_learning_curve(out / "evaluations.csv", out / "learning_curve.png")
        mean_x_pos = np.mean([final["x_pos"] for final in finals])
        tqdm.write(
            f"eval at {global_step} steps, {(started - start) / 60:.1f} min: "
            f"{evaluation_flags}/{len(finals)} flags, mean x_pos {mean_x_pos:.0f} "
            f"({time.time() - started:.1f} s)"
        )
        return evaluation_flags

    for update in range(1, num_updates + 1):
        update_started = time.time()
        if args.anneal_lr:
            optimizer.param_groups[0]["lr"] = (1.0 - (update - 1.0) / num_updates) * args.learning_rate

        # Rollout: num_steps steps of every lane.
        for step in range(args.num_steps):
            obs_buffer[step] = next_obs
            dones[step] = next_done
            with torch.no_grad():
                action, logprob, _, value = agent.get_action_and_value(next_obs)
            values[step], actions[step], logprobs[step] = value, action, logprob
            observation, reward, terminated, truncated, info = envs.step(action.numpy())
            global_step += args.num_envs
            rewards[step] = torch.from_numpy(reward * args.reward_scale).float()
            done = terminated | truncated
            next_obs, next_done = torch.from_numpy(observation), torch.from_numpy(done).float()

            episode_returns += reward
            episode_lengths += 1
            for lane in np.flatnonzero(done):
                final = info["final_info"]
                episodes_writer.writerow(
                    [
                        global_step,
                        round(time.time() - start, 1),
                        round(float(episode_returns[lane]), 1),
                        int(episode_lengths[lane]),
                        int(final["x_pos"][lane]),
                        int(final["flag_get"][lane]),
                    ]
                )
                episodes += 1
                flags += int(final["flag_get"][lane])
                episode_returns[lane] = episode_lengths[lane] = 0

        # Generalised advantage estimation.
        with torch.no_grad():
            next_value = agent.get_value(next_obs)
            advantages = torch.zeros_like(rewards)
            last_gae = 0.0
            for t in reversed(range(args.num_steps)):
                if t == args.num_steps - 1:
                    next_non_terminal, next_values = 1.0 - next_done, next_value
                else:
                    next_non_terminal, next_values = 1.0 - dones[t + 1], values[t + 1]
                delta = rewards[t] + args.gamma * next_values * next_non_terminal - values[t]
                last_gae = delta + args.gamma * args.gae_lambda * next_non_terminal * last_gae
                advantages[t] = last_gae
            returns = advantages + values

        # PPO update on the flattened batch.
        b_obs = obs_buffer.reshape((-1, *observation_shape))
        b_actions, b_logprobs = actions.reshape(-1), logprobs.reshape(-1)
        b_advantages, b_returns, b_values = advantages.reshape(-1), returns.reshape(-1), values.reshape(-1)
        for _ in range(args.update_epochs):
            for indices in torch.randperm(batch_size).split(minibatch_size):
                _, new_logprob, entropy, new_value = agent.get_action_and_value(
                    b_obs[indices], b_actions[indices]
                )
                ratio = (new_logprob - b_logprobs[indices]).exp()
                advantage = b_advantages[indices]
                advantage = (advantage - advantage.mean()) / (advantage.std() + 1e-8)
                policy_loss = torch.max(
                    -advantage * ratio, -advantage * ratio.clamp(1 - args.clip_coef, 1 + args.clip_coef)
                ).mean()
                value_clipped = b_values[indices] + (new_value - b_values[indices]).clamp(
                    -args.clip_coef, args.clip_coef
                )
                value_loss = (
                    0.5
                    * torch.max(
                        (new_value - b_returns[indices]) ** 2, (value_clipped - b_returns[indices]) ** 2
                    ).mean()
                )
                loss = policy_loss - args.ent_coef * entropy.mean() + args.vf_coef * value_loss
                optimizer.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(agent.parameters(), args.max_grad_norm)
                optimizer.step()

        training_seconds += time.time() - update_started
        progress.update(batch_size)
        progress.set_postfix(episodes=episodes, flags=flags, refresh=False)
        out_of_time = time.time() - start >= args.max_minutes * 60
        if training_seconds - last_eval >= args.eval_every or update == num_updates or out_of_time:
            last_eval = training_seconds
            evaluation_flags = run_evaluation()
            best_flags = max(best_flags, evaluation_flags)
            if args.target_flags and evaluation_flags >= args.target_flags:
                reached = (global_step, round(time.time() - start, 1))
                break
        if out_of_time:
            break

    progress.close()
    episodes_log.close()
    evaluations_log.close()
    envs.close()
    summary = {
        "steps": global_step,
        "seconds": round(time.time() - start, 1),
        "episodes": episodes,
        "flags": flags,
        "best_evaluation_flags": best_flags,
        "target_reached_at_step": reached[0] if reached else None,
        "target_reached_at_seconds": reached[1] if reached else None,
    }
    with output_file(out / "summary.json") as temporary:
        temporary.write_text(json.dumps(summary, indent=2))
    return summary


HELP = {
    "actions": "action list of gym_mario_latent.actions (RIGHT_ONLY, SIMPLE_MOVEMENT, COMPLEX_MOVEMENT)",
    "stack": "tile grids stacked per observation",
    "total_steps": "agent steps over all lanes (the learning rate anneals to 0 over them)",
    "max_minutes": "stop after this many wall-clock minutes",
    "num_envs": "lanes stepped together",
    "num_steps": "rollout steps per lane and update",
    "max_episode_steps": "truncate an episode after this many steps",
    "reward_scale": "multiply the NES reward by this for training",
    "torch_threads": "torch CPU threads",
    "eval_every": "seconds of training between evaluations",
    "eval_episodes": "episodes per evaluation (one per lane of an evaluation env)",
    "target_flags": "stop once an evaluation reaches the flag this many times (0: never)",
    "out": "output folder",
}


def parse_args(argv: list[str] | None = None) -> Args:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    for field in fields(Args):
        flag = "--" + field.name.replace("_", "-")
        help_text = f"{HELP.get(field.name, field.name.replace('_', ' '))} (default: {field.default})"
        if field.type is bool:
            parser.add_argument(
                flag, action=argparse.BooleanOptionalAction, default=field.default, help=help_text
            )
        else:
            parser.add_argument(flag, type=field.type, default=field.default, help=help_text)
    return Args(**vars(parser.parse_args(argv)))


if __name__ == "__main__":
    print(train(parse_args()))
