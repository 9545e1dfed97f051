"""What the command lines share: one-line usage errors, command groups and their actions, checked
argument types."""

import argparse
import math
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from gym_mario_latent.errors import OutputFileError
from gym_mario_latent.files import check_output_file, check_output_folder, output_folder


class OneLineErrorParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line with the fix, and exit status 2.

    Sub-command parsers made with ``add_subparsers`` are of the same class.
    """

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


class DefaultsHelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows an option's default in its help, unless there is none (None, no files) or it is a flag (its
    name says what it does)."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default is None or action.default == [] or action.nargs == 0:
            return action.help
        return super()._get_help_string(action)


def add_command_group(
    subparsers: argparse._SubParsersAction, name: str, help: str, description: str
) -> argparse._SubParsersAction:
    """Add command ``name``; its own actions (``gym-mario-latent NAME ACTION``) go in the returned group."""
    parser = subparsers.add_parser(name, help=help, description=description)
    return parser.add_subparsers(title=f"{name} actions", metavar="ACTION", required=True)


def add_action(
    actions: argparse._SubParsersAction,
    name: str,
    *,
    help: str,
    description: str,
    run: Callable[[argparse.Namespace], int],
) -> argparse.ArgumentParser:
    """Add action ``name`` to a command group: its help shows defaults, and it runs ``run(args)``.

    ``args.parser`` is the action's own parser, for usage errors found after parsing.
    """
    parser = actions.add_parser(
        name, help=help, description=description, formatter_class=DefaultsHelpFormatter
    )
    parser.set_defaults(func=run, parser=parser)
    return parser


def positive_int(text: str) -> int:
    """An integer ≥ 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive integer")
    return value


def positive_finite_float(text: str) -> float:
    """A number > 0, not infinity or NaN."""
    value = float(text)
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"{text} is not a positive finite number")
    return value


def fraction(text: str) -> float:
    """A number between 0 and 1, both excluded."""
    value = float(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a fraction between 0 and 1 (both excluded)")
    return value


#: The largest seed both torch (``Generator.manual_seed``) and numpy (``default_rng``, no negatives) take.
MAX_SEED = 2**64 - 1


def seed(text: str) -> int:
    """A random seed: an integer from 0 to 2**64 - 1."""
    value = int(text)
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"{text} is not a seed: torch and numpy take 0 to 2**64 - 1")
    return value


def folder_path(text: str) -> str:
    """A folder to write into, made later: an existing folder or a new path (see ``files``)."""
    try:
        check_output_folder(text)
    except OutputFileError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def non_negative_int(text: str) -> int:
    """An integer ≥ 0."""
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return value


def output_path(text: str) -> str:
    """A path to write a file to: a new path or a regular file (see ``gym_mario_latent.files``)."""
    try:
        check_output_file(text)
    except OutputFileError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def output_folder_path(text: str) -> Path:
    """A folder to write files into, made if it does not exist (see ``gym_mario_latent.files``)."""
    try:
        return output_folder(text)
    except OutputFileError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_simulator_arguments(parser: argparse.ArgumentParser) -> None:
    """``--workers N`` and ``--ray [ADDRESS]``: where a script plays its levels (see ``open_simulator``)."""
    parser.add_argument("--workers", type=int, help="simulator JVMs (default: one per CPU)")
    parser.add_argument(
        "--ray",
        nargs="?",
        const=True,
        default=False,
        metavar="ADDRESS",
        help="play the levels on a Ray cluster (default address: RAY_ADDRESS, else a local Ray)",
    )


def add_generator_arguments(parser: argparse.ArgumentParser, checkpoint: str) -> None:
    """``--checkpoint``, ``--generator`` and ``--scene-segments``: the levels a latent script searches
    (read back by :func:`generator_keywords`)."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--checkpoint",
        help=f"the VAE: a shipped name (pretrained, pretrained-32) or a checkpoint path "
        f"(default: {checkpoint})",
    )
    group.add_argument(
        "--generator",
        help="another generator instead of the VAE: a shipped name (vae, vae-32, gan: the 32-d DCGAN of "
        "14x28 segments) or a GAN checkpoint path",
    )
    parser.add_argument(
        "--scene-segments",
        type=positive_int,
        default=1,
        metavar="K",
        help="play K consecutive segments as one scene, a latent of K x z_dim (2 with the GAN: "
        "MarioGAN-LSI's 56-column scenes; default 1)",
    )
    parser.set_defaults(default_checkpoint=checkpoint)


def generator_keywords(args: argparse.Namespace) -> dict[str, object]:
    """The ``LatentEvaluator`` / latent env keywords of :func:`add_generator_arguments`' options."""
    checkpoint = args.checkpoint or (None if args.generator else args.default_checkpoint)
    return {"checkpoint": checkpoint, "generator": args.generator, "scene_segments": args.scene_segments}


def generator_name(args: argparse.Namespace) -> str:
    """The name of the generator the options chose (for files that record it): a VAE by its checkpoint
    name, as the explorer opens it."""
    from gym_mario_latent.latent.generators import SHIPPED_GENERATORS

    family, checkpoint = SHIPPED_GENERATORS.get(args.generator, (None, None))
    if family == "vae":
        return checkpoint
    return args.generator or args.checkpoint or args.default_checkpoint
