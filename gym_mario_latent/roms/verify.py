"""Deciding whether a file is a ROM we can play, and saying precisely why not."""

from dataclasses import dataclass
from pathlib import Path

from gym_mario_latent.errors import RomError, RomNotFoundError
from gym_mario_latent.files import not_a_regular_file
from gym_mario_latent.roms.ines import INesHeader, content_sha1, parse_header
from gym_mario_latent.roms.known_dumps import GAME_TITLES, KNOWN_DUMPS

HOW_TO_PROVIDE = (
    "Provide a ROM in one of three ways: pass rom_path='/path/to/rom.nes'; "
    "set GYM_MARIO_LATENT_ROM_DIR to a folder holding .nes files; "
    "or run `gym-mario-latent rom import FILE` "
    "(or `gym-mario-latent rom import --from-pypi` to take the ROMs of the gym-super-mario-bros wheel)."
)


@dataclass(frozen=True)
class RomInfo:
    """A verified ROM file: where it is, which game and dump it holds."""

    path: Path
    game: str
    description: str
    sha1: str
    header: INesHeader


def inspect_rom(path: str | Path) -> RomInfo:
    """Read ``path`` and identify it against the known dumps.

    Raises:
        RomNotFoundError: the file does not exist.
        RomError: not a regular file, unreadable, truncated, not iNES, PAL, not a known dump, or a
            known dump under a header that changes how it runs (mapper, mirroring, trainer).
    """
    path = Path(path).expanduser()
    if not path.exists():
        raise RomNotFoundError(f"ROM file {path} does not exist. {HOW_TO_PROVIDE}")
    if problem := not_a_regular_file(path):
        raise RomError(f"{problem}. {HOW_TO_PROVIDE}")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RomError(f"cannot read {path}: {error.strerror or error}. {HOW_TO_PROVIDE}") from None
    try:
        header = parse_header(data)
    except ValueError as error:
        raise RomError(f"{path} is not a NES ROM: {error}. {HOW_TO_PROVIDE}") from None
    if len(data) < header.expected_size:
        raise RomError(
            f"{path} is truncated: it has {len(data)} bytes but its header promises "
            f"{header.expected_size}. {HOW_TO_PROVIDE}"
        )
    if header.is_pal:
        raise RomError(
            f"{path} is a PAL (European) dump; the environments need the NTSC version "
            f"(their RAM map and 60 Hz timing are NTSC). {HOW_TO_PROVIDE}"
        )
    sha1 = content_sha1(data, header)
    dump = KNOWN_DUMPS.get(sha1)
    if dump is None:
        raise RomError(
            f"{path} is an iNES file (mapper {header.mapper}, {header.prg_size // 1024} KiB PRG, "
            f"{header.chr_size // 1024} KiB CHR) but not a known Super Mario Bros or Lost Levels "
            f"dump (SHA-1 of PRG+CHR {sha1}); hacks and other games are not supported. "
            f"{HOW_TO_PROVIDE}"
        )
    for field in ("mapper", "mirroring", "has_trainer"):
        if getattr(header, field) != getattr(dump, field):
            raise RomError(
                f"{path} holds {dump.description}, but its iNES header says {field} "
                f"{getattr(header, field)!r} where the dump has {getattr(dump, field)!r}: the emulator would "
                f"run it wrongly. Fix byte 6/7 of the header or use an unmodified dump. {HOW_TO_PROVIDE}"
            )
    return RomInfo(path=path, game=dump.game, description=dump.description, sha1=sha1, header=header)


def verify_rom(path: str | Path, game: str) -> RomInfo:
    """Like :func:`inspect_rom`, and also check the file holds ``game``."""
    info = inspect_rom(path)
    if info.game != game:
        raise RomError(
            f"{info.path} holds {GAME_TITLES[info.game]} ({info.description}), "
            f"but {GAME_TITLES[game]} is needed. {HOW_TO_PROVIDE}"
        )
    return info
