"""The 15 VGLC Super Mario Bros levels and their 14x14 windows parse and play in the simulator."""

from __future__ import annotations

import random

import pytest
from simulator_support import Server, vglc_levels, vglc_windows


@pytest.fixture(scope="module")
def server():
    with Server() as running:
        yield running


def test_all_fifteen_vglc_levels_are_present():
    assert len(vglc_levels()) == 15


# The Mario AI Framework's own A* (20 s, 40 ms per tick, small Mario) on these files, measured:
# it wins 13 levels and dies in 3-3 and 6-3 at these completions (its float32 values).
REFERENCE_LOSSES = {"mario-3-3": 0.40763885, "mario-6-3": 0.38099948}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(vglc_levels()))
def test_astar_matches_the_framework_agent_on_full_vglc_levels(server, name):
    level = vglc_levels()[name]
    reply = server.request(id=name, level=level)
    assert reply["ok"], reply
    telemetry = reply["telemetry"]
    assert telemetry["totalLengthOfLevelPassedCells"] == len(level.splitlines()[0])
    if name in REFERENCE_LOSSES:
        assert telemetry["status"] == "lose"
        assert telemetry["completion"] == pytest.approx(REFERENCE_LOSSES[name], rel=1e-6)
    else:
        assert telemetry["status"] == "win"
        assert telemetry["completion"] == 1.0


def test_astar_plays_vglc_level_1_1_through(server):
    telemetry = server.request(level=vglc_levels()["mario-1-1"])["telemetry"]
    assert telemetry["status"] == "win"
    assert telemetry["completion"] == 1.0


def test_astar_wins_most_vglc_windows(server):
    windows = random.Random(3).sample(vglc_windows(), 100)
    statuses = [server.request(level=w)["telemetry"]["status"] for w in windows]
    assert statuses.count("win") >= 90
