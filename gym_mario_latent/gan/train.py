"""Training the MarioGAN-style DCGAN as a Wasserstein GAN with weight clipping, MarioGAN's recipe.

MarioGAN (and MarioGAN-LSI after it) trains with the original WGAN: RMSprop at learning rate
5e-5 for both nets, the critic's weights clamped to [-0.01, 0.01], five critic steps per
generator step (a hundred for the first 25 generator steps and every 500th), batches of 32, for
thousands of passes over the data. That many generator steps do not fit in half an hour of a
shared two-core CPU, so the defaults (the shipped model's config) keep the loss, the clamp and
the batch but use Adam (betas 0.5, 0.999, the option MarioGAN's script offers) at 1e-4, three
critic steps per generator step after a 10-step warm-up of 20, for 1000 generator steps.
``optimizer="rmsprop", lr=5e-5, critic_steps=5, warmup_iterations=25, warmup_critic_steps=100``
is the published recipe.

Reproducible: the seed fixes the initial weights, the batch order and the noise, and torch's
deterministic algorithms are on while training.
"""

import time
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import torch
from tqdm.auto import tqdm

from gym_mario_latent.gan.data import gan_windows, gan_windows_description, padded_onehot
from gym_mario_latent.gan.model import LEVEL_SHAPE, Z_DIM, Critic, MarioGAN, init_weights
from gym_mario_latent.levels import N_TILES
from gym_mario_latent.vae.train import deterministic_torch


@dataclass(frozen=True)
class GANTrainConfig:
    """Hyper-parameters of a training run (defaults: those of the shipped model).

    Attributes:
        z_dim: latent size.
        iterations: generator steps.
        batch_size: windows per step.
        lr: learning rate of both nets.
        optimizer: ``rmsprop`` (MarioGAN's) or ``adam`` (betas 0.5, 0.999).
        clamp: the critic's weights are clamped to [-clamp, clamp] before each of its steps.
        critic_steps: critic steps per generator step.
        warmup_iterations: generator steps that get ``warmup_critic_steps`` critic steps instead
            (the first ones, and every ``warmup_every``-th).
        warmup_critic_steps: critic steps in a warm-up iteration.
        warmup_every: a warm-up iteration recurs every this many generator steps (0: never).
        stride: columns between successive training windows.
        seed: seeds the weights, the batch order and the noise.
    """

    z_dim: int = Z_DIM
    iterations: int = 1000
    batch_size: int = 32
    lr: float = 1e-4
    optimizer: str = "adam"
    clamp: float = 0.01
    critic_steps: int = 3
    warmup_iterations: int = 10
    warmup_critic_steps: int = 20
    warmup_every: int = 500
    stride: int = 1
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("z_dim", "iterations", "batch_size", "critic_steps", "warmup_critic_steps", "stride"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1; got {getattr(self, name)}")
        for name in ("warmup_iterations", "warmup_every"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative; got {getattr(self, name)}")
        if self.lr <= 0 or self.clamp <= 0:
            raise ValueError(f"lr and clamp must be positive; got lr {self.lr}, clamp {self.clamp}")
        if self.optimizer not in ("rmsprop", "adam"):
            raise ValueError(f"optimizer must be rmsprop or adam; got {self.optimizer!r}")

    def critic_steps_at(self, iteration: int) -> int:
        """Critic steps before generator step ``iteration`` (counted from 0)."""
        warm = iteration < self.warmup_iterations or (
            self.warmup_every and iteration % self.warmup_every == 0
        )
        return self.warmup_critic_steps if warm else self.critic_steps


@dataclass
class GANTrainResult:
    """A trained generator (eval mode), its metrics, its per-iteration Wasserstein estimates and,
    in words, the windows it was trained on."""

    model: MarioGAN
    config: GANTrainConfig
    metrics: dict[str, Any]
    data: str
    history: list[dict[str, float]] = field(default_factory=list)


def tile_frequencies(levels: np.ndarray) -> np.ndarray:
    """Share of each VAE tile among all cells of ``levels`` (N_TILES,)."""
    return np.bincount(np.asarray(levels).ravel(), minlength=N_TILES) / np.asarray(levels).size


def initial_models(
    config: GANTrainConfig, shape: tuple[int, int] = LEVEL_SHAPE, device: str | torch.device = "cpu"
) -> tuple[MarioGAN, Critic]:
    """The untrained generator and critic of a run: built and initialised (DCGAN's scheme) from
    ``config.seed``, as :func:`train_gan` starts."""
    torch.manual_seed(config.seed)
    generator = MarioGAN(z_dim=config.z_dim, shape=shape).to(device)
    critic = Critic(N_TILES).to(device)
    generator.apply(init_weights)
    critic.apply(init_weights)
    return generator, critic


def _optimizer(config: GANTrainConfig, parameters) -> torch.optim.Optimizer:
    if config.optimizer == "adam":
        return torch.optim.Adam(parameters, lr=config.lr, betas=(0.5, 0.999))
    return torch.optim.RMSprop(parameters, lr=config.lr)


class _Batches:
    """Endless batches of the training maps, reshuffled each pass with a seeded generator."""

    def __init__(self, maps: torch.Tensor, batch_size: int, generator: torch.Generator) -> None:
        self.maps, self.batch_size, self.generator = maps, batch_size, generator
        self.order: list[torch.Tensor] = []

    def next(self) -> torch.Tensor:
        if not self.order:
            self.order = list(torch.randperm(len(self.maps), generator=self.generator).split(self.batch_size))
        return self.maps[self.order.pop(0).to(self.maps.device)]


def train_gan(
    config: GANTrainConfig = GANTrainConfig(),
    windows: np.ndarray | None = None,
    device: str | torch.device = "cpu",
    progress: bool = True,
    data: str | None = None,
) -> GANTrainResult:
    """Train a MarioGAN on 14×28 windows (default: every VGLC window at ``config.stride``).

    Args:
        config: hyper-parameters.
        windows: tile ids (n, 14, 28) to train on.
        device: where to train.
        progress: show a tqdm bar with the critic's Wasserstein estimate.
        data: what ``windows`` are, in words, for the checkpoint record.
    """
    started = time.perf_counter()
    if windows is None:
        windows, data = gan_windows(config.stride), gan_windows_description(config.stride)
    elif data is None:
        data = f"{len(windows)} windows of {windows.shape[1]}x{windows.shape[2]} tiles given to train_gan()"
    maps = torch.as_tensor(padded_onehot(windows), device=device)
    with deterministic_torch():
        generator, critic = initial_models(config, tuple(windows.shape[1:]), device)
        generator_optimizer = _optimizer(config, generator.parameters())
        critic_optimizer = _optimizer(config, critic.parameters())
        randomness = torch.Generator().manual_seed(config.seed)
        batches = _Batches(maps, config.batch_size, randomness)

        def noise() -> torch.Tensor:
            return torch.randn(config.batch_size, config.z_dim, generator=randomness).to(device)

        history: list[dict[str, float]] = []
        bar = tqdm(range(config.iterations), desc="training", unit="iteration", disable=not progress)
        generator.train()
        for iteration in bar:
            for parameter in critic.parameters():
                parameter.requires_grad_(True)
            for _ in range(config.critic_steps_at(iteration)):
                for parameter in critic.parameters():
                    parameter.data.clamp_(-config.clamp, config.clamp)
                real = batches.next()
                with torch.no_grad():
                    fake = generator(noise())
                critic_optimizer.zero_grad()
                wasserstein = critic(real).mean() - critic(fake).mean()
                (-wasserstein).backward()
                critic_optimizer.step()
            for parameter in critic.parameters():
                parameter.requires_grad_(False)
            generator_optimizer.zero_grad()
            generator_loss = -critic(generator(noise())).mean()
            generator_loss.backward()
            generator_optimizer.step()
            history.append({"iteration": iteration + 1, "wasserstein": wasserstein.item()})
            bar.set_postfix(wasserstein=f"{wasserstein.item():.4f}")
        bar.close()
        generator.eval()

    sample = generator.generate(torch.randn(1000, config.z_dim, generator=randomness).numpy())
    real_frequencies, sample_frequencies = tile_frequencies(windows), tile_frequencies(sample)
    metrics = {
        "iterations_run": len(history),
        "final_wasserstein": history[-1]["wasserstein"],
        "tile_frequency_l1": float(np.abs(real_frequencies - sample_frequencies).sum()),
        "n_train": len(windows),
        "train_seconds": round(time.perf_counter() - started, 1),
        "torch_threads": torch.get_num_threads(),
        "device": str(device),
    }
    return GANTrainResult(model=generator, config=config, metrics=metrics, data=data, history=history)


def config_record(result: GANTrainResult) -> dict[str, Any]:
    """The run's config as stored in checkpoint metadata, with the data it was trained on."""
    return {**asdict(result.config), "data": result.data}
