"""Finding the ROM of a game, in the documented order.

1. an explicit path given by the caller;
2. the environment: ``GYM_MARIO_LATENT_SMB_ROM`` / ``GYM_MARIO_LATENT_LOST_LEVELS_ROM`` (one file) or
   ``GYM_MARIO_LATENT_ROM_DIR`` (a folder of ``.nes`` files, any names);
3. the user ROM folder filled by ``gym-mario-latent rom import``;
4. an installed gym-super-mario-bros distribution (its files are read, the package is never imported,
   since it registers the same env IDs as we do).
"""

import importlib.metadata
import os
import warnings
from pathlib import Path

from gym_mario_latent.errors import GymMarioLatentError, RomError, RomNotFoundError
from gym_mario_latent.paths import user_data_dir
from gym_mario_latent.roms.known_dumps import CANONICAL_FILE_NAMES, GAME_TITLES, LOST_LEVELS, SMB1
from gym_mario_latent.roms.verify import HOW_TO_PROVIDE, RomInfo, inspect_rom, verify_rom

ROM_DIR_VAR = "GYM_MARIO_LATENT_ROM_DIR"
ROM_FILE_VARS = {SMB1: "GYM_MARIO_LATENT_SMB_ROM", LOST_LEVELS: "GYM_MARIO_LATENT_LOST_LEVELS_ROM"}
GSMB_DISTRIBUTION = "gym-super-mario-bros"

_warned: set[str] = set()  # the warnings already given, each once per process


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        warnings.warn(message, UserWarning, stacklevel=3)


def _rom_dir_files(rom_dir: str) -> list[Path]:
    """The ``.nes`` files in ``$GYM_MARIO_LATENT_ROM_DIR``; warns (once) when it points at nothing."""
    folder = Path(rom_dir).expanduser()
    problem = None
    if not folder.exists():
        problem = "does not exist"
    elif not folder.is_dir():
        problem = "is not a folder"
    files = [] if problem else list(folder.glob("*.nes"))
    if not problem and not files:
        problem = "holds no .nes file"
    if problem:
        _warn_once(f"{ROM_DIR_VAR}={rom_dir} {problem}; looking for ROMs elsewhere")
    return files


def user_rom_dir() -> Path:
    """The folder ``gym-mario-latent rom import`` copies verified ROMs into."""
    return user_data_dir() / "roms"


def installed_gsmb_roms() -> list[Path]:
    """``.nes`` files of an installed gym-super-mario-bros distribution, found without importing it."""
    try:
        distribution = importlib.metadata.distribution(GSMB_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return []
    files = distribution.files or []
    return [Path(distribution.locate_file(file)) for file in files if file.name.endswith(".nes")]


def _first_rom_of_game(paths: list[Path], game: str) -> RomInfo | None:
    """The first file among ``paths`` that verifies as ``game``; unusable files are skipped."""
    for path in sorted(paths):
        try:
            info = inspect_rom(path)
        except GymMarioLatentError:
            continue
        if info.game == game:
            return info
    return None


def find_rom(game: str = SMB1, rom_path: str | Path | None = None) -> RomInfo:
    """Locate and verify the ROM of ``game`` (``"smb1"`` or ``"lost_levels"``).

    Warns (once):
        ``GYM_MARIO_LATENT_ROM_DIR`` points at no folder of ``.nes`` files (the search goes on).

    Raises:
        RomNotFoundError: nothing usable in any of the places searched (the message lists them).
        RomError: an explicitly named file (argument or file variable, which the message names) is
            unusable.
    """
    if game not in GAME_TITLES:
        raise ValueError(f"unknown game {game!r}; expected one of {sorted(GAME_TITLES)}")
    if rom_path is not None:
        return verify_rom(rom_path, game)
    file_var = ROM_FILE_VARS[game]
    if os.environ.get(file_var):
        try:
            return verify_rom(os.environ[file_var], game)
        except (RomError, RomNotFoundError) as error:
            raise type(error)(f"${file_var}={os.environ[file_var]}: {error}") from None
    searched = []
    rom_dir = os.environ.get(ROM_DIR_VAR)
    if rom_dir:
        searched.append(f"${ROM_DIR_VAR}={rom_dir}")
        found = _first_rom_of_game(_rom_dir_files(rom_dir), game)
        if found:
            return found
    imported = user_rom_dir() / CANONICAL_FILE_NAMES[game]
    searched.append(str(imported))
    if imported.exists():
        return verify_rom(imported, game)
    gsmb_roms = installed_gsmb_roms()
    searched.append(
        f"the installed {GSMB_DISTRIBUTION} package" if gsmb_roms else f"{GSMB_DISTRIBUTION} (not installed)"
    )
    found = _first_rom_of_game(gsmb_roms, game)
    if found:
        return found
    raise RomNotFoundError(
        f"no {GAME_TITLES[game]} ROM found (looked in: {'; '.join(searched)}). {HOW_TO_PROVIDE}"
    )
