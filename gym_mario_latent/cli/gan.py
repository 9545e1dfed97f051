"""``gym-mario-latent gan``: train the MarioGAN-style DCGAN, draw its samples, import MarioGAN weights."""

import argparse
import json
from pathlib import Path

import torch

from gym_mario_latent.cli.arguments import (
    add_action,
    add_command_group,
    folder_path,
    output_path,
    positive_int,
    seed,
)
from gym_mario_latent.gan import (
    PRETRAINED_GANS,
    GANTrainConfig,
    import_mariogan,
    load_gan,
    read_gan_metadata,
    resolve_gan_checkpoint,
    save_gan_checkpoint,
    train_gan,
)
from gym_mario_latent.gan.train import config_record
from gym_mario_latent.levels import alphabet_ids_to_text, alphabet_ids_to_vae_ids, render_grid, save_png
from gym_mario_latent.vae.checkpoint import check_checkpoint_targets
from gym_mario_latent.vae.pictures import sample_levels

DEFAULTS = GANTrainConfig()


def _add_checkpoint_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--checkpoint",
        metavar="PATH",
        help=f"GAN checkpoint: a shipped model ({', '.join(PRETRAINED_GANS)}) or a file (NAME, "
        "NAME.safetensors or NAME.json, e.g. one written by gan import); default: pretrained",
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``gan`` command and its train / sample / info / import actions."""
    actions = add_command_group(
        subparsers,
        "gan",
        help="train the MarioGAN-style DCGAN, draw its samples, import MarioGAN weights",
        description="A DCGAN of 14x28 Super Mario Bros level segments with MarioGAN's layout (32-d "
        "latent, a 32x32 square cropped to 14 rows x 28 columns) in the VAE tile alphabet. A "
        "pretrained model ships with the package.",
    )

    train_parser = add_action(
        actions,
        "train",
        help="train a GAN on the VGLC levels and save a checkpoint",
        description="Train the generator on the 14x28 windows of the 15 VGLC Super Mario Bros levels "
        "as a Wasserstein GAN with weight clipping, as MarioGAN does (clamp 0.01, several critic steps "
        "per generator step after a warm-up; MarioGAN's own recipe, slower to converge, is --optimizer "
        "rmsprop --lr 5e-5 --critic-steps 5 --warmup-iterations 25 --warmup-critic-steps 100). A progress "
        "bar shows the critic's "
        "Wasserstein estimate. Writes OUT.safetensors (generator weights) and OUT.json (tiles, shape, "
        "z_dim, config, metrics). The same seed on the same CPU set-up gives the same weights.",
        run=run_train,
    )
    train_parser.add_argument(
        "--iterations", type=positive_int, default=DEFAULTS.iterations, help="generator steps"
    )
    train_parser.add_argument(
        "--batch-size", type=positive_int, default=DEFAULTS.batch_size, help="windows per step"
    )
    train_parser.add_argument("--lr", type=float, default=DEFAULTS.lr, help="learning rate of both nets")
    train_parser.add_argument(
        "--optimizer", choices=("rmsprop", "adam"), default=DEFAULTS.optimizer, help="optimiser of both nets"
    )
    train_parser.add_argument("--clamp", type=float, default=DEFAULTS.clamp, help="critic weight clamp")
    train_parser.add_argument(
        "--critic-steps",
        type=positive_int,
        default=DEFAULTS.critic_steps,
        help="critic steps per generator step",
    )
    train_parser.add_argument(
        "--warmup-iterations",
        type=int,
        default=DEFAULTS.warmup_iterations,
        help="first generator steps that get --warmup-critic-steps critic steps",
    )
    train_parser.add_argument(
        "--warmup-critic-steps",
        type=positive_int,
        default=DEFAULTS.warmup_critic_steps,
        help="critic steps of a warm-up iteration",
    )
    train_parser.add_argument(
        "--warmup-every",
        type=int,
        default=DEFAULTS.warmup_every,
        help="a warm-up iteration recurs this often",
    )
    train_parser.add_argument(
        "--stride", type=positive_int, default=DEFAULTS.stride, help="columns between windows"
    )
    train_parser.add_argument(
        "--seed", type=seed, default=DEFAULTS.seed, help="seeds the weights, batches and noise"
    )
    train_parser.add_argument("--device", default="cpu", help="torch device, e.g. cpu or cuda")
    train_parser.add_argument(
        "--out", metavar="PATH", default="mario_gan_z32", help="checkpoint path without suffix"
    )
    train_parser.add_argument("--threads", type=positive_int, default=1, help="CPU threads for torch")
    train_parser.add_argument("--quiet", action="store_true", help="no progress bar")

    sample_parser = add_action(
        actions,
        "sample",
        help="draw levels generated from random latents",
        description="Draw N latents from N(0, I) with --seed, generate a level from each and write them "
        "as one PNG grid (levels of an imported generator are drawn as the VAE tiles nearest theirs).",
        run=run_sample,
    )
    _add_checkpoint_argument(sample_parser)
    sample_parser.add_argument("-n", "--count", type=positive_int, default=16, help="number of levels")
    sample_parser.add_argument(
        "--columns", type=positive_int, help="levels per picture row (default: square)"
    )
    sample_parser.add_argument("--seed", type=seed, default=0, help="seed of the latents")
    sample_parser.add_argument("--tile-size", type=positive_int, default=8, help="pixels per tile")
    sample_parser.add_argument("--out", type=output_path, default="gan_samples.png", help="PNG to write")
    sample_parser.add_argument("--print", action="store_true", help="also print the levels as text")

    info_parser = add_action(
        actions,
        "info",
        help="print a GAN checkpoint's metadata (config and metrics)",
        description="Print the JSON metadata of a GAN checkpoint: tiles, alphabet, shape, z_dim, "
        "training config and metrics.",
        run=run_info,
    )
    _add_checkpoint_argument(info_parser)

    import_parser = add_action(
        actions,
        "import",
        help="convert a MarioGAN / MarioGAN-LSI generator .pth to this package's checkpoint",
        description="Read a generator state dict saved by MarioGAN or MarioGAN-LSI "
        "(torch.save(netG.state_dict(), FILE.pth)) with torch.load(..., weights_only=True), so no pickled "
        "code can run; check every tensor's name and shape against the published layout; and write "
        "DIR/NAME.safetensors + DIR/NAME.json, a generator whose tile ids are in the Mario AI "
        "Framework's alphabet (use it with --checkpoint DIR/NAME or load_gan()).",
        run=run_import,
    )
    import_parser.add_argument("file", metavar="FILE.pth", help="MarioGAN generator state dict")
    import_parser.add_argument(
        "--index",
        metavar="index2str.json",
        help="the project's channel → tile file (default: MarioGAN-LSI's 17 tiles)",
    )
    import_parser.add_argument(
        "--out", metavar="DIR", type=folder_path, default=".", help="folder for the checkpoint"
    )
    import_parser.add_argument("--name", help="checkpoint name (default: FILE's name without .pth)")


def run_train(args: argparse.Namespace) -> int:
    """Train, save the checkpoint and print its metrics."""
    config = GANTrainConfig(
        iterations=args.iterations,
        batch_size=args.batch_size,
        lr=args.lr,
        optimizer=args.optimizer,
        clamp=args.clamp,
        critic_steps=args.critic_steps,
        warmup_iterations=args.warmup_iterations,
        warmup_critic_steps=args.warmup_critic_steps,
        warmup_every=args.warmup_every,
        stride=args.stride,
        seed=args.seed,
    )
    check_checkpoint_targets(args.out)  # before the training, not after
    threads_before = torch.get_num_threads()
    torch.set_num_threads(args.threads)
    try:
        result = train_gan(config, device=args.device, progress=not args.quiet)
    finally:
        torch.set_num_threads(threads_before)  # main() may run inside a longer-lived process
    weights = save_gan_checkpoint(
        result.model, args.out, config=config_record(result), metrics=result.metrics
    )
    metrics = result.metrics
    print(
        f"saved {weights} (+ .json): {metrics['iterations_run']} iterations, final Wasserstein estimate "
        f"{metrics['final_wasserstein']:.4f}, tile-frequency L1 distance to the data "
        f"{metrics['tile_frequency_l1']:.3f}, {metrics['train_seconds']} s"
    )
    return 0


def run_sample(args: argparse.Namespace) -> int:
    """Write a picture of generated levels (and print them if asked)."""
    model = load_gan(args.checkpoint)
    levels = sample_levels(model, args.count, args.seed)
    if args.print:
        for level in levels:
            print(alphabet_ids_to_text(level, model.alphabet) + "\n")
    vae_levels = [alphabet_ids_to_vae_ids(level, model.alphabet) for level in levels]
    image = render_grid(vae_levels, columns=args.columns, tile_size=args.tile_size)
    print(f"wrote {save_png(image, args.out)}")
    return 0


def run_info(args: argparse.Namespace) -> int:
    """Print checkpoint metadata."""
    print(json.dumps(read_gan_metadata(resolve_gan_checkpoint(args.checkpoint)), indent=2))
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Convert a MarioGAN state dict to our checkpoint and say how to use it."""
    name = args.name or Path(args.file).stem
    weights = import_mariogan(args.file, Path(args.out) / name, index=args.index)
    checkpoint = weights.with_suffix("")
    metadata = read_gan_metadata(checkpoint)
    rows, columns = metadata["shape"]
    print(
        f"wrote {weights} (+ .json): a MarioGAN of z_dim {metadata['z_dim']}, {rows}x{columns} levels of "
        f"{len(metadata['tiles'])} tiles ({metadata['tiles']}) as mario-ai ids; "
        f"use it with --checkpoint {checkpoint}"
    )
    return 0
