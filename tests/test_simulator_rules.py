"""Game rules of the simulator: enemies, items, blocks, coins, on crafted levels."""

from __future__ import annotations

import pytest
from simulator_support import Server, flat_level, wall_level, with_tiles


@pytest.fixture(scope="module")
def server():
    with Server() as running:
        yield running


PIPE_WITH_PLANT = with_tiles(
    flat_level(30),
    {(12, 9): "T", (13, 9): "T", (12, 10): "t", (13, 10): "t", (12, 11): "t", (13, 11): "t"},
)


@pytest.mark.parametrize("goombas", [[12], [10, 16], [10, 15, 20]])
def test_astar_passes_one_to_three_goombas_on_flat_ground(server, goombas):
    rows = with_tiles(flat_level(30), {(x, 11): "E" for x in goombas})
    telemetry = server.play(rows)
    assert telemetry["status"] == "win"
    assert telemetry["hurts"] == 0


def test_standing_still_before_a_goomba_kills_small_mario(server):
    telemetry = server.play(with_tiles(flat_level(30), {(8, 11): "E"}), agent="noop")
    assert telemetry["status"] == "lose"
    assert telemetry["hurts"] == 1


def test_a_hurt_large_mario_shrinks_instead_of_dying(server):
    rows = with_tiles(flat_level(30), {(8, 11): "E"})
    telemetry = server.play(rows, agent="noop", start_mode="large", time_limit=5, trace=True)
    small, large = (server.handshake["start_modes"].index(mode) for mode in ("small", "large"))
    modes = [mode for _, _, mode in telemetry["trace"]]
    shrunk_at = modes.index(small)
    # large until the goomba walks into him, then small, and alive until the time runs out
    assert set(modes[:shrunk_at]) == {large} and set(modes[shrunk_at:]) == {small}
    assert 0 < shrunk_at < len(modes) - 1
    assert telemetry["hurts"] == 1
    assert telemetry["final_mode"] == "small"
    assert telemetry["status"] == "timeout"


@pytest.mark.parametrize(("char", "kind"), [("E", "goomba"), ("k", "koopa")])
def test_jumping_onto_an_enemy_stomps_it(server, char, kind):
    rows = with_tiles(flat_level(40), {(20, 11): char})
    telemetry = server.play(rows, alphabet="mario-ai", agent="run-jump", time_limit=3)
    assert telemetry["kills"][kind] == 1
    assert telemetry["kills_total"] == telemetry["kills_by"]["stomp"] == 1
    assert telemetry["hurts"] == 0


def test_jumping_onto_a_spiky_hurts_mario(server):
    rows = with_tiles(flat_level(40), {(20, 11): "y"})
    telemetry = server.play(rows, alphabet="mario-ai", agent="run-jump", time_limit=3)
    assert telemetry["kills_total"] == 0
    assert telemetry["hurts"] == 1
    assert telemetry["status"] == "lose"


@pytest.mark.parametrize("enemy", ["G", "k", "K", "r", "R", "y", "Y"])
def test_astar_gets_past_each_enemy_kind(server, enemy):
    rows = with_tiles(flat_level(30), {(14, 11): enemy})
    assert server.play(rows, alphabet="mario-ai")["status"] == "win"


def test_piranha_plant_rises_from_its_pipe_and_hurts_mario_on_top(server):
    rows = with_tiles(PIPE_WITH_PLANT, {(13, 8): "M"})
    telemetry = server.play(rows, alphabet="mario-ai", agent="noop")
    assert telemetry["status"] == "lose"
    assert telemetry["hurts"] == 1


def test_a_pipe_without_plant_is_safe_to_stand_on(server):
    rows = with_tiles(PIPE_WITH_PLANT, {(13, 8): "M", (12, 9): "t", (13, 9): "t"})
    telemetry = server.play(rows, alphabet="mario-ai", agent="noop", time_limit=5)
    assert telemetry["status"] == "timeout"
    assert telemetry["hurts"] == 0


def test_astar_gets_over_a_pipe_with_a_piranha_plant(server):
    telemetry = server.play(PIPE_WITH_PLANT, alphabet="mario-ai")
    assert telemetry["status"] == "win"
    assert telemetry["hurts"] == 0


def test_running_into_a_pipe_without_jumping_never_finishes(server):
    telemetry = server.play(PIPE_WITH_PLANT, alphabet="mario-ai", agent="forward", time_limit=3)
    assert telemetry["status"] == "timeout"
    assert telemetry["lengthOfLevelPassedCells"] < 12


def test_bullet_bill_cannon_fires_at_mario(server):
    rows = with_tiles(flat_level(30), {(14, 11): "B"})
    telemetry = server.play(rows, agent="noop")
    assert telemetry["status"] == "lose"
    assert telemetry["hurts"] == 1
    assert telemetry["ticks"] > 99  # cannons fire every 100 ticks


def test_astar_gets_past_a_bullet_bill_cannon(server):
    rows = with_tiles(flat_level(30), {(14, 10): "B", (14, 11): "b"})
    assert server.play(rows)["status"] == "win"


def test_coins_on_the_path_are_counted(server):
    rows = with_tiles(flat_level(30), {(x, 11): "o" for x in range(5, 10)})
    telemetry = server.play(rows, agent="forward")
    assert telemetry["coins"] == telemetry["numberOfGainedCoins"] == 5


@pytest.mark.parametrize(("alphabet", "block"), [("vglc", "Q"), ("mario-ai", "Q"), ("mario-ai", "!")])
def test_question_block_hit_from_below_gives_one_coin(server, alphabet, block):
    rows = with_tiles(flat_level(30), {(0, 8): block})
    telemetry = server.play(rows, alphabet=alphabet, agent="jump", time_limit=2)
    assert telemetry["blocks_bumped"] == 1
    assert telemetry["coins"] == 1
    assert telemetry["jumps"] > 1


@pytest.mark.parametrize(("alphabet", "block"), [("vglc", "?"), ("mario-ai", "@"), ("mario-ai", "U")])
def test_mushroom_from_a_block_makes_mario_large(server, alphabet, block):
    rows = with_tiles(flat_level(8), {(0, 8): block, (4, 11): "X", (4, 10): "X"})
    telemetry = server.play(rows, alphabet=alphabet, agent="jump", time_limit=5)
    assert telemetry["mushrooms"] == 1
    assert telemetry["final_mode"] == "large"


@pytest.mark.parametrize(("mode", "broken"), [("small", 0), ("large", 1)])
def test_only_large_mario_breaks_bricks(server, mode, broken):
    rows = with_tiles(flat_level(30), {(0, 8): "S"})
    telemetry = server.play(rows, agent="jump", start_mode=mode, time_limit=2)
    assert telemetry["bricks_broken"] == broken


def test_falling_into_a_pit_loses(server):
    rows = with_tiles(flat_level(30), {(x, y): "-" for x in range(3, 30) for y in (12, 13)})
    telemetry = server.play(rows, agent="forward")
    assert telemetry["status"] == "lose"
    assert telemetry["hurts"] == 0


def test_mario_and_finish_markers_set_start_and_finish(server):
    rows = with_tiles(flat_level(30), {(5, 11): "M", (10, 11): "F"})
    telemetry = server.play(rows, alphabet="mario-ai", agent="forward", trace=True)
    assert telemetry["status"] == "win"
    assert telemetry["trace"][0][0] > 5 * 16
    assert telemetry["finish_x"] == 10 * 16


def test_power_up_block_gives_large_mario_a_flower_not_a_mushroom(server):
    # the same room where small Mario catches the mushroom bouncing back from the wall
    rows = with_tiles(flat_level(8), {(0, 8): "?", (4, 11): "X", (4, 10): "X"})
    telemetry = server.play(rows, agent="jump", start_mode="large", time_limit=5)
    assert telemetry["blocks_bumped"] == 1
    assert telemetry["mushrooms"] == 0
    assert telemetry["final_mode"] == "large"


@pytest.mark.parametrize(("enemy", "kind"), [("g", "goomba"), ("k", "koopa"), ("r", "koopa")])
def test_fireballs_of_fire_mario_kill_an_approaching_enemy(server, enemy, kind):
    rows = with_tiles(flat_level(30), {(8, 11): enemy})
    telemetry = server.play(rows, alphabet="mario-ai", agent="fire", start_mode="fire", time_limit=4)
    assert telemetry["kills"][kind] == 1
    assert telemetry["kills_by"]["fire"] == 1
    assert telemetry["hurts"] == 0
    assert telemetry["final_mode"] == "fire"


def test_spikies_ignore_fireballs_and_hurt_fire_mario(server):
    rows = with_tiles(flat_level(30), {(8, 11): "y"})
    telemetry = server.play(rows, alphabet="mario-ai", agent="fire", start_mode="fire", time_limit=4)
    assert telemetry["kills_total"] == 0
    assert telemetry["hurts"] == 1
    assert telemetry["final_mode"] == "large"


def test_small_mario_cannot_shoot(server):
    rows = with_tiles(flat_level(30), {(8, 11): "g"})
    telemetry = server.play(rows, alphabet="mario-ai", agent="fire", time_limit=4)
    assert telemetry["kills_total"] == 0
    assert telemetry["status"] == "lose"


def test_a_stuck_game_ends_as_a_stalled_timeout(server):
    telemetry = server.play(wall_level(6), stall_limit=3)
    assert telemetry["status"] == "timeout"
    assert telemetry["stalled"] is True
    assert telemetry["ticks"] < 1000 // 30 * 6


def test_stall_limit_zero_plays_to_the_time_limit(server):
    telemetry = server.play(wall_level(6), stall_limit=0, time_limit=8, node_budget=100)
    assert telemetry["status"] == "timeout"
    assert telemetry["stalled"] is False
    assert telemetry["ticks"] == -(-8000 // 30) - 1


def test_a_pause_shorter_than_the_stall_limit_does_not_end_the_game(server):
    telemetry = server.play(flat_level(30), agent="noop", stall_limit=1, time_limit=2)
    assert telemetry["stalled"] is True
    telemetry = server.play(flat_level(30), agent="noop", stall_limit=3, time_limit=2)
    assert telemetry["stalled"] is False
