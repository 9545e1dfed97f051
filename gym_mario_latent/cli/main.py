"""``gym-mario-latent``: one command with a sub-command per area (rom, vae, ...)."""

import argparse
import importlib
import sys

from gym_mario_latent.cli.arguments import OneLineErrorParser
from gym_mario_latent.errors import GymMarioLatentError

# Command name -> module defining ``register(subparsers)``, which adds the command with a ``func`` default.
COMMAND_MODULES = {
    "rom": "gym_mario_latent.cli.rom",
    "vae": "gym_mario_latent.cli.vae",  # imports torch: loaded only when asked for (or for the full --help)
    "gan": "gym_mario_latent.cli.gan",  # imports torch too
    "level": "gym_mario_latent.cli.level",
    "explore": "gym_mario_latent.cli.explore",  # the web server is imported only when it runs
}


def build_parser(commands: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser with ``commands`` registered (default: every command)."""
    parser = OneLineErrorParser(
        prog="gym-mario-latent",
        description="Super Mario Bros for Gymnasium and latent-space Mario level generation.",
    )
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for name in commands or COMMAND_MODULES:
        importlib.import_module(COMMAND_MODULES[name]).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command; our own errors print one line and exit with status 2."""
    argv = sys.argv[1:] if argv is None else argv
    # `gym-mario-latent rom ...` needs only the rom command: don't pay for importing the others
    chosen = argv[:1] if argv[:1] and argv[0] in COMMAND_MODULES else None
    args = build_parser(chosen).parse_args(argv)
    try:
        return args.func(args) or 0
    except GymMarioLatentError as error:
        print(f"gym-mario-latent: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
