"""`LegacyJar` (a MarioVAE-style jar, one JVM per level), MarioVAE's functions on our simulator, and
the windows, which need a display."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from simulator_support import flat_level, gap_level, wall_level, with_tiles
from test_simulator_serve import MARIOVAE_KEYS

from gym_mario_latent.errors import SimulatorError
from gym_mario_latent.levels import ids_to_int_list_string, ids_to_onehot, text_to_ids
from gym_mario_latent.simulator_bridge import LegacyJar, Simulator, ensure_jar, mariovae
from gym_mario_latent.simulator_bridge.runtime import ONE_LEVEL_JVM_OPTIONS

LEVELS = [
    gap_level(3, width=20),
    wall_level(6, width=20),
    with_tiles(flat_level(width=20), {(12, 11): "E"}),
]


@pytest.fixture(scope="module")
def legacy() -> LegacyJar:
    return LegacyJar(ensure_jar(), jvm_options=ONE_LEVEL_JVM_OPTIONS)


def test_legacy_jar_and_simulator_agree_on_every_key(legacy):
    with Simulator(workers=2, padding=False) as simulator:
        ours = simulator.evaluate_many(LEVELS)
    theirs = legacy.evaluate_many(LEVELS)
    assert [t.to_dict() for t in theirs] == [t.to_dict() for t in ours]
    assert [t.status for t in theirs] == ["win", "timeout", "win"]
    assert set(theirs[0].raw) >= MARIOVAE_KEYS


def test_legacy_jar_checks_levels_before_starting_java(legacy):
    with pytest.raises(ValueError, match=r"outside 0\.\.10"):
        legacy.evaluate_many([text_to_ids(LEVELS[0]), np.full((14, 14), 12)])
    with pytest.raises(FileNotFoundError, match="no simulator jar"):
        LegacyJar("/nonexistent/simulator.jar")


def test_legacy_jar_over_the_wall_time_cap_is_a_timeout(legacy):
    impatient = LegacyJar(legacy.path, wall_time_limit=0.05)
    telemetry = impatient.evaluate(LEVELS[0])
    assert telemetry.status == "timeout" and "0.05 s" in telemetry.reason


def test_windows_without_a_display_ask_for_xvfb_run(legacy, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    with pytest.raises(SimulatorError, match=r"needs a display.*xvfb-run"):
        legacy.play(LEVELS[0])
    with Simulator(workers=1) as simulator:
        for show in (simulator.play, lambda level: simulator.evaluate(level, visualize=True)):
            with pytest.raises(SimulatorError, match=r"display.*xvfb-run"):
                show(LEVELS[0])
    with pytest.raises(SimulatorError, match=r"display.*xvfb-run"):
        mariovae.test_level_from_int_array(text_to_ids(LEVELS[0]), human_player=True, visualize=True)


def test_mariovae_functions_return_mariovae_telemetry_dicts():
    ids = text_to_ids(LEVELS[2])
    from_tensor = mariovae.test_level_from_int_tensor(torch.from_numpy(ids))
    assert set(from_tensor) >= MARIOVAE_KEYS | {"level", "status"}
    assert from_tensor["marioStatus"] == 1 and from_tensor["level"] == ids_to_int_list_string(ids)
    assert from_tensor["totalTimeGiven"] == 45  # MarioVAE's default for int levels
    assert mariovae.test_level_from_int_array(ids) == from_tensor
    assert mariovae.run_level(ids_to_int_list_string(ids), max_time=45) == from_tensor
    onehot = ids_to_onehot(torch.from_numpy(ids))[None]  # (1, n_tiles, rows, columns)
    assert mariovae.test_level_from_decoded_tensor(onehot, max_time=45) == from_tensor
