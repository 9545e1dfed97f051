"""Where the package keeps user data (imported ROMs) and caches (generated ROM variants)."""

import os
from pathlib import Path

import platformdirs

APP_NAME = "gym-mario-latent"


def user_data_dir() -> Path:
    """Folder for files the user gave us (imported ROMs); overridable by ``GYM_MARIO_LATENT_HOME``."""
    override = os.environ.get("GYM_MARIO_LATENT_HOME")
    if override:
        return Path(override) / "data"
    return Path(platformdirs.user_data_dir(APP_NAME))


def user_cache_dir() -> Path:
    """Folder for files we can regenerate (ROM variants); overridable by ``GYM_MARIO_LATENT_HOME``."""
    override = os.environ.get("GYM_MARIO_LATENT_HOME")
    if override:
        return Path(override) / "cache"
    return Path(platformdirs.user_cache_dir(APP_NAME))
