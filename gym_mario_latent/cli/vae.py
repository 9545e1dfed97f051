"""``gym-mario-latent vae``: train the Mario VAE and draw what it has learnt."""

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from gym_mario_latent.cli.arguments import (
    add_action,
    add_command_group,
    folder_path,
    fraction,
    output_path,
    positive_finite_float,
    positive_int,
    seed,
)
from gym_mario_latent.errors import CheckpointError
from gym_mario_latent.levels import ids_to_text, render_grid, save_png
from gym_mario_latent.vae import (
    TrainConfig,
    import_mariovae,
    latent_grid_image,
    read_metadata,
    reconstructions_image,
    save_checkpoint,
    train,
    train_test_split,
    vglc_windows,
    vglc_windows_description,
)
from gym_mario_latent.vae.checkpoint import check_checkpoint_targets
from gym_mario_latent.vae.pictures import sample_levels
from gym_mario_latent.vae.pretrained import load_vae, resolve_checkpoint
from gym_mario_latent.vae.train import config_record, tile_accuracy

DEFAULTS = TrainConfig()


def _add_checkpoint_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--checkpoint",
        metavar="PATH",
        help="checkpoint to use: a shipped model (pretrained, pretrained-2, pretrained-32) or a "
        "file (NAME, NAME.safetensors or NAME.json); default: pretrained (z_dim 2)",
    )


def _add_picture_action(
    actions: argparse._SubParsersAction,
    name: str,
    *,
    help: str,
    description: str,
    seed_help: str,
    tile_size: int,
    out: str,
    run: Callable[[argparse.Namespace], int],
) -> argparse.ArgumentParser:
    """Add an action that draws a checkpoint's levels into a PNG: --checkpoint, --seed, --tile-size, --out."""
    parser = add_action(actions, name, help=help, description=description, run=run)
    _add_checkpoint_argument(parser)
    parser.add_argument("--seed", type=seed, default=0, help=seed_help)
    parser.add_argument("--tile-size", type=positive_int, default=tile_size, help="pixels per tile")
    parser.add_argument("--out", type=output_path, default=out, help="PNG to write")
    return parser


def _model(args: argparse.Namespace):
    return load_vae(args.checkpoint)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``vae`` command and its train / grid / sample / reconstruct / info / import actions."""
    actions = add_command_group(
        subparsers,
        "vae",
        help="train the Mario VAE, draw its latent space and samples",
        description="The categorical VAE of 14x14 Super Mario Bros level segments (VGLC tiles "
        "X S - ? Q E < > [ ] o). A pretrained model (z_dim 2) ships with the package.",
    )

    train_parser = add_action(
        actions,
        "train",
        help="train a VAE on the VGLC levels and save a checkpoint",
        description="Train a MarioVAE on 14x14 windows of the 15 VGLC Super Mario Bros levels "
        "(slid with stride 1, split into train/test by --seed), with Adam on the negative ELBO "
        "and early stopping on the test loss. A progress bar shows the train and test loss (nats "
        "per window). Writes OUT.safetensors (weights) and OUT.json (alphabet, shape, z_dim, "
        "config, final metrics). The same seed on the same CPU set-up gives the same weights.",
        run=run_train,
    )
    train_parser.add_argument("--z-dim", type=positive_int, default=DEFAULTS.z_dim, help="latent size")
    train_parser.add_argument(
        "--epochs",
        type=positive_int,
        default=DEFAULTS.epochs,
        help="most epochs (early stopping may end sooner)",
    )
    train_parser.add_argument(
        "--batch-size", type=positive_int, default=DEFAULTS.batch_size, help="windows per step"
    )
    train_parser.add_argument(
        "--lr", type=positive_finite_float, default=DEFAULTS.lr, help="Adam learning rate"
    )
    train_parser.add_argument(
        "--patience",
        type=positive_int,
        default=DEFAULTS.patience,
        help="stop after this many epochs without a better test loss",
    )
    train_parser.add_argument(
        "--test-fraction",
        type=fraction,
        default=DEFAULTS.test_fraction,
        help="share of windows held out",
    )
    train_parser.add_argument(
        "--seed",
        type=seed,
        default=DEFAULTS.seed,
        help="seeds the split, weights, batches and noise",
    )
    train_parser.add_argument("--device", default="cpu", help="torch device, e.g. cpu or cuda")
    train_parser.add_argument(
        "--out",
        metavar="PATH",
        default="mario_vae_z{z_dim}",
        help="checkpoint path without suffix; {z_dim} is replaced by the latent size",
    )
    train_parser.add_argument(
        "--threads",
        type=positive_int,
        default=1,
        help="CPU threads for torch (this small MLP trains fastest on one, above all on a busy machine)",
    )
    train_parser.add_argument("--quiet", action="store_true", help="no progress bar")

    grid_parser = _add_picture_action(
        actions,
        "grid",
        help="draw decoded levels on a regular grid over the latent space",
        description="Decode the latents of a SIZE x SIZE regular grid over [-BOUND, BOUND]^2 and "
        "draw the levels as one PNG (top row: largest z2; left column: smallest z1). For z_dim "
        "above 2 the grid lies in a random 2-D plane through the origin chosen by --seed.",
        seed_help="picks the 2-D plane when z_dim > 2",
        tile_size=8,
        out="vae_latent_grid.png",
        run=run_grid,
    )
    grid_parser.add_argument("--size", type=positive_int, default=10, help="levels per side")
    grid_parser.add_argument(
        "--bound", type=positive_finite_float, default=3.0, help="grid half-width in latent units"
    )
    grid_parser.add_argument("--no-labels", action="store_true", help="leave out the axis values")

    sample_parser = _add_picture_action(
        actions,
        "sample",
        help="draw levels decoded from random latents",
        description="Draw N latents from the prior N(0, I) with --seed, decode the most likely "
        "level of each and write them as one PNG grid.",
        seed_help="seed of the latents",
        tile_size=16,
        out="vae_samples.png",
        run=run_sample,
    )
    sample_parser.add_argument("-n", "--count", type=positive_int, default=16, help="number of levels")
    sample_parser.add_argument(
        "--columns", type=positive_int, help="levels per picture row (default: square)"
    )
    sample_parser.add_argument("--print", action="store_true", help="also print the levels as text")

    reconstruct_parser = _add_picture_action(
        actions,
        "reconstruct",
        help="draw held-out windows above their reconstructions",
        description="Pick N windows of the checkpoint's held-out test split (the split its "
        "training seed made), and draw them in the top row with the model's reconstructions "
        "(posterior mean, most likely tiles) below. Prints the tile accuracy on the whole split.",
        seed_help="picks the windows",
        tile_size=16,
        out="vae_reconstructions.png",
        run=run_reconstruct,
    )
    reconstruct_parser.add_argument("-n", "--count", type=positive_int, default=6, help="number of windows")

    info_parser = add_action(
        actions,
        "info",
        help="print a checkpoint's metadata (config and metrics)",
        description="Print the JSON metadata of a checkpoint: alphabet, shape, z_dim, training "
        "config and final metrics.",
        run=run_info,
    )
    _add_checkpoint_argument(info_parser)

    import_parser = add_action(
        actions,
        "import",
        help="convert a MarioVAE .pt checkpoint to this package's checkpoint",
        description="Read a state dict saved by MarioVAE (torch.save(vae.state_dict(), FILE.pt), e.g. "
        "its models/example.pt) with torch.load(..., weights_only=True), so no pickled code can run; "
        "check its layers, z_dim and the 11-tile alphabet; and write DIR/NAME.safetensors + "
        "DIR/NAME.json, to use with --checkpoint DIR/NAME or load_checkpoint().",
        run=run_import,
    )
    import_parser.add_argument("file", metavar="FILE.pt", help="MarioVAE state dict")
    import_parser.add_argument(
        "--out", metavar="DIR", type=folder_path, default=".", help="folder for the checkpoint"
    )
    import_parser.add_argument("--name", help="checkpoint name (default: FILE's name without .pt)")


def run_train(args: argparse.Namespace) -> int:
    """Train, save the checkpoint and print its metrics."""
    config = TrainConfig(
        z_dim=args.z_dim,
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        patience=args.patience,
        seed=args.seed,
        test_fraction=args.test_fraction,
    )
    out = args.out.replace("{z_dim}", str(config.z_dim))
    check_checkpoint_targets(out)
    threads_before = torch.get_num_threads()
    torch.set_num_threads(args.threads)
    try:
        result = train(config, device=args.device, progress=not args.quiet)
    finally:
        torch.set_num_threads(threads_before)  # main() may run inside a longer-lived process
    weights = save_checkpoint(result.model, out, config=config_record(result), metrics=result.metrics)
    metrics = result.metrics
    print(
        f"saved {weights} (+ .json): best epoch {metrics['best_epoch']} "
        f"of {metrics['epochs_run']}, "
        f"test ELBO {metrics['test_elbo']:.2f} nats/window, held-out tile accuracy "
        f"{metrics['test_tile_accuracy']:.4f} (most-common-tile baseline "
        f"{metrics['majority_baseline_accuracy']:.4f}), {metrics['train_seconds']} s"
    )
    return 0


def run_grid(args: argparse.Namespace) -> int:
    """Write the latent-space grid picture."""
    image = latent_grid_image(
        _model(args), args.size, args.bound, args.seed, args.tile_size, labels=not args.no_labels
    )
    print(f"wrote {save_png(image, args.out)}")
    return 0


def run_sample(args: argparse.Namespace) -> int:
    """Write a picture of random decoded levels (and print them if asked)."""
    levels = sample_levels(_model(args), args.count, args.seed)
    if args.print:
        for level in levels:
            print(ids_to_text(level) + "\n")
    image = render_grid(levels, columns=args.columns, tile_size=args.tile_size)
    print(f"wrote {save_png(image, args.out)}")
    return 0


def run_reconstruct(args: argparse.Namespace) -> int:
    """Write held-out windows and their reconstructions; print the held-out tile accuracy."""
    model = _model(args)
    config = read_metadata(resolve_checkpoint(args.checkpoint))["config"]
    # an imported MarioVAE checkpoint has no split of ours: use the default one
    data = config.get("data", vglc_windows_description())
    if data != vglc_windows_description():
        raise CheckpointError(
            f"{args.checkpoint} was trained on {data}: reconstruct draws from the held-out split of "
            f"{vglc_windows_description()} only"
        )
    test_fraction = config.get("test_fraction", DEFAULTS.test_fraction)
    _, test_ids = train_test_split(vglc_windows(), test_fraction, config.get("seed", DEFAULTS.seed))
    picked = np.random.default_rng(args.seed).choice(len(test_ids), args.count, replace=False)
    image = reconstructions_image(model, test_ids[np.sort(picked)], args.tile_size)
    accuracy = tile_accuracy(model, torch.from_numpy(test_ids))
    print(
        f"held-out tile accuracy {accuracy['tile_accuracy']:.4f} over {len(test_ids)} windows "
        f"(non-empty tiles: {accuracy['non_empty_tile_accuracy']:.4f})"
    )
    print(f"wrote {save_png(image, args.out)}")
    return 0


def run_info(args: argparse.Namespace) -> int:
    """Print checkpoint metadata."""
    print(json.dumps(read_metadata(resolve_checkpoint(args.checkpoint)), indent=2))
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Convert a MarioVAE state dict to our checkpoint and say how to use it."""
    name = args.name or Path(args.file).stem
    # the folder is made only once the weights have passed every check
    weights = import_mariovae(args.file, Path(args.out) / name)
    checkpoint = weights.with_suffix("")
    z_dim = read_metadata(checkpoint)["z_dim"]
    print(f"wrote {weights} (+ .json): MarioVAE z_dim {z_dim}; use it with --checkpoint {checkpoint}")
    return 0
