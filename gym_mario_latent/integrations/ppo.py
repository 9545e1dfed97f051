"""The PPO pieces the one-file examples (``examples/ppo_smb.py``, ``examples/ppo_tiles.py``) share, in
CleanRL's formulation: orthogonal layer initialisation, an actor-critic whose subclasses give the shared body
(``features``), the rollout buffer, generalised advantage estimation, the clipped PPO update, the per-episode
log, policy files (safetensors weights, the recipe in the metadata) and the command line of an ``Args``
dataclass. Each example keeps its hyper-parameters, env, network body and training loop. Needs torch.
"""

import argparse
import csv
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, ClassVar, Protocol, TextIO

import numpy as np
import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file
from torch import nn
from torch.distributions import Categorical

from gym_mario_latent.files import output_file, output_folder


class PPOSettings(Protocol):
    """The hyper-parameters :func:`gae` and :func:`ppo_update` read (fields of an example's ``Args``)."""

    gamma: float
    gae_lambda: float
    num_minibatches: int
    update_epochs: int
    clip_coef: float
    ent_coef: float
    vf_coef: float
    max_grad_norm: float


def layer_init(layer: nn.Module, std: float = np.sqrt(2), bias: float = 0.0) -> nn.Module:
    """``layer`` with orthogonal weights of gain ``std`` and a constant bias."""
    nn.init.orthogonal_(layer.weight, std)
    nn.init.constant_(layer.bias, bias)
    return layer


class ActorCritic(nn.Module):
    """A shared body with a policy head (``actor``, logits) and a value head (``critic``).

    A subclass builds its body, then calls :meth:`add_heads` (after the body, so that the initialisation
    draws the random numbers in the body's order first), and defines :meth:`features`.
    """

    actor: nn.Linear
    critic: nn.Linear

    def add_heads(self, hidden_size: int, num_actions: int) -> None:
        self.actor = layer_init(nn.Linear(hidden_size, num_actions), std=0.01)
        self.critic = layer_init(nn.Linear(hidden_size, 1), std=1.0)

    def features(self, observations: torch.Tensor) -> torch.Tensor:
        """A batch of observations → the hidden layer both heads read."""
        raise NotImplementedError

    def get_value(self, observations: torch.Tensor) -> torch.Tensor:
        return self.critic(self.features(observations)).squeeze(-1)

    def get_action_and_value(
        self, observations: torch.Tensor, action: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """Action (sampled unless given), its log-probability, the policy's entropy and the value."""
        hidden = self.features(observations)
        distribution = Categorical(logits=self.actor(hidden))
        if action is None:
            action = distribution.sample()
        return action, distribution.log_prob(action), distribution.entropy(), self.critic(hidden).squeeze(-1)


@dataclass
class Rollout:
    """``num_steps`` steps of every lane, on the CPU: index ``[step, lane]``."""

    observations: torch.Tensor
    actions: torch.Tensor
    logprobs: torch.Tensor
    rewards: torch.Tensor
    dones: torch.Tensor  # whether the lane's episode ended just before this step's observation
    values: torch.Tensor

    def store(
        self,
        step: int,
        observation: torch.Tensor,
        done: torch.Tensor,
        action: torch.Tensor,
        logprob: torch.Tensor,
        value: torch.Tensor,
        reward: np.ndarray,
    ) -> None:
        """Step ``step`` of every lane: the observation acted on and its done flag, what the agent chose, and
        the reward (scaled for training) that followed."""
        self.observations[step] = observation
        self.dones[step] = done
        self.values[step], self.actions[step], self.logprobs[step] = value.cpu(), action.cpu(), logprob.cpu()
        self.rewards[step] = torch.from_numpy(reward).float()

    @classmethod
    def zeros(cls, num_steps: int, num_envs: int, observation_shape: tuple[int, ...]) -> "Rollout":
        return cls(
            observations=torch.zeros((num_steps, num_envs, *observation_shape), dtype=torch.uint8),
            actions=torch.zeros((num_steps, num_envs), dtype=torch.long),
            logprobs=torch.zeros((num_steps, num_envs)),
            rewards=torch.zeros((num_steps, num_envs)),
            dones=torch.zeros((num_steps, num_envs)),
            values=torch.zeros((num_steps, num_envs)),
        )


@torch.no_grad()
def gae(
    rollout: Rollout, next_value: torch.Tensor, next_done: torch.Tensor, args: PPOSettings
) -> tuple[torch.Tensor, torch.Tensor]:
    """Generalised advantage estimation: ``(advantages, returns)``, each ``[step, lane]``.

    ``next_value`` and ``next_done`` are the value and done flag of the observation after the rollout.
    """
    num_steps = len(rollout.rewards)
    advantages = torch.zeros_like(rollout.rewards)
    last_gae = 0.0
    for t in reversed(range(num_steps)):
        if t == num_steps - 1:
            next_non_terminal, next_values = 1.0 - next_done, next_value
        else:
            next_non_terminal, next_values = 1.0 - rollout.dones[t + 1], rollout.values[t + 1]
        delta = rollout.rewards[t] + args.gamma * next_values * next_non_terminal - rollout.values[t]
        last_gae = delta + args.gamma * args.gae_lambda * next_non_terminal * last_gae
        advantages[t] = last_gae
    return advantages, advantages + rollout.values


def ppo_update(
    agent: ActorCritic,
    optimizer: torch.optim.Optimizer,
    rollout: Rollout,
    advantages: torch.Tensor,
    returns: torch.Tensor,
    args: PPOSettings,
    device: torch.device | str = "cpu",
) -> None:
    """``args.update_epochs`` passes over the flattened rollout in ``args.num_minibatches`` random
    minibatches: clipped policy loss on normalised advantages, clipped value loss, entropy bonus,
    gradient norm clipping.
    """
    b_obs = rollout.observations.reshape((-1, *rollout.observations.shape[2:])).to(device)
    b_actions, b_logprobs = rollout.actions.reshape(-1).to(device), rollout.logprobs.reshape(-1).to(device)
    b_advantages, b_returns = advantages.reshape(-1).to(device), returns.reshape(-1).to(device)
    b_values = rollout.values.reshape(-1).to(device)
    batch_size = len(b_actions)
    minibatch_size = batch_size // args.num_minibatches
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


class EpisodeLog:
    """Every finished training episode as a row of ``episodes.csv``: return (unscaled), length, final x_pos
    and flag; counts the episodes and flags."""

    COLUMNS: ClassVar[list[str]] = [
        "global_step",
        "seconds",
        "episode_return",
        "episode_length",
        "x_pos",
        "flag_get",
    ]

    def __init__(self, handle: TextIO, num_envs: int, start: float) -> None:
        self.writer = csv.writer(handle)
        self.writer.writerow(self.COLUMNS)
        self.start = start
        self.returns = np.zeros(num_envs)
        self.lengths = np.zeros(num_envs, dtype=np.int64)
        self.episodes = self.flags = 0

    def step(self, global_step: int, rewards: np.ndarray, done: np.ndarray, info: dict[str, Any]) -> None:
        """Add one vector step (``rewards`` unscaled); write the lanes whose episode ended."""
        self.returns += rewards
        self.lengths += 1
        for lane in np.flatnonzero(done):
            final = info["final_info"]
            self.writer.writerow(
                [
                    global_step,
                    round(time.time() - self.start, 1),
                    round(float(self.returns[lane]), 1),
                    int(self.lengths[lane]),
                    int(final["x_pos"][lane]),
                    int(final["flag_get"][lane]),
                ]
            )
            self.episodes += 1
            self.flags += int(final["flag_get"][lane])
            self.returns[lane] = self.lengths[lane] = 0

    @property
    def counts(self) -> dict[str, int]:
        """Episodes finished and flags reached so far."""
        return {"episodes": self.episodes, "flags": self.flags}


def start_run(args: Any) -> Path:
    """The output folder ``args.out`` with ``args.json`` (``args`` a dataclass) in it; torch seeded with
    ``args.seed`` and limited to ``args.torch_threads`` threads."""
    out = output_folder(args.out)
    write_json(out / "args.json", asdict(args))
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.torch_threads)
    return out


def write_json(path: Path, data: dict[str, Any]) -> None:
    with output_file(path) as temporary:
        temporary.write_text(json.dumps(data, indent=2))


def adam(agent: nn.Module, learning_rate: float) -> torch.optim.Adam:
    """CleanRL's optimiser: Adam with epsilon 1e-5."""
    return torch.optim.Adam(agent.parameters(), lr=learning_rate, eps=1e-5)


def anneal_learning_rate(optimizer: torch.optim.Optimizer, update: int, num_updates: int, args: Any) -> None:
    """With ``args.anneal_lr``, the learning rate of update ``update`` (1-based) of ``num_updates``: linear
    from ``args.learning_rate`` down to 0."""
    if args.anneal_lr:
        optimizer.param_groups[0]["lr"] = (1.0 - (update - 1.0) / num_updates) * args.learning_rate


def pyplot() -> Any:
    """``matplotlib.pyplot`` drawing off-screen (the Agg backend), for the learning curves."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot

    return matplotlib.pyplot


def save_figure(figure: Any, path: Path) -> None:
    """``figure`` laid out, written as a PNG (100 dpi) at ``path`` and closed."""
    figure.tight_layout()
    with output_file(path) as temporary:
        figure.savefig(temporary, format="png", dpi=100)
    pyplot().close(figure)


def save_policy(agent: nn.Module, args: Any, path: Path, global_step: int, example: str) -> None:
    """The weights in safetensors; the example's name, its ``args`` (a dataclass) and the step in metadata."""
    metadata = {"example": example, "args": json.dumps(asdict(args)), "global_step": str(global_step)}
    with output_file(path) as temporary:  # a reader never sees half a file
        save_file(
            {name: tensor.detach().cpu() for name, tensor in agent.state_dict().items()}, temporary, metadata
        )


def policy_metadata(path: str | Path) -> dict[str, str]:
    """The metadata of a policy file written by :func:`save_policy`."""
    with safe_open(str(path), framework="pt") as handle:
        return handle.metadata()


def load_policy[A](
    path: str | Path, args_class: type[A], new_agent: Callable[[A], nn.Module], device: str = "cpu"
) -> tuple[nn.Module, A]:
    """The agent saved by :func:`save_policy` (built by ``new_agent(args)``) with the arguments it was trained
    with (fields the file lacks keep their defaults)."""
    saved = json.loads(policy_metadata(path)["args"])
    args = args_class(
        **{field.name: saved[field.name] for field in fields(args_class) if field.name in saved}
    )
    agent = new_agent(args)
    agent.load_state_dict(load_file(str(path), device=device))
    return agent.to(device), args


HELP = {  # --help texts of the options both examples have
    "env_id": "Gymnasium env id",
    "actions": "action list of gym_mario_latent.actions (RIGHT_ONLY, SIMPLE_MOVEMENT, COMPLEX_MOVEMENT)",
    "total_steps": "agent steps over all lanes (the learning rate anneals to 0 over them)",
    "num_envs": "lanes stepped together",
    "num_steps": "rollout steps per lane and update",
    "max_episode_steps": "truncate an episode after this many steps",
    "reward_scale": "multiply the NES reward by this for training",
    "learning_rate": "Adam learning rate",
    "anneal_lr": "anneal the learning rate linearly to 0",
    "gamma": "discount factor",
    "gae_lambda": "lambda of generalised advantage estimation",
    "num_minibatches": "minibatches per update epoch",
    "update_epochs": "passes over each rollout",
    "clip_coef": "clip range of the policy ratio and of the value change",
    "ent_coef": "weight of the entropy bonus",
    "vf_coef": "weight of the value loss",
    "max_grad_norm": "clip the gradient to this norm",
    "seed": "seed of torch and of the env resets",
    "torch_threads": "torch CPU threads",
    "out": "output folder",
}


def parse_args[A](args_class: type[A], description: str, help: dict[str, str], argv: list[str] | None) -> A:
    """An ``args_class`` dataclass from the command line: one ``--field-name`` option per field, explained by
    ``help`` or else :data:`HELP`."""
    help = HELP | help
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    for field in fields(args_class):
        flag = "--" + field.name.replace("_", "-")
        help_text = f"{help.get(field.name, field.name.replace('_', ' '))} (default: {field.default})"
        if field.type is bool:
            parser.add_argument(
                flag, action=argparse.BooleanOptionalAction, default=field.default, help=help_text
            )
        else:
            parser.add_argument(flag, type=field.type, default=field.default, help=help_text)
    return args_class(**vars(parser.parse_args(argv)))
