"""Reading and checking the iNES header of a ``.nes`` file (https://www.nesdev.org/wiki/INES)."""

import hashlib
from dataclasses import dataclass

INES_MAGIC = b"NES\x1a"
HEADER_SIZE = 16
TRAINER_SIZE = 512
PRG_BANK_SIZE = 16 * 1024
CHR_BANK_SIZE = 8 * 1024


@dataclass(frozen=True)
class INesHeader:
    """The fields of an iNES header that decide whether we can use a file."""

    prg_size: int
    chr_size: int
    mapper: int
    mirroring: str  # "horizontal", "vertical" or "four-screen"
    has_trainer: bool
    is_pal: bool
    is_nes2: bool

    @property
    def expected_size(self) -> int:
        """Bytes the file must hold for the header to be honest."""
        trainer = TRAINER_SIZE if self.has_trainer else 0
        return HEADER_SIZE + trainer + self.prg_size + self.chr_size

    @property
    def chr_offset(self) -> int:
        """Offset of the first CHR byte in the file."""
        return self.expected_size - self.chr_size


def parse_header(data: bytes) -> INesHeader:
    """Parse the header of ``data``; raise ``ValueError`` saying what is wrong with it."""
    if len(data) < HEADER_SIZE:
        raise ValueError(f"only {len(data)} bytes, shorter than a 16-byte iNES header")
    if data[:4] != INES_MAGIC:
        raise ValueError(f"no iNES signature (starts with {data[:4]!r}, expected {INES_MAGIC!r})")
    flags6, flags7, flags9 = data[6], data[7], data[9]
    is_nes2 = (flags7 & 0x0C) == 0x08
    prg_banks, chr_banks = data[4], data[5]
    if is_nes2:
        prg_banks |= (data[9] & 0x0F) << 8
        chr_banks |= (data[9] & 0xF0) << 4
        is_pal = (data[12] & 0x03) == 0x01
    else:
        is_pal = bool(flags9 & 0x01)
    if prg_banks == 0:
        raise ValueError("its header declares no PRG-ROM (program code)")
    return INesHeader(
        prg_size=prg_banks * PRG_BANK_SIZE,
        chr_size=chr_banks * CHR_BANK_SIZE,
        mapper=(flags7 & 0xF0) | (flags6 >> 4),
        mirroring="four-screen" if flags6 & 0x08 else ("vertical" if flags6 & 0x01 else "horizontal"),
        has_trainer=bool(flags6 & 0x04),
        is_pal=is_pal,
        is_nes2=is_nes2,
    )


def content_sha1(data: bytes, header: INesHeader) -> str:
    """SHA-1 of PRG+CHR (header and trainer excluded), the usual way dumps are catalogued."""
    start = header.expected_size - header.prg_size - header.chr_size
    return hashlib.sha1(data[start : header.expected_size]).hexdigest()
