"""The ROM modes v1–v3: simpler-looking copies of the vanilla ROM, made from its CHR graphics.

A NES game draws everything from 8×8 tiles stored in CHR ROM, two bit planes per tile, so each
pixel holds a colour index 0–3 (0 = transparent for sprites, backdrop for the background). Every
mode rewrites those tiles only; the iNES header and the PRG ROM (game code, palettes) are kept
byte for byte, so the game plays exactly as in vanilla.

- ``downsample``: each tile becomes 4×4 blocks of 2×2 pixels.
- ``pixel``: each tile becomes 2×2 blocks of 4×4 pixels.
- ``rectangle``: each tile becomes the filled bounding box of its opaque pixels, in its dominant
  colour, so characters and terrain read as boxes.

A block takes its most common opaque colour when at least half of it is opaque, else colour 0;
ties between colours go to the higher index (SMB draws outlines with index 3). Some tiles are
kept as they are (see :data:`KEPT_TILES`): the HUD font, so score, coins, world and time stay
legible, and every tile whose bytes the game itself reads or times itself by.

Variants are cached in ``user_cache_dir() / "roms"`` with a SHA-256 sidecar, and every use checks the
cached file against the variant made afresh (a few milliseconds), so a damaged or tampered file, even
one with a matching sidecar, is made again.
"""

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from gym_mario_latent.errors import RomError
from gym_mario_latent.paths import user_cache_dir
from gym_mario_latent.roms.ines import parse_header

ROM_MODES: dict[int, str] = {0: "vanilla", 1: "downsample", 2: "pixel", 3: "rectangle"}

# Bump whenever a transform's output changes, so stale cached variants are not reused.
TRANSFORM_VERSION = 1

TILE_SIZE = 8
TILES_PER_TABLE = 256
SPRITE_TABLE = 0  # SMB1 and Lost Levels draw sprites from $0000 and the background from $1000.
BACKGROUND_TABLE = 1

# Tiles (table, index) left untouched:
# - background 0x00–0x23 is the font (0–9, A–Z), 0x28 "-", 0x29 "×", 0x2B "!", 0x2E the HUD coin;
# - background 0xEC–0xFF is no picture but data: the title screen layout, which the game copies
#   from CHR ROM ($1EC0–$1FFF) through the PPU, so changing it would change what the game does;
# - sprite 0xFF is sprite 0: the game waits each frame until it hits the HUD coin, to split the
#   fixed status bar from the scrolling playfield, so its pixels (and the coin's) time the CPU.
FONT_TILES = (*range(0x24), 0x28, 0x29, 0x2B, 0x2E)
TITLE_SCREEN_DATA_TILES = range(0xEC, 0x100)
SPRITE_ZERO_TILE = 0xFF
KEPT_TILES: frozenset[tuple[int, int]] = frozenset(
    [(BACKGROUND_TABLE, tile) for tile in (*FONT_TILES, *TITLE_SCREEN_DATA_TILES)]
    + [(SPRITE_TABLE, SPRITE_ZERO_TILE)]
)


def decode_tiles(chr_rom: bytes) -> np.ndarray:
    """CHR ROM bytes → array (tiles, 8, 8) of colour indices 0–3."""
    planes = np.frombuffer(chr_rom, dtype=np.uint8).reshape(-1, 2, TILE_SIZE)
    bits = np.unpackbits(planes, axis=2)  # (tiles, plane, row, column) after the next reshape
    return (bits[:, 0] | (bits[:, 1] << 1)).reshape(-1, TILE_SIZE, TILE_SIZE)


def encode_tiles(tiles: np.ndarray) -> bytes:
    """Array (tiles, 8, 8) of colour indices 0–3 → CHR ROM bytes (low plane, then high plane)."""
    low = np.packbits(tiles & 1, axis=2).reshape(-1, TILE_SIZE)
    high = np.packbits(tiles >> 1, axis=2).reshape(-1, TILE_SIZE)
    return np.stack([low, high], axis=1).tobytes()


def _most_common_opaque(groups: np.ndarray) -> np.ndarray:
    """Most common colour 1–3 along the last axis; ties go to the higher index."""
    counts = np.stack([(groups == colour).sum(axis=-1) for colour in (3, 2, 1)], axis=-1)
    return (3 - np.argmax(counts, axis=-1)).astype(np.uint8)  # argmax keeps the first maximum


def _blocks(tiles: np.ndarray, block: int) -> np.ndarray:
    """Each tile as flat ``block``×``block`` squares: the most common opaque colour of the
    square when at least half of it is opaque, else colour 0."""
    n = TILE_SIZE // block
    squares = tiles.reshape(-1, n, block, n, block).transpose(0, 1, 3, 2, 4)
    squares = squares.reshape(-1, n, n, block * block)
    opaque = (squares != 0).sum(axis=-1) * 2 >= block * block
    colours = np.where(opaque, _most_common_opaque(squares), 0).astype(np.uint8)
    return colours.repeat(block, axis=1).repeat(block, axis=2)


def downsample_tiles(tiles: np.ndarray) -> np.ndarray:
    """Every tile as 4×4 blocks of 2×2 pixels."""
    return _blocks(tiles, 2)


def pixel_tiles(tiles: np.ndarray) -> np.ndarray:
    """Every tile as 2×2 blocks of 4×4 pixels."""
    return _blocks(tiles, 4)


def rectangle_tiles(tiles: np.ndarray) -> np.ndarray:
    """Every tile as the filled bounding box of its opaque pixels, in their most common colour."""
    out = np.zeros_like(tiles)
    opaque = tiles != 0
    colours = _most_common_opaque(tiles.reshape(len(tiles), -1))
    for index in np.flatnonzero(opaque.any(axis=(1, 2))):
        rows = np.flatnonzero(opaque[index].any(axis=1))
        columns = np.flatnonzero(opaque[index].any(axis=0))
        out[index, rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1] = colours[index]
    return out


TILE_TRANSFORMS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "downsample": downsample_tiles,
    "pixel": pixel_tiles,
    "rectangle": rectangle_tiles,
}


def transform_rom(rom: bytes, mode: str) -> bytes:
    """The ROM ``rom`` with its CHR tiles redrawn in ROM mode ``mode``.

    Pure and deterministic; header and PRG ROM are returned unchanged, ``"vanilla"`` returns
    ``rom`` as it is.

    Raises:
        RomError: ``mode`` is not a ROM mode name, or ``rom`` is no iNES file with CHR ROM.
    """
    if mode not in TILE_TRANSFORMS and mode != ROM_MODES[0]:
        names = ", ".join(repr(name) for name in ROM_MODES.values())
        raise RomError(f"unknown ROM mode {mode!r}; expected one of {names}")
    try:
        header = parse_header(rom)
    except ValueError as error:
        raise RomError(f"cannot make a ROM variant: {error}") from error
    if header.chr_size == 0:
        raise RomError("cannot make a ROM variant: the file has no CHR ROM (it uses CHR RAM)")
    if len(rom) < header.expected_size:
        raise RomError(
            f"cannot make a ROM variant: the header promises {header.expected_size} bytes, "
            f"the file holds {len(rom)}"
        )
    if mode == ROM_MODES[0]:
        return bytes(rom)
    start, end = header.chr_offset, header.chr_offset + header.chr_size
    tiles = decode_tiles(rom[start:end])
    redrawn = TILE_TRANSFORMS[mode](tiles)
    for table, tile in KEPT_TILES:
        index = table * TILES_PER_TABLE + tile
        if index < len(tiles):
            redrawn[index] = tiles[index]
    return bytes(rom[:start]) + encode_tiles(redrawn) + bytes(rom[end:])


def variant_cache_dir() -> Path:
    """Folder of the cached ROM variants."""
    return user_cache_dir() / "roms"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and ``os.replace``, so a reader (or a
    process racing to write the same bytes) never sees a half-written file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _is_intact(path: Path, sidecar: Path, variant: bytes) -> bool:
    """Whether ``path`` holds exactly ``variant`` and ``sidecar`` records its SHA-256."""
    try:
        recorded = sidecar.read_text(encoding="ascii").split()[0]
        return recorded == _sha256(variant) and path.read_bytes() == variant
    except (OSError, UnicodeDecodeError, IndexError):
        return False


def variant_rom_path(vanilla_path: Path, mode: int) -> Path:
    """Path of ``vanilla_path``'s ROM in ROM mode ``mode``, generating and caching it if needed.

    Mode 0 is ``vanilla_path`` itself. Other modes live in :func:`variant_cache_dir`, named after
    the first 16 hex digits of the vanilla file's SHA-256, the mode name and
    :data:`TRANSFORM_VERSION`, each with a ``.sha256`` sidecar; a cached file that differs from the
    variant made afresh, or whose sidecar does not record its hash, is written again.

    Raises:
        RomError: ``mode`` is not 0–3, the file cannot be transformed, or the cache cannot be
            written (e.g. a folder in the way).
        FileNotFoundError: ``vanilla_path`` does not exist.
    """
    if mode not in ROM_MODES:
        raise RomError(f"unknown ROM mode {mode!r}; expected one of {sorted(ROM_MODES)}")
    vanilla_path = Path(vanilla_path)
    if mode == 0:
        return vanilla_path
    vanilla = vanilla_path.read_bytes()
    name = f"{_sha256(vanilla)[:16]}-{ROM_MODES[mode]}-t{TRANSFORM_VERSION}.nes"
    path = variant_cache_dir() / name
    sidecar = path.with_name(name + ".sha256")
    variant = transform_rom(vanilla, ROM_MODES[mode])
    if _is_intact(path, sidecar, variant):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(path, variant)
        _write_atomically(sidecar, f"{_sha256(variant)}  {name}\n".encode("ascii"))
    except OSError as error:
        raise RomError(
            f"cannot write the ROM variant {path}: {error.strerror or error}; remove what is in the way "
            "or set GYM_MARIO_LATENT_HOME to a writable folder"
        ) from None
    return path
