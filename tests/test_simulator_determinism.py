"""Same level and settings give the same telemetry: across runs, processes and concurrent load."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

import pytest
from simulator_support import Server, vglc_levels, vglc_windows

SAMPLE_SIZE = 40


@pytest.fixture(scope="module")
def windows() -> list[str]:
    return random.Random(7).sample(vglc_windows(), SAMPLE_SIZE)


def play_all(levels: list[str], **fields) -> list[dict]:
    with Server() as server:
        replies = [server.request(id=i, level=level, **fields) for i, level in enumerate(levels)]
    assert all(reply["ok"] for reply in replies), replies
    return [reply["telemetry"] for reply in replies]


def test_rerunning_a_level_in_the_same_server_repeats_the_trace():
    level = vglc_levels()["mario-1-1"]
    with Server() as server:
        first = server.request(level=level, trace=True)
        second = server.request(level=level, trace=True)
    assert first == second
    assert first["telemetry"]["nodes_expanded"] > 0


@pytest.mark.slow
def test_concurrent_servers_agree_with_a_lone_server(windows):
    alone = play_all(windows, trace=True)
    with ThreadPoolExecutor(max_workers=3) as pool:
        together = list(pool.map(lambda _: play_all(windows, trace=True), range(3)))
    for telemetry in together:
        assert telemetry == alone


def test_node_budget_is_part_of_the_settings_that_fix_the_result(windows):
    small_budget = play_all(windows[:10], node_budget=20)
    assert small_budget == play_all(windows[:10], node_budget=20)
    assert all(t["nodes_expanded"] <= 20 * (t["ticks"] + 1) for t in small_budget)
