"""The training data of the level models: the 15 VGLC Super Mario Bros levels, cut into windows
(14×14 for the VAE, 14×28 for the GAN).

The level files ship inside the package (``gym_mario_latent/vae/vglc``, from the Video Game Level
Corpus, MIT licence in ``LICENSE-VGLC.md``), so nothing is downloaded.
"""

from importlib import resources

import numpy as np

from gym_mario_latent.levels import text_to_ids

WINDOW = 14  # rows and columns of a VAE level segment


def _vglc_folder():
    return resources.files("gym_mario_latent.vae") / "vglc"


def vglc_level_names() -> list[str]:
    """Names of the shipped VGLC levels, e.g. ``mario-1-1``, sorted."""
    return sorted(
        entry.name.removesuffix(".txt") for entry in _vglc_folder().iterdir() if entry.name.endswith(".txt")
    )


def load_vglc_level(name: str) -> np.ndarray:
    """One shipped VGLC level as tile ids, shape (14, columns).

    Raises:
        FileNotFoundError: no shipped level of that name.
    """
    path = _vglc_folder() / f"{name}.txt"
    if not path.is_file():
        raise FileNotFoundError(f"no VGLC level {name!r}; shipped: {', '.join(vglc_level_names())}")
    return text_to_ids(path.read_text(encoding="utf-8"))


def load_vglc_levels() -> dict[str, np.ndarray]:
    """Every shipped VGLC level as tile ids, by name."""
    return {name: load_vglc_level(name) for name in vglc_level_names()}


def level_windows(
    level: np.ndarray, size: int = WINDOW, stride: int = 1, width: int | None = None
) -> np.ndarray:
    """Windows slid left to right over one level: (rows, columns) → (n, size, width).

    Takes the bottom ``size`` rows (all of them for 14-row VGLC levels); ``width`` defaults to
    ``size`` (square windows).
    """
    width = size if width is None else width
    rows = level[-size:]
    windows = np.lib.stride_tricks.sliding_window_view(rows, (size, width))[0, ::stride]
    return np.ascontiguousarray(windows)


def vglc_windows(size: int = WINDOW, stride: int = 1, width: int | None = None) -> np.ndarray:
    """All windows of all shipped levels, level by level in name order: (n, size, width) int64."""
    return np.concatenate(
        [level_windows(level, size, stride, width) for level in load_vglc_levels().values()]
    )


def vglc_windows_description(size: int = WINDOW, stride: int = 1, width: int | None = None) -> str:
    """What ``vglc_windows(size, stride, width)`` holds, in words (recorded in checkpoints)."""
    width = size if width is None else width
    return f"VGLC Super Mario Bros, {len(vglc_level_names())} levels, {size}x{width} windows, stride {stride}"


def train_test_split(
    windows: np.ndarray, test_fraction: float = 0.2, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Shuffle windows with ``seed`` and hold out ``test_fraction`` of them: (train, test).

    The same seed gives the same split on every machine (NumPy's PCG64 generator).
    """
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be in (0, 1); got {test_fraction}")
    order = np.random.default_rng(seed).permutation(len(windows))
    n_test = max(1, round(len(windows) * test_fraction))
    return windows[order[n_test:]], windows[order[:n_test]]
