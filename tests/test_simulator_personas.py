"""The A* personas (runner, killer, collector) and the telemetry counts of the field's behaviour measures.

The personas are MFEDRL's play styles as our A* agent's preferences: after Mario's safety, progress
(the runner, which is ``astar``), kills (the killer) or coins (the collector). Played by the real jar
through :class:`Simulator`, on crafted levels where the styles must differ: a row of coins above the
path, a field of goombas.
"""

from __future__ import annotations

import pytest
from simulator_support import flat_level, with_tiles

from gym_mario_latent.simulator_bridge import Simulator

PERSONAS = ("runner", "killer", "collector")
WIDTH = 40
#: Coins four tiles above the ground, reachable only by jumping, over most of the level.
COIN_ROW = with_tiles(flat_level(WIDTH), {(x, 8): "o" for x in range(6, 34)})
#: Nine goombas, three tiles apart, walking towards Mario.
ENEMY_FIELD = with_tiles(flat_level(WIDTH), {(x, 11): "E" for x in range(10, 36, 3)})


def play(rows: list[str], **settings) -> dict:
    """The raw telemetry of one game (no padding: the level as drawn)."""
    with Simulator(1, padding=False, wall_time_limit=None, **settings) as simulator:
        return simulator.evaluate(rows).raw


@pytest.fixture(scope="module")
def coin_row() -> dict[str, dict]:
    return {agent: play(COIN_ROW, agent=agent) for agent in PERSONAS}


@pytest.fixture(scope="module")
def enemy_field() -> dict[str, dict]:
    return {agent: play(ENEMY_FIELD, agent=agent) for agent in PERSONAS}


def test_the_personas_come_from_the_jars_handshake_and_simulator_takes_them():
    with Simulator(1, agent="killer") as simulator:
        assert {"astar", *PERSONAS} <= set(simulator.requests.facts.agents)
    with pytest.raises(ValueError, match=r"unknown agent 'hunter'.*collector"):
        Simulator(1, agent="hunter")


def test_the_collector_collects_more_coins_than_the_runner_and_both_finish(coin_row):
    assert coin_row["runner"]["coins"] == 0  # the runner never leaves the ground for a coin
    assert coin_row["collector"]["coins"] >= 5
    assert coin_row["collector"]["tile_coins"] == coin_row["collector"]["coins"]
    assert all(t["status"] == "win" for t in coin_row.values())


def test_the_killer_kills_more_enemies_than_the_runner_and_both_finish(enemy_field):
    runner, killer = enemy_field["runner"], enemy_field["killer"]
    assert killer["kills_total"] > runner["kills_total"]
    assert killer["kills"]["goomba"] == killer["kills_total"]
    assert runner["status"] == killer["status"] == "win"


def test_the_runner_is_the_astar_agent_under_its_persona_name():
    astar = play(ENEMY_FIELD, agent="astar", trace=True)
    runner = play(ENEMY_FIELD, agent="runner", trace=True)
    assert runner["agent"] == "runner"
    assert {**runner, "agent": "astar"} == astar


@pytest.mark.parametrize("agent", ["killer", "collector"])
def test_a_persona_plays_the_same_game_every_time_on_the_same_node_budget(agent):
    level = with_tiles(ENEMY_FIELD, {(x, 8): "o" for x in range(6, 20)})
    first = play(level, agent=agent, node_budget=300, trace=True)
    again = play(level, agent=agent, node_budget=300, trace=True)
    assert first == again
    assert 0 < first["nodes_expanded"] <= 300 * first["ticks"]


def test_stomps_on_a_goomba_field_are_counted_as_stomps_and_not_as_falls(enemy_field):
    killer = enemy_field["killer"]
    assert killer["kills_by"]["stomp"] == killer["kills_total"] > 0
    assert killer["fall_kills"] == 0


def test_a_goomba_walking_into_a_pit_is_a_fall_kill_and_no_kill_of_marios():
    rows = with_tiles(flat_level(24), {(x, y): "-" for x in range(4, 7) for y in (12, 13)})
    rows = with_tiles(rows, {(10, 11): "E"})
    telemetry = play(rows, agent="noop", time_limit=4)
    assert telemetry["fall_kills"] == 1
    assert telemetry["kills_total"] == 0


def test_tile_coins_count_coin_tiles_and_not_coin_blocks():
    rows = with_tiles(flat_level(20), {(0, 9): "Q", (8, 11): "o", (9, 11): "o"})
    blocks = play(rows, agent="jump", time_limit=1)  # jumps on the spot into the coin block
    tiles = play(rows, agent="forward")  # runs through the two coins
    assert (blocks["coins"], blocks["tile_coins"]) == (1, 0)
    assert (tiles["coins"], tiles["tile_coins"]) == (2, 2)


def test_every_landed_jump_is_listed_with_the_maxima_the_telemetry_already_had():
    with Simulator(1, padding=False, agent="jump", time_limit=3) as simulator:
        typed = simulator.evaluate(flat_level(20))
    telemetry = typed.raw
    lengths, air_times = telemetry["jump_lengths"], telemetry["jump_air_times"]
    assert (typed.jump_lengths, typed.jump_air_times) == (lengths, air_times)
    assert (typed.fall_kills, typed.tile_coins) == (0, 0)
    assert len(lengths) == len(air_times) >= 2
    assert telemetry["jumps"] - 1 <= len(air_times) <= telemetry["jumps"]  # the last may not have landed
    assert max(air_times) == telemetry["max_air_time"]
    assert max(lengths) == telemetry["max_jump_length"]
    assert all(isinstance(t, int) and t > 0 for t in air_times)


def test_one_batch_plays_each_level_with_the_agent_named_for_it(coin_row, enemy_field):
    with Simulator(2, padding=False, wall_time_limit=None) as simulator:
        games = simulator.evaluate_many(
            [COIN_ROW, ENEMY_FIELD, ENEMY_FIELD], agents=["collector", "killer", None]
        )
        with pytest.raises(ValueError, match=r"one agent per level \(2\)"):
            simulator.evaluate_many([COIN_ROW, COIN_ROW], agents=["killer"])
        with pytest.raises(ValueError, match="unknown agent 'hunter'"):
            simulator.evaluate_many([COIN_ROW], agents=["hunter"])
    assert [game.agent for game in games] == ["collector", "killer", "astar"]
    # the same games as a simulator of that agent plays
    assert games[0].raw == coin_row["collector"] and games[1].raw == enemy_field["killer"]
    assert games[2].raw == {**enemy_field["runner"], "agent": "astar"}
