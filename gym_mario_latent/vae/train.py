"""Training the MarioVAE: Adam on the negative ELBO, early stopping on the held-out loss.

Reproducible: the seed fixes the train/test split, the initial weights, the batch order and the
noise of the reparameterisation; deterministic algorithms are switched on while training, so the
same seed on the same CPU set-up gives the same weights.
"""

import contextlib
import copy
import math
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import torch
from tqdm.auto import tqdm

from gym_mario_latent.levels import EMPTY_ID, ids_to_onehot
from gym_mario_latent.vae.data import train_test_split, vglc_windows, vglc_windows_description
from gym_mario_latent.vae.model import MarioVAE


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters of a training run (defaults: those of the shipped model).

    Attributes:
        z_dim: latent size.
        epochs: most epochs to run.
        batch_size: windows per optimiser step.
        lr: Adam learning rate.
        patience: stop after this many epochs without a better test loss.
        seed: seeds the split, the weights, the batch order and the sampling noise.
        test_fraction: share of the windows held out for early stopping and metrics.
    """

    z_dim: int = 2
    epochs: int = 500
    batch_size: int = 64
    lr: float = 1e-3
    patience: int = 25
    seed: int = 0
    test_fraction: float = 0.2

    def __post_init__(self) -> None:
        for name in ("z_dim", "epochs", "batch_size", "patience"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1; got {getattr(self, name)}")
        if not (math.isfinite(self.lr) and self.lr > 0):
            raise ValueError(f"lr must be positive and finite; got {self.lr}")


@dataclass
class TrainResult:
    """A trained model (the weights of its best epoch), its metrics, its loss history and, in words,
    the windows it was trained on."""

    model: MarioVAE
    config: TrainConfig
    metrics: dict[str, Any]
    data: str
    history: list[dict[str, float]] = field(default_factory=list)


@contextlib.contextmanager
def deterministic_torch() -> Iterator[None]:
    """Switch on torch's deterministic algorithms for the duration of the block."""
    previous = torch.are_deterministic_algorithms_enabled()
    torch.use_deterministic_algorithms(True, warn_only=True)
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(previous)


def estimate_elbo(
    model: MarioVAE, levels: torch.Tensor, seed: int = 0, batch_size: int = 4096
) -> torch.Tensor:
    """ELBO of each level (nats) with one posterior sample drawn from a seeded generator."""
    generator = torch.Generator(device=model.device).manual_seed(seed)
    elbos = []
    with torch.no_grad():
        for batch in torch.split(levels, batch_size):
            q_z_given_x = model.encode(batch)
            noise = torch.randn(q_z_given_x.loc.shape, generator=generator, device=model.device)
            p_x_given_z = model.decode(q_z_given_x.loc + q_z_given_x.scale * noise)
            elbos.append(model.elbo(batch, q_z_given_x, p_x_given_z))
    return torch.cat(elbos)


def tile_accuracy(model: MarioVAE, levels: torch.Tensor) -> dict[str, float]:
    """How often reconstructions (posterior mean, most likely tile) match, over all cells and
    over the cells that are not empty space."""
    with torch.no_grad():
        truth = levels.argmax(dim=1) if levels.is_floating_point() else levels
        truth = truth.to(model.device)
        correct = model.reconstruct(levels) == truth
    solid = truth != EMPTY_ID
    return {
        "tile_accuracy": correct.float().mean().item(),
        "non_empty_tile_accuracy": correct[solid].float().mean().item(),
    }


def majority_baseline_accuracy(train_ids: np.ndarray, test_ids: np.ndarray) -> float:
    """Accuracy on ``test_ids`` of predicting the most common training tile everywhere."""
    most_common = np.bincount(train_ids.ravel()).argmax()
    return float((test_ids == most_common).mean())


def train(
    config: TrainConfig = TrainConfig(),
    windows: np.ndarray | None = None,
    device: str | torch.device = "cpu",
    progress: bool = True,
    data: str | None = None,
) -> TrainResult:
    """Train a MarioVAE until the test loss stops improving for ``config.patience`` epochs.

    Args:
        config: hyper-parameters.
        windows: tile ids (n, 14, 14) to split into train/test; default: all VGLC windows.
        device: where to train.
        progress: show a tqdm bar with the train and test losses.
        data: what ``windows`` are, in words, for the checkpoint record; default: the VGLC
            windows' description, or the count and shape of the given windows.

    Returns:
        The model at its best epoch (eval mode), with final metrics and per-epoch losses.
    """
    started = time.perf_counter()
    if windows is None:
        windows, data = vglc_windows(), vglc_windows_description()
    elif data is None:
        data = f"{len(windows)} windows of {windows.shape[1]}x{windows.shape[2]} tiles given to train()"
    train_ids, test_ids = train_test_split(windows, config.test_fraction, config.seed)
    train_x = torch.as_tensor(ids_to_onehot(train_ids), device=device)
    test_x = torch.as_tensor(ids_to_onehot(test_ids), device=device)

    with deterministic_torch():
        torch.manual_seed(config.seed)
        model = MarioVAE(z_dim=config.z_dim).to(device)
        optimizer = torch.optim.Adam(model.parameters(), lr=config.lr)
        batch_order = torch.Generator().manual_seed(config.seed)
        best_loss, best_epoch, best_state = float("inf"), 0, None
        history: list[dict[str, float]] = []
        bar = tqdm(range(1, config.epochs + 1), desc="training", unit="epoch", disable=not progress)
        for epoch in bar:
            model.train()
            total = 0.0
            for batch in torch.randperm(len(train_x), generator=batch_order).split(config.batch_size):
                optimizer.zero_grad()
                loss = model.loss(train_x[batch.to(device)])
                loss.backward()
                optimizer.step()
                total += loss.item() * len(batch)
            model.eval()
            test_loss = -estimate_elbo(model, test_x, seed=config.seed).mean().item()
            history.append({"epoch": epoch, "train_loss": total / len(train_x), "test_loss": test_loss})
            if test_loss < best_loss:
                best_loss, best_epoch = test_loss, epoch
                best_state = copy.deepcopy(model.state_dict())
            bar.set_postfix(
                train=f"{total / len(train_x):.2f}",
                test=f"{test_loss:.2f}",
                best=f"{best_loss:.2f}@{best_epoch}",
            )
            if epoch - best_epoch >= config.patience:
                break
        bar.close()
        model.load_state_dict(best_state)
        model.eval()

    metrics = {
        "epochs_run": len(history),
        "best_epoch": best_epoch,
        "train_loss": history[best_epoch - 1]["train_loss"],
        "test_loss": best_loss,
        "test_elbo": -best_loss,
        **{f"test_{key}": value for key, value in tile_accuracy(model, test_x).items()},
        "majority_baseline_accuracy": majority_baseline_accuracy(train_ids, test_ids),
        "n_train": len(train_ids),
        "n_test": len(test_ids),
        "train_seconds": round(time.perf_counter() - started, 1),
        "torch_threads": torch.get_num_threads(),
        "device": str(device),
    }
    return TrainResult(model=model, config=config, metrics=metrics, history=history, data=data)


def config_record(result: TrainResult) -> dict[str, Any]:
    """The run's config as stored in checkpoint metadata, with the data it was trained on."""
    return {**asdict(result.config), "data": result.data}
