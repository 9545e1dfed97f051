"""Snapshots of the NES envs: the values ``dump_state`` returns, and their bytes on disk (one format).

A snapshot of the native emulator is plain data. ``snapshot.to_bytes()`` gives bytes that
``MarioSnapshot.from_bytes`` (or ``env.load_state(data)``) reads back in another process or on another
machine running the same package and ROM; ``save(path)`` / ``from_file(path)`` do the same with a file, and
pickling goes through the same bytes. nes-py's snapshots hold a native object of its process: saving one is a
:class:`~gym_mario_latent.errors.SnapshotError` that names ``emulator="native"``.

The bytes, all integers little-endian::

    b"GML-SNAP"  format version (uint16)  header length (uint32)  total length (uint64)
    header (JSON, UTF-8)  emulator state (zlib-compressed)  CRC-32 of everything before it (uint32)

The header records what a snapshot loads into: ``kind`` (``"env"`` or ``"lane"``), ``game``, ``rom_mode``,
``rom_sha1`` (SHA-1 of the PRG and CHR data the emulator runs), ``emulator``, the episode's ``stage``
(``"W-S"``, or ``null`` for a full-game episode) and ``single_stage``; then the episode bookkeeping. Loading
checks the signature, the version, the length and the checksum before it reads the header, and an env
refuses a snapshot of another game, ROM, ROM mode, stage, rules or emulator.
"""

import json
import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gym_mario_latent.emulator import NATIVE, NES_PY
from gym_mario_latent.emulator.native import NativeState
from gym_mario_latent.envs.smb_game import GameSnapshot, Stage, parse_stage
from gym_mario_latent.errors import SnapshotError
from gym_mario_latent.files import output_file
from gym_mario_latent.roms import GAME_TITLES, LOST_LEVELS, SMB1

FORMAT_MAGIC = b"GML-SNAP"
FORMAT_VERSION = 1
_SIGNATURE = struct.Struct("<8sH")  # magic, format version: the part every version keeps
_PREFIX = struct.Struct("<8sHIQ")  # magic, format version, header length, total length
_CHECKSUM = struct.Struct("<I")  # CRC-32 of all the bytes before it
_COMPRESSION_LEVEL = 1  # 266 KB of machine state and screen to about 6 KB, in 0.5 ms
ENV_KIND, LANE_KIND = "env", "lane"
_WHAT = {ENV_KIND: "a single env's snapshot", LANE_KIND: "a vector env lane's snapshot"}
_LOAD_WITH = {ENV_KIND: "env.load_state(data)", LANE_KIND: "vector_env.load_state(lane, data)"}
# Header fields and their types, for each kind (JSON has no tuples: a stage is "W-S" or null).
_ENV_FIELDS = {
    "kind": str,
    "game": str,
    "rom_mode": int,
    "rom_sha1": str,
    "emulator": str,
    "stage": (str, type(None)),
    "single_stage": bool,
    "done": bool,
    "x_last": int,
    "time_last": int,
}
_LANE_FIELDS = {**_ENV_FIELDS, "elapsed_steps": int, "autoreset": bool}


@dataclass(frozen=True)
class MarioSnapshot:
    """A point of an episode of :class:`~gym_mario_latent.envs.smb.SuperMarioBrosEnv` to come back to, with
    what it loads into: the game, ROM (and its mode), emulator, the episode's start stage and its rules.

    A native emulator's snapshot pickles and converts to bytes (:meth:`to_bytes`, :meth:`save`); nes-py's
    lives in its process only.
    """

    game: GameSnapshot
    done: bool
    lost_levels: bool
    rom_mode: int
    rom_sha1: str
    single_stage: bool
    emulator: str = NES_PY

    @property
    def game_id(self) -> str:
        """``"smb1"`` or ``"lost_levels"`` (the keys of :data:`gym_mario_latent.roms.GAME_TITLES`)."""
        return LOST_LEVELS if self.lost_levels else SMB1

    def describe(self) -> str:
        """What the snapshot loads into, in words (for error messages)."""
        return describe_game(self.lost_levels, self.rom_mode)

    def to_bytes(self) -> bytes:
        """The snapshot in the on-disk format (see the module docstring); the native emulator's only.

        Raises:
            SnapshotError: the snapshot was taken on nes-py, whose state cannot leave its process.
        """
        return _encode(ENV_KIND, self, {})

    @classmethod
    def from_bytes(cls, data: bytes) -> "MarioSnapshot":
        """Read a snapshot written by :meth:`to_bytes` (in any process of the same package version).

        Raises:
            SnapshotError: not a snapshot, a format version this package does not read, truncated or
                corrupt bytes, or a vector env lane's snapshot.
        """
        return _decode(data, ENV_KIND)[0]

    def save(self, path: str | os.PathLike) -> None:
        """Write :meth:`to_bytes` to ``path`` in one step (see :func:`gym_mario_latent.files.output_file`)."""
        _save(self.to_bytes(), path)

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> "MarioSnapshot":
        """Read a snapshot that :meth:`save` wrote."""
        return cls.from_bytes(_read(path))

    def __reduce__(self):
        return (type(self).from_bytes, (self.to_bytes(),))


@dataclass(frozen=True)
class LaneSnapshot:
    """One lane of :class:`~gym_mario_latent.envs.vector.SuperMarioBrosVectorEnv`: the lane's
    :class:`MarioSnapshot` plus the vector env's bookkeeping (steps taken, reset pending). The same bytes
    and file methods as :class:`MarioSnapshot`."""

    env: MarioSnapshot
    elapsed_steps: int
    autoreset: bool

    def to_bytes(self) -> bytes:
        """The lane's snapshot in the on-disk format (see :meth:`MarioSnapshot.to_bytes`)."""
        return _encode(
            LANE_KIND, self.env, {"elapsed_steps": self.elapsed_steps, "autoreset": self.autoreset}
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> "LaneSnapshot":
        """Read a lane snapshot written by :meth:`to_bytes` (see :meth:`MarioSnapshot.from_bytes`)."""
        env, header = _decode(data, LANE_KIND)
        return cls(env, header["elapsed_steps"], header["autoreset"])

    def save(self, path: str | os.PathLike) -> None:
        """Write :meth:`to_bytes` to ``path`` in one step."""
        _save(self.to_bytes(), path)

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> "LaneSnapshot":
        """Read a lane snapshot that :meth:`save` wrote."""
        return cls.from_bytes(_read(path))

    def __reduce__(self):
        return (type(self).from_bytes, (self.to_bytes(),))


def describe_game(lost_levels: bool, rom_mode: int) -> str:
    """``"Super Mario Bros. in ROM mode 0"``."""
    return f"{GAME_TITLES[LOST_LEVELS if lost_levels else SMB1]} in ROM mode {rom_mode}"


def describe_stage(stage: Stage | None, single_stage: bool) -> str:
    """How an episode is played, in words: ``"stage 4-2 (one life)"``, ``"the whole game from 1-1"``."""
    start = "1-1" if stage is None else str(stage)
    return f"stage {start} (one life)" if single_stage else f"the whole game from {start}"


def check_snapshot_fits(snapshot: MarioSnapshot, env: Any) -> None:
    """Refuse a snapshot that is not of ``env``'s emulator, game, ROM, ROM mode and rules, or whose episode
    started in a stage ``env`` does not start episodes in.

    Raises:
        TypeError: ``snapshot`` is no :class:`MarioSnapshot`.
        SnapshotError: it does not fit ``env``, the message naming both sides.
    """
    if not isinstance(snapshot, MarioSnapshot):
        raise TypeError(f"expected a snapshot from dump_state(), got {type(snapshot).__name__}")
    if snapshot.emulator != env.emulator:
        raise SnapshotError(
            f"the snapshot was taken on the {snapshot.emulator!r} emulator; this env runs "
            f"{env.emulator!r} (their states differ in format: replay the actions instead)"
        )
    taken, here = snapshot.describe(), describe_game(env.lost_levels, env.rom_mode)
    if taken != here:
        raise SnapshotError(f"the snapshot was taken in {taken}; this env plays {here}")
    if snapshot.rom_sha1 != env.rom_sha1:
        raise SnapshotError(
            f"the snapshot was taken on another dump of the ROM (PRG+CHR SHA-1 {snapshot.rom_sha1}); this "
            f"env runs {env.rom_sha1}"
        )
    stage, single_stage = snapshot.game.stage, snapshot.single_stage
    if single_stage != env.game.single_stage or not env._starts_episodes_in(stage):
        raise SnapshotError(
            f"the snapshot's episode plays {describe_stage(stage, single_stage)}; this env plays "
            f"{env._episodes_in_words()}"
        )


def _encode(kind: str, snapshot: MarioSnapshot, extra: dict[str, Any]) -> bytes:
    if snapshot.emulator != NATIVE:
        raise SnapshotError(
            f"a snapshot of the {snapshot.emulator} emulator lives in this process only (its state is a "
            f"native object): make the env with emulator={NATIVE!r} to pickle or save snapshots"
        )
    state = zlib.compress(snapshot.game.emulator_state, _COMPRESSION_LEVEL)
    stage = snapshot.game.stage
    header = {
        "kind": kind,
        "game": snapshot.game_id,
        "rom_mode": snapshot.rom_mode,
        "rom_sha1": snapshot.rom_sha1,
        "emulator": snapshot.emulator,
        "stage": None if stage is None else str(stage),
        "single_stage": snapshot.single_stage,
        "done": snapshot.done,
        "x_last": snapshot.game.x_last,
        "time_last": snapshot.game.time_last,
        **extra,
    }
    encoded_header = json.dumps(header, separators=(",", ":")).encode()
    total = _PREFIX.size + len(encoded_header) + len(state) + _CHECKSUM.size
    body = _PREFIX.pack(FORMAT_MAGIC, FORMAT_VERSION, len(encoded_header), total) + encoded_header + state
    return body + _CHECKSUM.pack(zlib.crc32(body))


def _decode(data: bytes, kind: str) -> tuple[MarioSnapshot, dict[str, Any]]:
    """The env snapshot in ``data`` and its header, checked to be of ``kind``."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError(f"expected the bytes of a snapshot, got {type(data).__name__}")
    data = bytes(data)
    if not data.startswith(FORMAT_MAGIC):
        raise SnapshotError("these bytes are not a gym-mario-latent snapshot (no GML-SNAP signature)")
    if len(data) < _PREFIX.size:
        raise SnapshotError(f"the snapshot is truncated ({len(data)} bytes)")
    _, version = _SIGNATURE.unpack_from(data)
    if version != FORMAT_VERSION:
        raise SnapshotError(
            f"the snapshot has format version {version}; this version of gym-mario-latent reads version "
            f"{FORMAT_VERSION} (a newer package wrote it, or the bytes are corrupt)"
        )
    _, _, header_length, total = _PREFIX.unpack_from(data)
    if len(data) != total:
        problem = "truncated" if len(data) < total else "corrupt (bytes after its end)"
        raise SnapshotError(f"the snapshot is {problem}: {len(data)} bytes, its prefix says {total}")
    body, (checksum,) = data[: -_CHECKSUM.size], _CHECKSUM.unpack_from(data, len(data) - _CHECKSUM.size)
    if zlib.crc32(body) != checksum:
        raise SnapshotError("the snapshot is corrupt (its CRC-32 does not match its bytes)")
    # Past the checksum, a bad header is a file made by hand: still refused with a clear error.
    header_end = _PREFIX.size + header_length
    try:
        header = json.loads(body[_PREFIX.size : header_end])
    except ValueError:
        raise SnapshotError("the snapshot is corrupt (its header is not JSON)") from None
    fields = _LANE_FIELDS if isinstance(header, dict) and header.get("kind") == LANE_KIND else _ENV_FIELDS
    if not isinstance(header, dict) or any(
        not isinstance(header.get(name), types) for name, types in fields.items()
    ):
        raise SnapshotError("the snapshot is corrupt (its header lacks fields or has wrong types)")
    if header["kind"] != kind:
        raise SnapshotError(
            f"these bytes hold {_WHAT[header['kind']]}, not {_WHAT[kind]}: load them with "
            f"{_LOAD_WITH[header['kind']]}"
        )
    if header["game"] not in GAME_TITLES or header["emulator"] != NATIVE:
        raise SnapshotError(
            f"the snapshot is corrupt (game {header['game']!r}, emulator {header['emulator']!r})"
        )
    lost_levels = header["game"] == LOST_LEVELS
    try:
        stage = None if header["stage"] is None else parse_stage(header["stage"], lost_levels)
    except ValueError:
        raise SnapshotError(f"the snapshot is corrupt (stage {header['stage']!r})") from None
    try:
        state = NativeState(zlib.decompress(body[header_end:]))
    except zlib.error:
        raise SnapshotError("the snapshot is corrupt (its emulator state does not decompress)") from None
    game = GameSnapshot(state, stage, header["x_last"], header["time_last"])
    snapshot = MarioSnapshot(
        game,
        header["done"],
        lost_levels,
        header["rom_mode"],
        header["rom_sha1"],
        header["single_stage"],
        NATIVE,
    )
    return snapshot, header


def _save(data: bytes, path: str | os.PathLike) -> None:
    with output_file(path) as temporary:
        temporary.write_bytes(data)


def _read(path: str | os.PathLike) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise SnapshotError(f"cannot read the snapshot {path}: {error.strerror or error}") from None
