"""``gym-mario-latent explore``: the latent space as a web page, served on this machine."""

from __future__ import annotations

import argparse

from gym_mario_latent.cli.arguments import DefaultsHelpFormatter, positive_int
from gym_mario_latent.errors import ExplorerError

DESCRIPTION = """\
Serve the explorer, a web page over the generator's latent space, and print its URL. The page shows the
latent map (decoded segments under a colour layer: a content measure, or playability and the agent's
measures from a playability map computed on request, with its progress, and cached by the model's hash
in the user cache), the level view of a clicked segment (the agent's path, its telemetry, a replay tick
by tick, downloads as text, PNG or GIF), interpolation between two points (the straight line, and the
playable path through the playability map), and a level built from chosen segments.

With --archive the map of a larger latent is the archive's heat map (an elites file written by
examples/map_elites.py or the QD experiments, scenes of several segments included: a click's level is the
whole scene); without one it is a 2-d slice through the origin (or any chosen elite).

It listens on 127.0.0.1 (this machine only) unless told otherwise and reads no file but those named
here. On a remote machine, forward the port: ssh -L 8000:localhost:8000 HOST, then open
http://localhost:8000/ here. Needs the explorer extra: pip install 'gym-mario-latent[explorer]'."""


def port_number(text: str) -> int:
    """A TCP port, 0 (any free one) to 65535."""
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text} is not a port (0 to 65535)")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``explore`` command."""
    parser = subparsers.add_parser(
        "explore",
        help="explore the latent space in a web browser",
        description=DESCRIPTION,
        formatter_class=type("Formatter", (DefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter), {}),
    )
    parser.set_defaults(func=run_explore, parser=parser)
    parser.add_argument(
        "--generator",
        metavar="NAME|PATH",
        help="the generator: a shipped model (pretrained: the 2-d VAE, pretrained-32 or vae-32: the 32-d "
        "VAE, gan: the 32-d DCGAN of 14x28 segments) or a VAE or GAN checkpoint path (default: the archive's "
        "generator if it names a shipped model, else pretrained)",
    )
    parser.add_argument(
        "--archive",
        metavar="FILE",
        help="elites file of a MAP-Elites run to draw as a heat map (its scenes of several segments "
        "included)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0: every network)")
    parser.add_argument("--port", type=port_number, default=8000, help="TCP port (0: any free one)")
    parser.add_argument(
        "--workers", type=positive_int, help="simulator JVMs per agent (default: one per CPU)"
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        help="game seconds of each game (default: the simulator's, 20; a level built of many segments may "
        "need more)",
    )
    parser.add_argument("--open", action="store_true", help="open the page in the default browser")


def _generator_name(args: argparse.Namespace, archive) -> str | None:
    from gym_mario_latent.latent.generators import SHIPPED_GENERATORS
    from gym_mario_latent.vae import PRETRAINED

    if args.generator is not None or archive is None or archive.generator is None:
        return args.generator
    if archive.generator not in (*SHIPPED_GENERATORS, *PRETRAINED):
        raise ExplorerError(
            f"the archive was made with the generator {archive.generator!r}: name it with --generator "
            "(the explorer reads only the files named on its command line)"
        )
    return archive.generator


def run_explore(args: argparse.Namespace) -> int:
    """Load the generator and the archive, then serve until interrupted."""
    try:
        from gym_mario_latent.explorer.server import serve
        from gym_mario_latent.explorer.service import Explorer
    except ModuleNotFoundError as error:
        if error.name not in ("fastapi", "uvicorn", "starlette", "pydantic"):
            raise
        raise ExplorerError(
            f"the explorer needs {error.name}: pip install 'gym-mario-latent[explorer]'"
        ) from None
    from gym_mario_latent.explorer.generator import load_generator
    from gym_mario_latent.latent.elites import read_elites

    archive = read_elites(args.archive) if args.archive else None
    explorer = Explorer(
        load_generator(_generator_name(args, archive), archive.scene_segments if archive else 1),
        args.workers,
        archive,
        args.time_limit,
    )
    try:
        serve(explorer, args.host, args.port, args.open)
    except BaseException:
        explorer.close()
        raise
    return 0
