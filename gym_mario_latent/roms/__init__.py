"""Finding, verifying and preparing Super Mario Bros ROM files. No ROM is shipped with the package."""

from pathlib import Path

from gym_mario_latent.roms.importer import import_from_pypi, import_rom, imported_games
from gym_mario_latent.roms.known_dumps import GAME_TITLES, KNOWN_DUMPS, LOST_LEVELS, SMB1
from gym_mario_latent.roms.locate import find_rom, user_rom_dir
from gym_mario_latent.roms.verify import HOW_TO_PROVIDE, RomInfo, inspect_rom, verify_rom


def rom_path_for_mode(game: str, mode: int, rom_path: str | Path | None = None) -> Path:
    """Path of the ROM to load for ``game`` in ROM mode ``mode`` (0 vanilla, 1–3 generated variants)."""
    vanilla = find_rom(game, rom_path).path
    if mode == 0:
        return vanilla
    from gym_mario_latent.roms.variants import variant_rom_path

    return variant_rom_path(vanilla, mode)


__all__ = [
    "GAME_TITLES",
    "HOW_TO_PROVIDE",
    "KNOWN_DUMPS",
    "LOST_LEVELS",
    "SMB1",
    "RomInfo",
    "find_rom",
    "import_from_pypi",
    "import_rom",
    "imported_games",
    "inspect_rom",
    "rom_path_for_mode",
    "user_rom_dir",
    "verify_rom",
]
