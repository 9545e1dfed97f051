"""``gym-mario-latent``: one command with a sub-command per area (rom, vae, ...)."""

import argparse
import importlib
import sys

from gym_mario_latent.errors import GymMarioLatentError

# Each module defines ``register(subparsers)``, adding its sub-command with a ``func`` default.
COMMAND_MODULES = [
    "gym_mario_latent.cli.rom",
    "gym_mario_latent.cli.vae",
]


def add_command_group(
    subparsers: argparse._SubParsersAction, name: str, help: str, description: str
) -> argparse._SubParsersAction:
    """Add command ``name``; its own actions (``gym-mario-latent NAME ACTION``) go in the returned group."""
    parser = subparsers.add_parser(name, help=help, description=description)
    return parser.add_subparsers(title=f"{name} actions", metavar="ACTION", required=True)


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="gym-mario-latent",
        description="Super Mario Bros for Gymnasium and latent-space Mario level generation.",
    )
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command; our own errors print one line and exit with status 2."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except GymMarioLatentError as error:
        print(f"gym-mario-latent: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
