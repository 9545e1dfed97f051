"""Shared fixtures: real, verified ROM files (tests never run without them)."""

from pathlib import Path

import pytest

from gym_mario_latent import roms
from gym_mario_latent.errors import GymMarioLatentError


def _rom_or_fail(game: str) -> Path:
    try:
        return roms.find_rom(game).path
    except GymMarioLatentError as error:
        pytest.fail(f"tests need a real ROM: {error}", pytrace=False)


@pytest.fixture(scope="session")
def smb_rom_path() -> Path:
    """A verified Super Mario Bros ROM (imported by `make test` with `rom import --from-pypi`)."""
    return _rom_or_fail(roms.SMB1)


@pytest.fixture(scope="session")
def lost_levels_rom_path() -> Path:
    """A verified Lost Levels ROM."""
    return _rom_or_fail(roms.LOST_LEVELS)
