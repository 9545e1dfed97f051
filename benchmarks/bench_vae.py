"""Benchmark of the Mario VAE: training time to early stop, and decode throughput.

Run: ``.venv/bin/python benchmarks/bench_vae.py`` (add ``--skip-training`` for decoding only).

Anchors: training is compared with the few-minute budget set for the shipped model on 2 CPU
cores; decoding at each batch size is compared with decoding one segment per call (batch 1), the
way MarioVAE's example scripts decode.
"""

import argparse
import time

import torch

from gym_mario_latent.levels import ids_to_text
from gym_mario_latent.vae import TrainConfig, load_pretrained, train

TRAINING_BUDGET_S = 300.0


def decode_rate(model, batch_size: int, min_seconds: float = 1.0, as_text: bool = False) -> float:
    """Segments decoded per second (argmax tile ids; optionally also converted to level text)."""
    z = torch.randn(batch_size, model.z_dim, generator=torch.Generator().manual_seed(0))
    done, started = 0, time.perf_counter()
    with torch.no_grad():
        while time.perf_counter() - started < min_seconds or done == 0:
            levels = model.decode_levels(z)
            if as_text:
                for level in levels.numpy():
                    ids_to_text(level)
            done += batch_size
    return done / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="torch CPU threads (default 1, as `vae train`)"
    )
    parser.add_argument("--skip-training", action="store_true", help="only time decoding")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    rows = []
    if not args.skip_training:
        result = train(TrainConfig(), progress=False)
        seconds = result.metrics["train_seconds"]
        epochs = result.metrics["epochs_run"]
        rows.append(
            (
                f"train to early stop ({epochs} epochs), s",
                TRAINING_BUDGET_S,
                seconds,
                seconds / TRAINING_BUDGET_S,
            )
        )
        rows.append(("  per epoch, s", None, seconds / epochs, None))

    model = load_pretrained()
    anchor = decode_rate(model, 1)
    for batch_size in (1, 64, 4096):
        rate = decode_rate(model, batch_size)
        rows.append((f"decode, batch {batch_size}, segments/s", anchor, rate, rate / anchor))
    rate = decode_rate(model, 4096, as_text=True)
    rows.append(("decode + level text, batch 4096, segments/s", anchor, rate, rate / anchor))

    print(f"Mario VAE benchmark: torch {torch.__version__}, {args.threads} CPU threads")
    print(f"{'measure':<46} {'anchor':>10} {'ours':>12} {'ratio':>8}")
    for name, anchor_value, ours, ratio in rows:
        anchor_text = "-" if anchor_value is None else f"{anchor_value:.1f}"
        ratio_text = "-" if ratio is None else f"{ratio:.2f}"
        print(f"{name:<46} {anchor_text:>10} {ours:>12.1f} {ratio_text:>8}")


if __name__ == "__main__":
    main()
