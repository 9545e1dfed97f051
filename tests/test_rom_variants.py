"""ROM modes v1–v3: redrawn CHR graphics on the real ROMs, played in the real nes-py emulator."""

import functools
import hashlib
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from nes_py import NESEnv

from gym_mario_latent.errors import RomError
from gym_mario_latent.roms.ines import parse_header
from gym_mario_latent.roms.variants import (
    KEPT_TILES,
    ROM_MODES,
    TILES_PER_TABLE,
    TRANSFORM_VERSION,
    decode_tiles,
    encode_tiles,
    transform_rom,
    variant_cache_dir,
    variant_rom_path,
)

VARIANT_MODES = [1, 2, 3]
GAME_FIXTURES = ["smb_rom_path", "lost_levels_rom_path"]

# NES buttons as nes-py's action byte, and the SMB RAM addresses the checks read.
START, RIGHT, LEFT, B, A = 0b00001000, 0b10000000, 0b01000000, 0b00000010, 0b00000001
OPER_MODE, OPER_MODE_TASK, PLAYER_STATE = 0x0770, 0x0772, 0x000E
TIMER_DIGITS = slice(0x07F8, 0x07FB)
PLAY_FRAMES = 1500


@pytest.fixture(autouse=True)
def cache_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, smb_rom_path: Path, lost_levels_rom_path: Path
) -> Path:
    """Every test writes its cached variants below its own temporary folder (the real ROMs are found first,
    in the user's ROM folder, so the file runs alone too)."""
    monkeypatch.setenv("GYM_MARIO_LATENT_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture(params=GAME_FIXTURES)
def rom_path(request: pytest.FixtureRequest) -> Path:
    """The vanilla ROM of each game in turn."""
    return request.getfixturevalue(request.param)


def chr_tiles(rom: bytes) -> np.ndarray:
    """The CHR tiles of ``rom`` as an array (tiles, 8, 8) of colour indices."""
    header = parse_header(rom)
    return decode_tiles(rom[header.chr_offset : header.chr_offset + header.chr_size])


def redrawn_tiles(rom: bytes) -> np.ndarray:
    """A mask of the tiles a transform may redraw (all but ``KEPT_TILES``)."""
    mask = np.ones(len(chr_tiles(rom)), dtype=bool)
    for table, tile in KEPT_TILES:
        mask[table * TILES_PER_TABLE + tile] = False
    return mask


def distinct_tiles(tiles: np.ndarray) -> int:
    """How many different 8×8 patterns the tiles hold."""
    return len(np.unique(tiles.reshape(len(tiles), -1), axis=0))


def colour_changes(tiles: np.ndarray) -> int:
    """How many neighbouring pixel pairs (across and down) inside tiles differ in colour."""
    across = tiles[:, :, 1:] != tiles[:, :, :-1]
    down = tiles[:, 1:, :] != tiles[:, :-1, :]
    return int(across.sum() + down.sum())


def made_of_blocks(tiles: np.ndarray, block: int) -> bool:
    """Whether every tile is flat ``block``×``block`` squares."""
    n = 8 // block
    squares = tiles.reshape(-1, n, block, n, block)
    return bool((squares == squares[:, :, :1, :, :1]).all())


def is_one_filled_box(tile: np.ndarray) -> bool:
    """Whether the tile's opaque pixels are one filled rectangle of one colour."""
    rows, columns = np.flatnonzero(tile.any(axis=1)), np.flatnonzero(tile.any(axis=0))
    if len(rows) == 0:
        return True
    box = tile[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]
    return bool((box == box[0, 0]).all() and box[0, 0] != 0 and tile.sum() == box.sum())


@functools.cache
def play(rom_path: str) -> tuple[np.ndarray, np.ndarray, int]:
    """Boot ``rom_path``, tap start, and once the stage runs play a fixed button sequence.

    Returns the RAM after every frame (frames, 2048), the screen every 100 frames while Mario is
    under control in a running stage, and the frame at which that first happened.
    """
    buttons = np.random.default_rng(7).choice(
        [RIGHT, RIGHT | B, RIGHT | B | A, RIGHT | A, A, 0, LEFT, LEFT | B], size=PLAY_FRAMES
    )
    rams, screens, gameplay_frame = [], [], -1
    with NESEnv(rom_path) as env:
        env.reset()
        for frame in range(PLAY_FRAMES):
            if gameplay_frame < 0:
                action = START if env.ram[OPER_MODE] != 1 and (frame // 10) % 2 == 0 else 0
            else:
                action = int(buttons[frame])
            screen, *_ = env.step(action)
            rams.append(env.ram.copy())
            in_stage = env.ram[OPER_MODE] == 1 and env.ram[OPER_MODE_TASK] == 3
            if in_stage and env.ram[PLAYER_STATE] == 8:
                gameplay_frame = frame if gameplay_frame < 0 else gameplay_frame
                if frame % 100 == 0:
                    screens.append(screen.copy())
    return np.array(rams), np.array(screens), gameplay_frame


# transform_rom ---------------------------------------------------------------


@pytest.mark.parametrize("mode", VARIANT_MODES)
def test_transform_is_deterministic_and_rewrites_only_chr(rom_path: Path, mode: int) -> None:
    rom = rom_path.read_bytes()
    variant = transform_rom(rom, ROM_MODES[mode])
    assert variant == transform_rom(bytes(rom), ROM_MODES[mode])
    assert len(variant) == len(rom)
    chr_offset = parse_header(rom).chr_offset
    assert variant[:chr_offset] == rom[:chr_offset]  # header and PRG ROM, palettes included
    assert variant[chr_offset:] != rom[chr_offset:]


@pytest.mark.parametrize("mode", VARIANT_MODES)
def test_kept_tiles_are_byte_identical_and_every_other_change_stays_in_chr(rom_path: Path, mode: int) -> None:
    rom = rom_path.read_bytes()
    vanilla, variant = chr_tiles(rom), chr_tiles(transform_rom(rom, ROM_MODES[mode]))
    kept = ~redrawn_tiles(rom)
    assert (variant[kept] == vanilla[kept]).all()
    assert (variant[~kept] != vanilla[~kept]).any(axis=(1, 2)).sum() > 100


def test_vanilla_mode_returns_the_rom_unchanged(smb_rom_path: Path) -> None:
    rom = smb_rom_path.read_bytes()
    assert transform_rom(rom, "vanilla") == rom


def test_chr_decoding_round_trips_byte_for_byte(rom_path: Path) -> None:
    rom = rom_path.read_bytes()
    header = parse_header(rom)
    chr_rom = rom[header.chr_offset : header.chr_offset + header.chr_size]
    assert encode_tiles(decode_tiles(chr_rom)) == chr_rom


def test_each_mode_draws_tiles_in_its_own_shapes(rom_path: Path) -> None:
    rom = rom_path.read_bytes()
    redrawn = redrawn_tiles(rom)
    tiles = {mode: chr_tiles(transform_rom(rom, name))[redrawn] for mode, name in ROM_MODES.items()}
    assert not made_of_blocks(tiles[0], 2)
    assert made_of_blocks(tiles[1], 2) and not made_of_blocks(tiles[1], 4)
    assert made_of_blocks(tiles[2], 4)
    assert all(is_one_filled_box(tile) for tile in tiles[3])
    assert not all(is_one_filled_box(tile) for tile in tiles[2])


def test_each_mode_is_simpler_than_vanilla_and_downsample(rom_path: Path) -> None:
    rom = rom_path.read_bytes()
    tiles = {mode: chr_tiles(transform_rom(rom, name)) for mode, name in ROM_MODES.items()}
    patterns = {mode: distinct_tiles(t) for mode, t in tiles.items()}
    changes = {mode: colour_changes(t) for mode, t in tiles.items()}
    assert patterns[0] > patterns[1] > patterns[2] and patterns[1] > patterns[3]
    assert changes[0] > changes[1] > changes[2] and changes[1] > changes[3]
    assert changes[2] < changes[0] / 2 and changes[3] < changes[0] / 2


def test_unknown_mode_name_raises_rom_error_naming_the_modes(smb_rom_path: Path) -> None:
    with pytest.raises(RomError, match="'downsample', 'pixel', 'rectangle'"):
        transform_rom(smb_rom_path.read_bytes(), "sepia")


def test_file_without_chr_rom_raises_rom_error(smb_rom_path: Path) -> None:
    rom = bytearray(smb_rom_path.read_bytes())
    rom[5] = 0  # no CHR banks: the cartridge would use CHR RAM
    prg_end = len(rom) - 8 * 1024
    with pytest.raises(RomError, match="no CHR ROM"):
        transform_rom(bytes(rom[:prg_end]), "pixel")


@pytest.mark.parametrize(
    ("data", "problem"),
    [(b"PK\x03\x04" + bytes(40), "iNES signature"), (None, "promises 40976 bytes")],
)
def test_unusable_file_raises_rom_error_saying_why(
    smb_rom_path: Path, data: bytes | None, problem: str
) -> None:
    truncated = smb_rom_path.read_bytes()[:20000]
    with pytest.raises(RomError, match=problem):
        transform_rom(truncated if data is None else data, "downsample")


# Playing the variants ----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("game", "mode"),
    [
        ("smb_rom_path", 1),
        ("smb_rom_path", 2),
        ("smb_rom_path", 3),
        ("lost_levels_rom_path", 1),
        ("lost_levels_rom_path", 3),
    ],
)
def test_variant_plays_frame_for_frame_like_vanilla_with_a_different_screen(
    request: pytest.FixtureRequest, game: str, mode: int
) -> None:
    vanilla_path = request.getfixturevalue(game)
    vanilla_ram, vanilla_screens, vanilla_start = play(str(vanilla_path))
    ram, screens, start = play(str(variant_rom_path(vanilla_path, mode)))
    assert start == vanilla_start
    assert 0 < start < PLAY_FRAMES - 500, "the variant never reached gameplay"
    assert ram[start][TIMER_DIGITS].any()
    assert not np.array_equal(ram[start][TIMER_DIGITS], ram[-1][TIMER_DIGITS]), "clock stopped"
    different_frames = np.flatnonzero((ram != vanilla_ram).any(axis=1))
    assert different_frames.size == 0, f"RAM differs from frame {different_frames[:1]}"
    assert len(screens) == len(vanilla_screens) >= 5
    assert all((a != b).any() for a, b in zip(screens, vanilla_screens, strict=True))


# variant_rom_path and its cache ------------------------------------------------


def test_mode_zero_is_the_vanilla_file_itself(smb_rom_path: Path, cache_home: Path) -> None:
    assert variant_rom_path(smb_rom_path, 0) == smb_rom_path
    assert not cache_home.exists()


@pytest.mark.parametrize("mode", VARIANT_MODES)
def test_variant_is_cached_under_a_name_from_hash_mode_and_version(
    rom_path: Path, cache_home: Path, mode: int
) -> None:
    rom = rom_path.read_bytes()
    path = variant_rom_path(rom_path, mode)
    assert path.parent == cache_home / "cache" / "roms" == variant_cache_dir()
    sha = hashlib.sha256(rom).hexdigest()[:16]
    assert path.name == f"{sha}-{ROM_MODES[mode]}-t{TRANSFORM_VERSION}.nes"
    assert path.read_bytes() == transform_rom(rom, ROM_MODES[mode])


def test_second_call_reuses_the_cached_file_without_rewriting_it(smb_rom_path: Path) -> None:
    path = variant_rom_path(smb_rom_path, 2)
    written = path.stat().st_mtime_ns
    os.utime(path, ns=(written - 10**9, written - 10**9))  # older, so any rewrite would show
    assert variant_rom_path(smb_rom_path, 2) == path
    assert path.stat().st_mtime_ns == written - 10**9


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(path.read_bytes()[:1000]),
        lambda path: path.write_bytes(path.read_bytes()[:-1] + b"\x00"),
        lambda path: path.unlink(),
        lambda path: path.with_name(path.name + ".sha256").write_text("0" * 64),
        lambda path: path.with_name(path.name + ".sha256").unlink(),
    ],
    ids=["truncated", "one-byte-changed", "file-deleted", "sidecar-wrong", "sidecar-deleted"],
)
def test_damaged_cached_file_is_regenerated(smb_rom_path: Path, damage) -> None:
    path = variant_rom_path(smb_rom_path, 1)
    damage(path)
    assert variant_rom_path(smb_rom_path, 1) == path
    assert path.read_bytes() == transform_rom(smb_rom_path.read_bytes(), "downsample")


def test_a_tampered_variant_with_a_matching_sidecar_is_made_again(smb_rom_path: Path) -> None:
    path = variant_rom_path(smb_rom_path, 3)
    tampered = bytearray(path.read_bytes())
    tampered[16 + 0x100] ^= 0xFF  # game code: such a file can hang the emulator
    path.write_bytes(bytes(tampered))
    path.with_name(path.name + ".sha256").write_text(f"{hashlib.sha256(tampered).hexdigest()}  {path.name}\n")
    assert variant_rom_path(smb_rom_path, 3) == path
    assert path.read_bytes() == transform_rom(smb_rom_path.read_bytes(), "rectangle")


@pytest.mark.parametrize("obstacle", ["variant path is a folder", "cache folder is a file"])
def test_a_cache_that_cannot_be_written_is_a_rom_error_saying_what_is_in_the_way(
    smb_rom_path: Path, obstacle: str
) -> None:
    path = variant_rom_path(smb_rom_path, 1)
    path.unlink()
    if obstacle == "variant path is a folder":
        path.mkdir()
    else:
        shutil.rmtree(path.parent)
        path.parent.write_text("not a folder")
    with pytest.raises(RomError, match=r"cannot write the ROM variant .*GYM_MARIO_LATENT_HOME"):
        variant_rom_path(smb_rom_path, 1)


def test_concurrent_callers_get_one_intact_file_and_no_leftovers(smb_rom_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        paths = set(pool.map(lambda _: variant_rom_path(smb_rom_path, 3), range(16)))
    (path,) = paths
    assert path.read_bytes() == transform_rom(smb_rom_path.read_bytes(), "rectangle")
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name, path.name + ".sha256"]


@pytest.mark.parametrize("mode", [-1, 4, "1"])
def test_unknown_mode_number_raises_rom_error(smb_rom_path: Path, mode) -> None:
    with pytest.raises(RomError, match="unknown ROM mode"):
        variant_rom_path(smb_rom_path, mode)


def test_missing_vanilla_file_raises_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        variant_rom_path(tmp_path / "absent.nes", 1)
