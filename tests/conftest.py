"""Shared fixtures: real, verified ROM files (tests never run without them), the Ray tests' batch."""

import random
from pathlib import Path

import pytest
from simulator_support import vglc_windows

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


@pytest.fixture(scope="session")
def ray_batch() -> list[str]:
    """200 VGLC windows, the batch the Ray tests compare with the local pool."""
    return random.Random(14).sample(vglc_windows(), 200)


@pytest.fixture(scope="session")
def ray_batch_local_results(ray_batch):
    """The local pool's telemetry of :func:`ray_batch`."""
    from gym_mario_latent.simulator_bridge import Simulator

    with Simulator(workers=2) as simulator:
        return simulator.evaluate_many(ray_batch)
