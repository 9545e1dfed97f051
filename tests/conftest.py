"""Shared fixtures: real, verified ROM files (tests never run without them), envs closed at teardown, the Ray
tests' batch, a full disk."""

import contextlib
import errno
import os
import random
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import gymnasium as gym
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


@pytest.fixture
def make_env() -> Iterator[Callable[..., Any]]:
    """Makes envs for one test and closes every one it made at teardown, whether the test passed or not.

    ``make_env("SuperMarioBros-1-1-v0", **kwargs)`` is ``gym.make``; ``make_env(maker, *args, **kwargs)``
    calls any other maker of something with ``close()`` (``gym.make_vec``, an env class, a test's helper).
    """
    with contextlib.ExitStack() as made:  # closes the last made first, and all of them if one close fails

        def make(maker: str | Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
            env = gym.make(maker, *args, **kwargs) if isinstance(maker, str) else maker(*args, **kwargs)
            made.callback(env.close)
            return env

        yield make


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


@pytest.fixture
def full_disk(tmp_path) -> Iterator[Path]:
    """A folder on a 64 KiB tmpfs with no space left, holding one small regular file, ``old.txt`` ("old").

    Mounting needs root (skipped otherwise); the tmpfs is unmounted at teardown.
    """
    folder = tmp_path / "full"
    folder.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)]
    if os.geteuid() != 0 or subprocess.run(mount, capture_output=True).returncode != 0:
        pytest.skip("a full disk is a tmpfs mounted by root")
    try:
        (folder / "old.txt").write_text("old")
        filler = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            while True:
                os.write(filler, bytes(4096))
        except OSError as error:
            assert error.errno == errno.ENOSPC
        finally:
            os.close(filler)
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)
