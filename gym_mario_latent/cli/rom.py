"""``gym-mario-latent rom``: import ROM files and show which ones the envs will use."""

import argparse

from gym_mario_latent import roms
from gym_mario_latent.cli.arguments import add_action, add_command_group
from gym_mario_latent.errors import GymMarioLatentError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``rom`` command and its ``import`` / ``info`` sub-commands."""
    rom_commands = add_command_group(
        subparsers,
        "rom",
        help="import and inspect ROM files",
        description="Import and inspect the NES ROM files the Super Mario Bros envs need. "
        "No ROM ships with this package.",
    )

    import_parser = add_action(
        rom_commands,
        "import",
        help="verify ROM files and copy them into the user ROM folder",
        description="Verify ROM files (iNES header, NTSC, known content hash) and copy them into "
        f"the user ROM folder ({roms.user_rom_dir()}).",
        run=run_import,
    )
    source = import_parser.add_mutually_exclusive_group(required=True)
    source.add_argument("files", nargs="*", default=[], metavar="FILE", help=".nes files to import")
    source.add_argument(
        "--from-pypi",
        action="store_true",
        help="download the gym-super-mario-bros wheel from PyPI without installing it "
        "and import the ROMs it carries",
    )
    import_parser.add_argument(
        "--skip-existing",
        action="store_true",
        help="do nothing when verified SMB1 and Lost Levels ROMs are already imported",
    )

    info_parser = add_action(
        rom_commands,
        "info",
        help="show which ROM each game would use, or identify given files",
        description="Show which ROM file each game would load, following the discovery order, "
        "or identify the given files.",
        run=run_info,
    )
    info_parser.add_argument("files", nargs="*", metavar="FILE", help="files to identify")


def run_import(args: argparse.Namespace) -> int:
    """Import the given files, or the PyPI wheel's ROMs."""
    if args.skip_existing and roms.imported_games() == set(roms.GAME_TITLES):
        print(f"ROMs already imported in {roms.user_rom_dir()}")
        return 0
    imported = roms.import_from_pypi() if args.from_pypi else [roms.import_rom(path) for path in args.files]
    for path in imported:
        info = roms.inspect_rom(path)
        print(f"imported {roms.GAME_TITLES[info.game]} ({info.description}) -> {path}")
    return 0


def run_info(args: argparse.Namespace) -> int:
    """Print the ROM each game resolves to, or what each given file is."""
    if args.files:
        status = 0
        for path in args.files:
            try:
                info = roms.inspect_rom(path)
                print(f"{path}: {roms.GAME_TITLES[info.game]} — {info.description} (SHA-1 {info.sha1})")
            except GymMarioLatentError as error:
                print(f"{path}: {error}")
                status = 2
        return status
    for game, title in roms.GAME_TITLES.items():
        try:
            info = roms.find_rom(game)
            print(f"{title}: {info.path}\n    {info.description}, SHA-1 {info.sha1}")
        except GymMarioLatentError as error:
            print(f"{title}: not found\n    {error}")
    return 0
