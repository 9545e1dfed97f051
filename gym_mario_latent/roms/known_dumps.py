"""The table of ROM dumps we know how to play, keyed by SHA-1 of PRG+CHR (header excluded)."""

from dataclasses import dataclass

SMB1 = "smb1"
LOST_LEVELS = "lost_levels"

GAME_TITLES = {SMB1: "Super Mario Bros.", LOST_LEVELS: "Super Mario Bros.: The Lost Levels"}

# The file name an imported ROM gets in the user ROM folder.
CANONICAL_FILE_NAMES = {
    SMB1: "super-mario-bros.nes",
    LOST_LEVELS: "super-mario-bros-lost-levels.nes",
}


@dataclass(frozen=True)
class KnownDump:
    """One catalogued dump of a game, with the iNES header fields it must be played with."""

    game: str
    description: str
    mapper: int = 0  # NROM: every known dump is a plain 32 KiB PRG + 8 KiB CHR cartridge
    mirroring: str = "vertical"  # the game scrolls sideways
    has_trainer: bool = False


KNOWN_DUMPS: dict[str, KnownDump] = {
    "ea343f4e445a9050d4b4fbac2c77d0693b1d0922": KnownDump(SMB1, "Super Mario Bros. (World), NTSC"),
    "0c4992fc08d2278697339d3b48066e7b5f943598": KnownDump(
        SMB1, "Super Mario Bros., NTSC, as shipped in the gym-super-mario-bros wheel"
    ),
    "f3b998073241fe588e28ff6b6f63ba01b4c237bb": KnownDump(
        LOST_LEVELS,
        "Super Mario Bros. 2 (Japan) NROM conversion, as shipped in gym-super-mario-bros",
    ),
}
