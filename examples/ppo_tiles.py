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

import csv
import time
from dataclasses import dataclass
from pathlib import Path

import gymnasium as gym
import numpy as np
import torch
from torch import nn
from tqdm import tqdm

import gym_mario_latent  # noqa: F401  (registers the IDs)
from gym_mario_latent import actions as action_lists
from gym_mario_latent.integrations import ppo
from gym_mario_latent.integrations.ppo import layer_init
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


HELP = {  # this example's own options (ppo.HELP explains the common ones)
    "stack": "tile grids stacked per observation",
    "max_minutes": "stop after this many wall-clock minutes",
    "embedding_dim": "embedding size per tile id",
    "eval_every": "seconds of training between evaluations",
    "eval_episodes": "episodes per evaluation (one per lane of an evaluation env)",
    "target_flags": "stop once an evaluation reaches the flag this many times (0: never)",
}


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
class Agent(ppo.ActorCritic):
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
        self.add_heads(256, num_actions)

    def features(self, observations: torch.Tensor) -> torch.Tensor:
        """``(batch, stack, 14, 16)`` tile ids → the shared hidden layer."""
        embedded = self.embedding(observations.long())  # (batch, stack, 14, 16, dim)
        batch, stack, rows, columns, dim = embedded.shape
        channels = embedded.permute(0, 1, 4, 2, 3).reshape(batch, stack * dim, rows, columns)
        return self.network(channels)


def new_agent(args: Args) -> Agent:
    return Agent(len(getattr(action_lists, args.actions)), args.stack, args.embedding_dim)


# --- checkpoints: weights in safetensors, the recipe in its metadata ---------------------------------------
def load_policy(path: str | Path) -> tuple[Agent, Args]:
    """The agent saved by ``ppo.save_policy``, with the arguments it was trained with."""
    return ppo.load_policy(path, Args, new_agent)


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
EVALUATION_COLUMNS = ["global_step", "seconds", "flags", "episodes", "mean_x_pos", "mean_return"]
FLAG_X_POS = 3161  # 1-1's flagpole, for the plot


def plot_learning_curve(evaluations_csv: Path, png_path: Path) -> None:
    """Evaluation flags and mean final x_pos against agent steps (left) and wall-clock minutes (right)."""
    plt = ppo.pyplot()
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
    ppo.save_figure(figure, png_path)


# --- training ----------------------------------------------------------------------------------------------
def train(args: Args) -> dict:
    """PPO until the evaluation target, ``args.total_steps`` or ``args.max_minutes``; returns a summary."""
    out = ppo.start_run(args)

    batch_size = args.num_envs * args.num_steps
    num_updates = max(1, args.total_steps // batch_size)
    envs = make_envs(args, args.num_envs)
    rollout = ppo.Rollout.zeros(args.num_steps, args.num_envs, envs.single_observation_space.shape)
    agent = new_agent(args)
    optimizer = ppo.adam(agent, args.learning_rate)

    episodes_log = (out / "episodes.csv").open("w", newline="")
    evaluations_log = (out / "evaluations.csv").open("w", newline="")
    evaluations_writer = csv.writer(evaluations_log)
    evaluations_writer.writerow(EVALUATION_COLUMNS)
    best_flags = -1
    reached = None  # (global_step, seconds) of the first evaluation at the target

    start = time.time()
    episode_log = ppo.EpisodeLog(episodes_log, args.num_envs, start)
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
        ppo.save_policy(agent, args, out / "policy.safetensors", global_step, EXAMPLE_NAME)
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
        ppo.anneal_learning_rate(optimizer, update, num_updates, args)

        # Rollout: num_steps steps of every lane.
        for step in range(args.num_steps):
            with torch.no_grad():
                action, logprob, _, value = agent.get_action_and_value(next_obs)
            observation, reward, terminated, truncated, info = envs.step(action.numpy())
            rollout.store(step, next_obs, next_done, action, logprob, value, reward * args.reward_scale)
            global_step += args.num_envs
            done = terminated | truncated
            next_obs, next_done = torch.from_numpy(observation), torch.from_numpy(done).float()
            episode_log.step(global_step, reward, done, info)

        with torch.no_grad():
            next_value = agent.get_value(next_obs)
        advantages, returns = ppo.gae(rollout, next_value, next_done, args)
        ppo.ppo_update(agent, optimizer, rollout, advantages, returns, args)

        training_seconds += time.time() - update_started
        progress.update(batch_size)
        progress.set_postfix(episodes=episode_log.episodes, flags=episode_log.flags, refresh=False)
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
        **episode_log.counts,
        "best_evaluation_flags": best_flags,
        "target_reached_at_step": reached[0] if reached else None,
        "target_reached_at_seconds": reached[1] if reached else None,
    }
    ppo.write_json(out / "summary.json", summary)
    return summary


def parse_args(argv: list[str] | None = None) -> Args:
    return ppo.parse_args(Args, __doc__, HELP, argv)


if __name__ == "__main__":
    print(train(parse_args()))
