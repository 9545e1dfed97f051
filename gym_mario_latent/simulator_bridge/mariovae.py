"""MarioVAE's ``simulator.py`` functions, running on our simulator, so code written for it (such as
the blog post's example) runs unchanged::

    from gym_mario_latent.simulator_bridge import test_level_from_int_tensor, test_level_from_z
    telemetry = test_level_from_int_tensor(one_large_level, human_player=True, visualize=True)
    telemetry = test_level_from_z(torch.randn(2), vae)  # the VAE's most likely level at z

Each returns the telemetry dict (:meth:`Telemetry.to_dict`, MarioVAE's keys included) plus
``"level"``, the int-row string of the level. Levels are padded as by :class:`Simulator`; a
window (``human_player`` or ``visualize``) runs in a JVM of its own, without a worker pool.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from gym_mario_latent.levels import check_ids, ids_to_int_list_string, int_list_string_to_ids, onehot_to_ids
from gym_mario_latent.levels.convert import refuse_distribution
from gym_mario_latent.simulator_bridge.level_requests import LevelRequests
from gym_mario_latent.simulator_bridge.one_level import play_in_window
from gym_mario_latent.simulator_bridge.protocol import GameSettings
from gym_mario_latent.simulator_bridge.simulator import Simulator


@functools.lru_cache(maxsize=4)
def _simulator(max_time: float) -> Simulator:
    """One shared single-worker simulator per time limit (stopped when evicted or at exit)."""
    return Simulator(workers=1, time_limit=max_time)


def run_level(level: str, human_player: bool = False, max_time: float = 30, visualize: bool = False) -> dict:
    """Plays a level given as MarioVAE's int-row string: at the keyboard, watched, or headless."""
    return _run_ids(int_list_string_to_ids(level), human_player, max_time, visualize)


def _run_ids(ids: Any, human_player: bool, max_time: float, visualize: bool) -> dict[str, Any]:
    ids = check_ids(ids, ndim=2)
    if human_player or visualize:
        requests = LevelRequests(GameSettings(time_limit=float(max_time)))
        telemetry = play_in_window(ids, requests, visualize=not human_player)
    else:
        telemetry = _simulator(float(max_time)).evaluate(ids)
    return telemetry.to_dict() | {"level": ids_to_int_list_string(ids)}


def test_level_from_int_tensor(
    level: Any, human_player: bool = False, max_time: float = 45, visualize: bool = False
) -> dict:
    """Plays a tensor of tile ids (rows, columns)."""
    return _run_ids(level, human_player, max_time, visualize)


def test_level_from_int_array(
    level: Any, human_player: bool = False, max_time: float = 45, visualize: bool = False
) -> dict:
    """Plays an array of tile ids (rows, columns)."""
    return _run_ids(level, human_player, max_time, visualize)


def test_level_from_decoded_tensor(
    level: Any, human_player: bool = False, max_time: float = 30, visualize: bool = False
) -> dict:
    """Plays a decoded level: tile ids (rows, columns) as MarioVAE passes them, or a one-hot (or
    per-tile probability) level (n_tiles, rows, columns); either may have a leading batch axis of 1."""
    refuse_distribution(level)
    if hasattr(level, "is_floating_point"):  # a tensor
        floating = level.is_floating_point()
    else:
        floating = np.issubdtype(np.asarray(level).dtype, np.floating)
    ids = onehot_to_ids(level) if floating else check_ids(level)
    return _run_ids(
        ids.reshape(ids.shape[-2:]) if ids.ndim == 3 and len(ids) == 1 else ids,
        human_player,
        max_time,
        visualize,
    )


def test_level_from_z(
    z: Any, model: Any, human_player: bool = False, max_time: float = 30, visualize: bool = False
) -> dict:
    """Plays the most likely level that `model` (our MarioVAE or the blog's) decodes from one latent `z`."""
    level = model.decode(z.reshape(1, -1)).probs.argmax(dim=-1)[0]
    return _run_ids(level, human_player, max_time, visualize)


# these are simulator calls, not tests: keep pytest from collecting them when imported into a test
for _function in (
    test_level_from_int_tensor,
    test_level_from_int_array,
    test_level_from_decoded_tensor,
    test_level_from_z,
):
    _function.__test__ = False
